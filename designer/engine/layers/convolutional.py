"""Conv1D and Conv2D (Keras 3 semantics) on one im2col + GEMM machinery (`conv_ops`).

Also answers for the pooling layers: Keras 2 tutorials write
`from keras.layers.convolutional import MaxPooling2D`, so unknown names are looked up
lazily in `layers.pooling` (PEP 562), which keeps this module importable on its own
and free of import cycles.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.backend.config import normalize_data_format
from designer.engine.layers import conv_ops
from designer.engine.layers.base import Layer
from designer.engine.layers.core import _ActivationMixin, _KernelBiasMixin, _positive_int
from designer.engine.legacy_keywords import legacy_arguments

__all__ = ["Conv1D", "Conv2D", "Convolution1D", "Convolution2D"]

# The Keras 1/2 keywords the convolution layers took (besides nb_row, nb_col and
# dim_ordering); `legacy_keywords` knows their Keras 3 names.
_KERAS1_KEYWORDS = (
    "nb_filter", "filter_length", "border_mode", "subsample", "subsample_length",
    "atrous_rate", "init", "W_regularizer", "b_regularizer", "W_constraint",
    "b_constraint", "bias",
)


class _Conv(_KernelBiasMixin, _ActivationMixin, Layer):
    """Shared by Conv1D and Conv2D: arguments, weights, shapes, forward and backward."""

    rank = 2
    _paddings: tuple[str, ...] = ("valid", "same")
    # The first conv of a CNN reads the model input: its input gradient is not needed.
    can_skip_input_grad = True

    def __init__(
        self,
        filters: int | None,
        kernel_size: Any,
        strides: Any,
        padding: str,
        data_format: str | None,
        dilation_rate: Any,
        groups: int,
        activation: Any,
        use_bias: bool,
        kernel_initializer: Any,
        bias_initializer: Any,
        kernel_regularizer: Any,
        bias_regularizer: Any,
        activity_regularizer: Any,
        kernel_constraint: Any,
        bias_constraint: Any,
        **kwargs: Any,
    ) -> None:
        legacy = legacy_arguments(kwargs, _KERAS1_KEYWORDS)  # spellings of old tutorials
        filters = legacy.get("filters", filters)
        kernel_size = legacy.get("kernel_size", kernel_size)
        padding = legacy.get("padding", padding)
        strides = legacy.get("strides", strides)
        dilation_rate = legacy.get("dilation_rate", dilation_rate)
        data_format = legacy.get("data_format", data_format)
        kernel_initializer = legacy.get("kernel_initializer", kernel_initializer)
        kernel_regularizer = legacy.get("kernel_regularizer", kernel_regularizer)
        bias_regularizer = legacy.get("bias_regularizer", bias_regularizer)
        kernel_constraint = legacy.get("kernel_constraint", kernel_constraint)
        bias_constraint = legacy.get("bias_constraint", bias_constraint)
        use_bias = legacy.get("use_bias", use_bias)
        super().__init__(**kwargs)
        name = type(self).__name__
        rank = self.rank
        self.filters = _positive_int("filters", filters)
        if kernel_size is None:
            raise ValueError(f"{name} needs a `kernel_size`. Received: kernel_size=None")
        self.kernel_size = conv_ops.int_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_ops.int_tuple(strides, rank, "strides")
        self.dilation_rate = conv_ops.int_tuple(dilation_rate, rank, "dilation_rate")
        padding_name = padding.lower() if isinstance(padding, str) else padding
        if padding_name not in self._paddings:
            raise ValueError(
                f"The `padding` argument must be one of {list(self._paddings)}. "
                f"Received: padding={padding!r}"
            )
        self.padding = padding_name
        self.data_format = normalize_data_format(data_format)
        if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups <= 0:
            raise ValueError(
                f"The number of groups must be a positive integer. Received: groups={groups!r}."
            )
        if self.filters % groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={self.filters}."
            )
        if groups != 1:
            raise NotImplementedError(
                f"{name} with groups={groups} is not supported by this engine; use groups=1."
            )
        self.groups = 1
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self._set_activation(activation)
        self._set_kernel_bias(
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
        )

    # -- shapes --------------------------------------------------------------------
    @property
    def _channels_first(self) -> bool:
        return self.data_format == "channels_first"

    def _split(self, shape: Any) -> tuple[Any, tuple]:
        """(channels, spatial dims) of a full input shape."""
        if self._channels_first:
            return shape[1], tuple(shape[2:])
        return shape[-1], tuple(shape[1:-1])

    def _output_spatial(self, input_shape: Any, spatial: tuple) -> tuple:
        out = tuple(
            conv_ops.conv_output_length(length, k, s, d, self.padding)
            for length, k, s, d in zip(
                spatial, self.kernel_size, self.strides, self.dilation_rate, strict=True
            )
        )
        if any(o is not None and o < 1 for o in out):
            needed = tuple(
                (k - 1) * d + 1 for k, d in zip(self.kernel_size, self.dilation_rate, strict=True)
            )
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}): computed output size would be "
                f"negative or zero. Received input shape {tuple(input_shape)}, "
                f"kernel_size={self.kernel_size}, dilation_rate={self.dilation_rate}, "
                f"padding='{self.padding}': the input is too small for the kernel (each "
                f"spatial dimension needs at least {needed} with padding='valid')."
            )
        return out

    def validate_input_shape(self, input_shape: Any) -> None:
        expected = self.rank + 2
        if isinstance(input_shape, list) or len(input_shape) != expected:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
                f"ndim={expected}, found ndim={len(input_shape)}. Full shape received: "
                f"{input_shape if isinstance(input_shape, list) else tuple(input_shape)}"
            )
        channels, spatial = self._split(input_shape)
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}': the channel dimension of the inputs should be defined "
                f"(data_format='{self.data_format}'). Received input shape: {input_shape}"
            )
        if self.built and channels != self.kernel.shape[-2]:
            axis = 1 if self._channels_first else -1
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected axis "
                f"{axis} of input shape to have value {self.kernel.shape[-2]}, but received "
                f"input with shape {tuple(input_shape)}"
            )
        self._output_spatial(input_shape, spatial)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        _, spatial = self._split(input_shape)
        out = self._output_spatial(input_shape, spatial)
        if self._channels_first:
            return (input_shape[0], self.filters, *out)
        return (input_shape[0], *out, self.filters)

    def build(self, input_shape: Any) -> None:
        channels, _ = self._split(input_shape)
        self._add_kernel_and_bias((*self.kernel_size, int(channels), self.filters), self.filters)
        self.built = True

    # -- numbers -------------------------------------------------------------------
    def _to_4d(self, x: np.ndarray) -> np.ndarray:
        """Conv1D runs as a height-1 Conv2D (a view, no copy)."""
        if self.rank == 2:
            return x
        return x[:, :, None, :] if self._channels_first else x[:, None, :, :]

    def _from_4d(self, x4: np.ndarray) -> np.ndarray:
        if self.rank == 2:
            return x4
        return x4[:, :, 0, :] if self._channels_first else x4[:, 0, :, :]

    def _as_2d_params(self) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
        if self.rank == 2:
            return self.kernel_size, self.strides, self.dilation_rate  # type: ignore[return-value]
        return (1, self.kernel_size[0]), (1, self.strides[0]), (1, self.dilation_rate[0])

    _supports_deferred_relu = True

    def forward(
        self, inputs: np.ndarray, training: bool = False, defer_relu: bool = False
    ) -> tuple[np.ndarray, Any]:
        _, spatial = self._split(inputs.shape)
        out_spatial = self._output_spatial(inputs.shape, spatial)
        kernel_hw, strides, dilation = self._as_2d_params()
        pads = tuple(
            conv_ops.padding_amounts(length, k, s, d, self.padding)
            for length, k, s, d in zip(
                spatial, self.kernel_size, self.strides, self.dilation_rate, strict=True
            )
        )
        if self.rank == 1:
            pads, out_spatial = ((0, 0), *pads), (1, *out_spatial)
        x4 = self._to_4d(inputs)
        use_bias = self.bias is not None
        cols, geometry = conv_ops.im2col(
            x4, kernel_hw, strides, dilation, pads, out_spatial, self._channels_first, use_bias
        )
        weights = self.kernel.value.reshape(-1, self.filters)
        if use_bias:  # the bias rides in the GEMM on cols' column of ones
            weights = np.concatenate([weights, self.bias.value[None, :]])
        z = cols @ weights  # (M, filters), channels-last order
        y = self._activate(z, deferred=defer_relu)
        nhwc = y.reshape(inputs.shape[0], *out_spatial, self.filters)
        out = nhwc.transpose(0, 3, 1, 2) if self._channels_first else nhwc  # a view
        return self._from_4d(out), (cols, z, None if defer_relu else y, geometry)

    def backward(
        self, ctx: Any, grad_outputs: np.ndarray, input_grad: bool = True
    ) -> tuple[np.ndarray | None, list]:
        cols, z, y, geometry = ctx
        dy = self._to_4d(grad_outputs)
        if self._channels_first:
            dy = dy.transpose(0, 2, 3, 1)  # free when dy is a view of NHWC memory
        shape4 = dy.shape
        dz = self._activation_backward(
            z.reshape(shape4), None if y is None else y.reshape(shape4), dy
        )
        dz = dz.reshape(z.shape)  # copies only if dy was channels-first in memory
        product = cols.T @ dz  # (K [+ 1 bias row], filters)
        k = product.shape[0] - (self.bias is not None)
        grads: list[np.ndarray | None] = [product[:k].reshape(self.kernel.shape)]
        if self.bias is not None:
            grads.append(product[k])
        if not input_grad:
            return None, grads
        dx4 = conv_ops.col2im(dz, self.kernel.value.reshape(-1, self.filters), geometry)
        return self._from_4d(dx4), grads

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": list(self.dilation_rate),
            "groups": self.groups,
            **self._kernel_bias_config(),
        }


class Conv2D(_Conv):
    """2-D convolution (cross-correlation, as Keras) over images, plus bias and activation.

    `padding="same"` pads as TF/Keras (the odd pixel goes bottom/right); strides > 1
    cannot be combined with dilation_rate > 1. Weights: kernel
    `(kh, kw, in_channels, filters)` in both data formats, then bias `(filters,)`.
    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)` (channels_first). Output shape:
    `(batch, new_rows, new_cols, filters)` or `(batch, filters, new_rows, new_cols)`.
    """

    rank = 2

    def __init__(
        self,
        filters: int | None = None,
        kernel_size: Any = None,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = (1, 1),
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint,
            **kwargs,
        )  # fmt: skip


class Conv1D(_Conv):
    """1-D convolution over sequences (temporal convolution), plus bias and activation.

    `padding="causal"` pads only on the left, so output t never sees inputs after t.
    Runs as a height-1 Conv2D. Weights: kernel `(kernel_size, in_channels, filters)`,
    then bias `(filters,)`.
    Input shape: `(batch, steps, channels)` (channels_last) or `(batch, channels,
    steps)` (channels_first). Output shape: `(batch, new_steps, filters)` or
    `(batch, filters, new_steps)`.
    """

    rank = 1
    _paddings = ("valid", "same", "causal")

    def __init__(
        self,
        filters: int | None = None,
        kernel_size: Any = None,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = "channels_last",
        dilation_rate: Any = 1,
        groups: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
            activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
            bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint,
            **kwargs,
        )  # fmt: skip


# Keras 3 keeps these aliases (the same classes, not subclasses).
Convolution1D = Conv1D
Convolution2D = Conv2D


def _pooling_module() -> Any:
    try:
        from designer.engine.layers import pooling
    except ModuleNotFoundError as error:  # pooling.py not written yet: nothing to offer
        if error.name != "designer.engine.layers.pooling":
            raise
        return None
    return pooling


def _pooling_classes() -> dict[str, type]:
    module = _pooling_module()
    if module is None:
        return {}
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, type) and issubclass(obj, Layer) and not name.startswith("_")
    }


def __getattr__(name: str) -> Any:
    """Pooling layers by their Keras 2 address (`keras.layers.convolutional.MaxPooling2D`)."""
    if not name.startswith("_"):
        found = _pooling_classes().get(name)
        if found is not None:
            return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_pooling_classes()))
