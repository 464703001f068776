"""The descriptions of the layers the designer knows by name: category, one sentence for
the palette, and each parameter with its type, default, limits, choices and help text.

Adding a layer here (and to the engine) makes it appear in the palette, the property
editor, validation and code export.
"""

from __future__ import annotations

from designer.spec.layer_type import LayerType
from designer.spec.params import ParamSpec


# -- shared parameter groups ------------------------------------------------------------
def activation_param(default: str = "linear") -> ParamSpec:
    """The `activation` parameter (also given to undescribed engine layers that take one)."""
    return ParamSpec("activation", "activation", default, "Function applied to the output.")


_USE_BIAS = ParamSpec("use_bias", "bool", True, "Add a learned bias to each output.")
_KERNEL_INIT = ParamSpec(
    "kernel_initializer",
    "initializer",
    "glorot_uniform",
    "How the kernel starts.",
    advanced=True,
)
_BIAS_INIT = ParamSpec(
    "bias_initializer", "initializer", "zeros", "How the bias starts.", advanced=True
)
_KERNEL_REG = ParamSpec(
    "kernel_regularizer",
    "regularizer",
    None,
    "Penalty on the kernel added to the loss.",
    advanced=True,
)
_PADDING = ParamSpec(
    "padding",
    "choice",
    "valid",
    "'valid': no padding; 'same': pad so output size = input / stride.",
    choices=("valid", "same"),
)
_DATA_FORMAT = ParamSpec(
    "data_format",
    "choice",
    "channels_last",
    "Where the channels are: (height, width, channels) or (channels, height, width).",
    choices=("channels_last", "channels_first"),
    advanced=True,
)


def _pool_params(dims: int) -> tuple[ParamSpec, ...]:
    return (
        ParamSpec("pool_size", "int_tuple", (2,) * dims, "Window size.", size=dims),
        ParamSpec(
            "strides",
            "int_tuple",
            None,
            "Step between windows (empty: the window size).",
            size=dims,
        ),
        _PADDING,
        _DATA_FORMAT,
    )


def _merge(name: str, summary: str, max_inputs: int | None = None) -> LayerType:
    return LayerType(name, "Merge", summary, min_inputs=2, max_inputs=max_inputs)


DESCRIBED: list[LayerType] = [
    LayerType(
        "Input",
        "Input",
        "Where data enters the network; its shape excludes the batch.",
        (ParamSpec("shape", "shape", (1,), "Shape of one sample, e.g. 5 or 28, 28, 1."),),
        min_inputs=0,
        max_inputs=0,
        key_params=("shape",),
    ),
    LayerType(
        "Dense",
        "Core",
        "Fully connected: every output sees every input (activation(x·W + b)).",
        (
            ParamSpec("units", "int", 32, "Number of outputs.", minimum=1, maximum=100_000),
            activation_param(),
            _USE_BIAS,
            _KERNEL_INIT,
            _BIAS_INIT,
            _KERNEL_REG,
        ),
        key_params=("units", "activation"),
    ),
    LayerType(
        "Activation",
        "Core",
        "Applies an activation function to its input.",
        (activation_param("relu"),),
        key_params=("activation",),
    ),
    LayerType(
        "Dropout",
        "Normalisation & regularisation",
        "While training, zeroes a random fraction of its inputs (less overfitting).",
        (
            ParamSpec(
                "rate", "float", 0.5, "Fraction of inputs to drop.", minimum=0.0, maximum=0.99
            ),
        ),
        key_params=("rate",),
    ),
    LayerType(
        "BatchNormalization",
        "Normalisation & regularisation",
        "Normalises each feature over the batch, then scales and shifts it.",
        (
            ParamSpec("axis", "int", -1, "The feature (channel) axis.", minimum=-4, maximum=4),
            ParamSpec(
                "momentum",
                "float",
                0.99,
                "Momentum of the moving statistics.",
                minimum=0.0,
                maximum=1.0,
            ),
            ParamSpec(
                "epsilon",
                "float",
                1e-3,
                "Added to the variance for stability.",
                minimum=0.0,
                advanced=True,
            ),
            ParamSpec("center", "bool", True, "Learn a shift (beta).", advanced=True),
            ParamSpec("scale", "bool", True, "Learn a scale (gamma).", advanced=True),
        ),
    ),
    LayerType("Flatten", "Reshape", "Flattens each sample to one long vector.", (_DATA_FORMAT,)),
    LayerType(
        "Reshape",
        "Reshape",
        "Gives each sample a new shape with the same number of values.",
        (
            ParamSpec(
                "target_shape",
                "shape",
                (1,),
                "New shape of one sample, e.g. 28, 28, 1.",
                minimum=-1,
            ),
        ),
        key_params=("target_shape",),
    ),
    LayerType(
        "Conv2D",
        "Convolution & pooling",
        "Slides learned filters over an image, one output map per filter.",
        (
            ParamSpec(
                "filters",
                "int",
                32,
                "Number of filters (output channels).",
                minimum=1,
                maximum=4096,
            ),
            ParamSpec("kernel_size", "int_tuple", (3, 3), "Filter height, width.", size=2),
            ParamSpec("strides", "int_tuple", (1, 1), "Step of the filter.", size=2),
            _PADDING,
            activation_param(),
            _USE_BIAS,
            ParamSpec(
                "dilation_rate",
                "int_tuple",
                (1, 1),
                "Spacing of filter taps.",
                size=2,
                advanced=True,
            ),
            _DATA_FORMAT,
            _KERNEL_INIT,
            _BIAS_INIT,
            _KERNEL_REG,
        ),
        key_params=("filters", "kernel_size", "activation"),
    ),
    LayerType(
        "Conv1D",
        "Convolution & pooling",
        "Slides learned filters along a sequence.",
        (
            ParamSpec("filters", "int", 32, "Number of filters.", minimum=1, maximum=4096),
            ParamSpec("kernel_size", "int_tuple", (3,), "Filter length.", size=1),
            ParamSpec("strides", "int_tuple", (1,), "Step of the filter.", size=1),
            ParamSpec(
                "padding", "choice", "valid", "Padding.", choices=("valid", "same", "causal")
            ),
            activation_param(),
            _USE_BIAS,
            _KERNEL_INIT,
            _BIAS_INIT,
            _KERNEL_REG,
        ),
        key_params=("filters", "kernel_size", "activation"),
    ),
    LayerType(
        "MaxPooling2D",
        "Convolution & pooling",
        "Keeps the largest value of each window.",
        _pool_params(2),
        key_params=("pool_size",),
    ),
    LayerType(
        "AveragePooling2D",
        "Convolution & pooling",
        "Averages each window.",
        _pool_params(2),
        key_params=("pool_size",),
    ),
    LayerType(
        "MaxPooling1D",
        "Convolution & pooling",
        "Largest value of each window of a sequence.",
        (
            ParamSpec("pool_size", "int_tuple", (2,), "Window size.", size=1),
            ParamSpec("strides", "int_tuple", None, "Step (empty: window size).", size=1),
            _PADDING,
        ),
        key_params=("pool_size",),
    ),
    LayerType(
        "GlobalAveragePooling2D",
        "Convolution & pooling",
        "Averages each channel over the whole image.",
        (_DATA_FORMAT,),
    ),
    LayerType(
        "GlobalMaxPooling2D",
        "Convolution & pooling",
        "Largest value of each channel over the whole image.",
        (_DATA_FORMAT,),
    ),
    LayerType(
        "ZeroPadding2D",
        "Reshape",
        "Adds rows and columns of zeros around an image.",
        (
            ParamSpec(
                "padding",
                "int_tuple",
                (1, 1),
                "Rows, columns to add on each side.",
                size=2,
                minimum=0,
            ),
            _DATA_FORMAT,
        ),
        key_params=("padding",),
    ),
    LayerType(
        "UpSampling2D",
        "Reshape",
        "Repeats rows and columns to enlarge an image.",
        (
            ParamSpec("size", "int_tuple", (2, 2), "Repeat factors (rows, columns).", size=2),
            _DATA_FORMAT,
        ),
        key_params=("size",),
    ),
    _merge("Add", "Sums its inputs element by element (same shapes)."),
    _merge("Subtract", "First input minus the second (same shapes).", max_inputs=2),
    _merge("Multiply", "Multiplies its inputs element by element."),
    _merge("Average", "Averages its inputs element by element."),
    _merge("Maximum", "Element-wise maximum of its inputs."),
    _merge("Minimum", "Element-wise minimum of its inputs."),
    LayerType(
        "Concatenate",
        "Merge",
        "Joins its inputs along an axis (default: the last).",
        (ParamSpec("axis", "int", -1, "Axis to join along.", minimum=-4, maximum=4),),
        min_inputs=2,
        max_inputs=None,
    ),
]
