"""designer.engine: a NumPy neural-network engine with the Keras API.

Scripts written for Keras run on it with only their import lines changed. It never
imports Qt: the GUI drives the very same objects that a script would.

    from designer.engine import Sequential, Model, Input
    from designer.engine import layers, losses, optimizers, metrics, callbacks, utils
    from designer.engine import backend as K
"""

from designer.engine import (
    activations,
    backend,
    callbacks,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from designer.engine.layers import Input, InputLayer
from designer.engine.models import Model, Sequential
from designer.engine.utils import set_random_seed, to_categorical

__version__ = "0.1.0"

__all__ = [
    "Input",
    "InputLayer",
    "Model",
    "Sequential",
    "activations",
    "backend",
    "callbacks",
    "datasets",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "regularizers",
    "set_random_seed",
    "to_categorical",
    "utils",
]
