"""`keras.datasets`-style loaders that read local files only (nothing is downloaded).

from designer.engine.datasets import mnist, fashion_mnist
(x_train, y_train), (x_test, y_test) = mnist.load_data("mnist.npz")
"""

from designer.engine.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]
