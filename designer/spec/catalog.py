"""The layer catalog: one description per engine layer type.

It drives the palette (groups, tooltips), the property editor (parameters with types,
defaults, limits, choices, help), validation and code export. Layer types the engine
has but this file does not describe still appear, in the "Other" group, with
parameters read from their constructor's signature: a new engine layer shows up
everywhere without touching the UI.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from designer.spec.params import ParamSpec

CATEGORIES = (
    "Input",
    "Core",
    "Convolution & pooling",
    "Normalisation & regularisation",
    "Merge",
    "Reshape",
    "Other",
)


@dataclass(frozen=True)
class LayerType:
    """What the designer knows about one engine layer class."""

    name: str  # the engine / Keras class name, e.g. "Dense"
    category: str
    summary: str  # one sentence for the palette tooltip
    params: tuple[ParamSpec, ...] = ()
    min_inputs: int = 1
    max_inputs: int | None = 1  # None: any number (merges)
    key_params: tuple[str, ...] = ()  # shown on rows and nodes: "Dense 20 · tanh"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_input(self) -> bool:
        return self.name == "Input"

    @property
    def is_merge(self) -> bool:
        return self.max_inputs is None or self.max_inputs > 1

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no parameter {name!r}")

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def key_settings(self, values: dict[str, Any]) -> str:
        """The one-line description of a layer's settings: '20 · tanh'."""
        parts = []
        for name in self.key_params:
            spec = self.param(name)
            value = values.get(name, spec.default)
            if value in (None, "linear", "") and name != "shape":
                continue
            text = spec.format(value)
            if spec.kind == "int_tuple" and value is not None and len(set(value)) == 1:
                text = "×".join(str(v) for v in value)
            parts.append(text)
        return " · ".join(parts)

    def engine_class(self) -> type:
        from designer.engine import layers

        if self.is_input:
            return layers.InputLayer
        return layers.get_layer_class(self.name)


# -- shared parameter groups ------------------------------------------------------------
def _activation(default: str = "linear") -> ParamSpec:
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


_DESCRIBED: list[LayerType] = [
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
            _activation(),
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
        (_activation("relu"),),
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
            _activation(),
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
            _activation(),
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


def _engine_layer_names() -> list[str]:
    from designer.engine import layers

    return [n for n in layers.layer_classes() if n not in ("InputLayer", "Layer")]


def _introspected(name: str) -> LayerType:
    """A description read from an engine layer's constructor (for undescribed layers)."""
    from designer.engine import layers

    cls = layers.get_layer_class(name)
    params = []
    for parameter in inspect.signature(cls.__init__).parameters.values():
        if parameter.name in ("self", "name", "kwargs", "trainable", "dtype") or (
            parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)
        ):
            continue
        default = parameter.default
        if isinstance(default, bool):
            params.append(ParamSpec(parameter.name, "bool", default))
        elif isinstance(default, int):
            params.append(ParamSpec(parameter.name, "int", default))
        elif isinstance(default, float):
            params.append(ParamSpec(parameter.name, "float", default))
        elif parameter.name == "activation":
            params.append(_activation())
    doc = (inspect.getdoc(cls) or name).split("\n")[0]
    return LayerType(name, "Other", doc, tuple(params))


class Catalog:
    """All layer types by name, in palette order."""

    def __init__(self) -> None:
        engine_names = set(_engine_layer_names())
        self._types: dict[str, LayerType] = {}
        for layer_type in _DESCRIBED:
            if layer_type.is_input or layer_type.name in engine_names:
                self._types[layer_type.name] = layer_type
        for name in sorted(engine_names - set(self._types)):
            self._types[name] = _introspected(name)

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def __getitem__(self, name: str) -> LayerType:
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(
                f"Unknown layer type {name!r}. Known types: {', '.join(self._types)}"
            ) from None

    def types(self) -> list[LayerType]:
        return list(self._types.values())

    def by_category(self) -> dict[str, list[LayerType]]:
        groups: dict[str, list[LayerType]] = {c: [] for c in CATEGORIES}
        for layer_type in self._types.values():
            groups.setdefault(layer_type.category, []).append(layer_type)
        return {c: items for c, items in groups.items() if items}


_CATALOG: Catalog | None = None


def catalog() -> Catalog:
    """The shared catalog (built once, after the engine's layers are imported)."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = Catalog()
    return _CATALOG
