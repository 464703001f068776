"""Which part of the Keras API a dotted name means, whatever the spelling.

Keras 1, 2 and 3, `tensorflow.keras` and `designer.engine` name the same things from
different modules (`keras.layers.convolutional.Conv2D`, `tf.keras.layers.Conv2D`,
`keras.layers.Conv2D`). Paths are first made canonical (`keras...`), then read by
their module and last component.
"""

from __future__ import annotations

from functools import cache

_PREFIXES = (
    "tensorflow.python.keras",
    "tensorflow.keras",
    "tf.keras",
    "tf_keras",
    "keras.api._v2.keras",
    "keras.api",
    "keras.src",
    "designer.engine",
)

# Keras layers the engine does not have: named in problems, never silently dropped.
OTHER_KERAS_LAYERS = frozenset(
    (
        "LSTM",
        "GRU",
        "SimpleRNN",
        "RNN",
        "ConvLSTM2D",
        "Bidirectional",
        "TimeDistributed",
        "Embedding",
        "Lambda",
        "LeakyReLU",
        "PReLU",
        "ELU",
        "ReLU",
        "Softmax",
        "ThresholdedReLU",
        "Conv3D",
        "Conv2DTranspose",
        "Conv1DTranspose",
        "SeparableConv2D",
        "SeparableConv1D",
        "DepthwiseConv2D",
        "Cropping1D",
        "Cropping2D",
        "ZeroPadding1D",
        "UpSampling1D",
        "GaussianNoise",
        "GaussianDropout",
        "AlphaDropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "RepeatVector",
        "Permute",
        "Masking",
        "LayerNormalization",
        "GroupNormalization",
        "Attention",
        "MultiHeadAttention",
        "AdditiveAttention",
        "Dot",
        "Rescaling",
        "Normalization",
        "Resizing",
        "CenterCrop",
        "RandomFlip",
        "RandomRotation",
        "RandomZoom",
        "TextVectorization",
        "Highway",
        "MaxoutDense",
        "Merge",
        "ActivityRegularization",
        "Identity",
        "Wrapper",
        "CategoryEncoding",
        "Discretization",
        "MaxPooling3D",
        "AveragePooling3D",
        "GlobalMaxPooling3D",
        "GlobalAveragePooling3D",
        "Layer",
    )
)

MERGE_FUNCTIONS = {
    "add": "Add",
    "subtract": "Subtract",
    "multiply": "Multiply",
    "average": "Average",
    "maximum": "Maximum",
    "minimum": "Minimum",
    "concatenate": "Concatenate",
}
OPTIMIZER_CLASSES = {
    "SGD": "sgd",
    "Adam": "adam",
    "RMSprop": "rmsprop",
    "AdamW": "adamw",
    "Adagrad": "adagrad",
    "Adadelta": "adadelta",
    "Adamax": "adamax",
    "Nadam": "nadam",
}
# Functions of the backend / TensorFlow / keras.ops that are also activations.
ACTIVATION_FUNCTIONS = {
    "tanh",
    "sigmoid",
    "relu",
    "softmax",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "hard_sigmoid",
    "relu6",
    "leaky_relu",
    "gelu",
    "silu",
    "swish",
    "exponential",
    "linear",
}
DATASET_TITLES = {
    "mnist": "MNIST",
    "fashion_mnist": "Fashion-MNIST",
    "cifar10": "CIFAR-10",
    "cifar100": "CIFAR-100",
}
KNOWN_DATASETS = {
    # name: (x_train, y_train, x_test, y_test, classes)
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), 10),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,), 10),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), 10),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1), 100),
}
NUMPY_ARRAYS = {"rand", "randn", "random", "random_sample", "randint", "uniform", "normal"}
NUMPY_FILLED = {"zeros", "ones", "empty", "full"}


def canonical(path: str) -> str:
    """`tf.keras.layers.Dense` -> `keras.layers.Dense`; other paths unchanged."""
    for prefix in _PREFIXES:
        if path == prefix or path.startswith(prefix + "."):
            return "keras" + path[len(prefix) :]
    return path


@cache
def engine_layer_names() -> dict[str, str]:
    """Every class name the engine's `layers` module answers to -> its catalog type."""
    from designer.engine import layers
    from designer.spec.catalog import catalog

    names: dict[str, str] = {}
    for name in dir(layers):
        obj = getattr(layers, name)
        if isinstance(obj, type) and issubclass(obj, layers.Layer) and obj.__name__ in catalog():
            names[name] = obj.__name__
    names["Convolution1D"] = "Conv1D"
    names["Convolution2D"] = "Conv2D"
    return names


def meaning(path: str) -> tuple[str, str]:
    """(kind, name) of a canonical path, e.g. ("layer", "Dense"), ("optimizer", "SGD").

    Kinds: layer, input, input_layer, sequential, model, merge, merge_k1, optimizer,
    loss, metric, activation, initializer, regularizer, set_format, get_format,
    to_categorical, dataset_load, numpy_load, numpy_array, keras (anything else in
    Keras), other.
    """
    module, _, last = path.rpartition(".")
    if not module:
        return ("keras" if path == "keras" else "other"), last
    if module == "numpy" or module.startswith("numpy."):
        if path == "numpy.load":
            return "numpy_load", last
        if module == "numpy.random" and last in NUMPY_ARRAYS:
            return "numpy_array", last
        if module == "numpy" and last in NUMPY_FILLED:
            return "numpy_array", last
        return "other", last
    if module in ("tensorflow", "tensorflow.nn", "tensorflow.math") and last in (
        ACTIVATION_FUNCTIONS
    ):
        return "activation", last
    if not (module == "keras" or module.startswith("keras.")):
        return "other", last
    in_layers = module.startswith("keras.layers") or module.startswith("keras.engine")
    if last == "Input" and (in_layers or module == "keras"):
        return "input", last
    if last == "InputLayer" and (in_layers or module == "keras"):
        return "input_layer", last
    if last == "Sequential":
        return "sequential", last
    if last == "Model" and (module in ("keras", "keras.models") or in_layers):
        return "model", last
    if in_layers or module == "keras":
        if last in MERGE_FUNCTIONS:
            return "merge", last
        if last == "merge":
            return "merge_k1", last
        if last in engine_layer_names() or last in OTHER_KERAS_LAYERS:
            return "layer", last
        if in_layers and last[:1].isupper():
            return "layer", last
    family = module.split(".")[1] if module.count(".") >= 1 else ""
    if family in ("optimizers", "optimizer_v2"):
        return "optimizer", last
    if family == "losses":
        return "loss", last
    if family == "metrics":
        return "metric", last
    if family == "activations" or (family in ("backend", "ops") and last in ACTIVATION_FUNCTIONS):
        return "activation", last
    if family == "initializers":
        return "initializer", last
    if family == "regularizers":
        return "regularizer", last
    if family in ("backend", "config"):
        if last in ("set_image_dim_ordering", "set_image_data_format"):
            return "set_format", last
        if last in ("image_dim_ordering", "image_data_format"):
            return "get_format", last
    if last == "to_categorical":
        return "to_categorical", last
    if family == "datasets" and last == "load_data":
        return "dataset_load", module.rsplit(".", 1)[-1]
    return "keras", last


def default_path(name: str) -> str | None:
    """Where a Keras name used without an import would come from (tutorial snippets
    often leave their imports out)."""
    if name in ("Sequential", "Model"):
        return f"keras.models.{name}"
    if name in ("Input", "InputLayer") or name in MERGE_FUNCTIONS:
        return f"keras.layers.{name}"
    if name in engine_layer_names() or (name in OTHER_KERAS_LAYERS and name != "Layer"):
        return f"keras.layers.{name}"
    if name in OPTIMIZER_CLASSES:
        return f"keras.optimizers.{name}"
    if name in ("optimizers", "losses", "metrics", "activations", "initializers"):
        return f"keras.{name}"
    if name in ("regularizers", "layers", "models", "backend", "utils"):
        return f"keras.{name}"
    if name == "np_utils":
        return "keras.utils.np_utils"
    return None
