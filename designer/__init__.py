"""Network Designer: design, train and inspect neural networks with a Keras-like engine."""

__version__ = "0.1.0"
__licence__ = "MIT"
