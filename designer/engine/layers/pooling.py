"""Max and average pooling (1D, 2D) and their global forms, in Keras 3's semantics.

The window arithmetic lives in `pooling_ops` (one strided view per pool offset, no
per-pixel Python). Max-pool backward routes each window's gradient to its first
maximum in row-major window order, as PyTorch and TensorFlow do. "same" padding pads
max pooling with -inf and leaves the padding out of the averages, as Keras does.
Global max pooling splits the gradient evenly over ties, as Keras' `ops.max` does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from designer.engine.backend.config import normalize_data_format
from designer.engine.layers.base import Layer
from designer.engine.layers.pooling_ops import PoolGeometry, pool_backward, pool_forward
from designer.engine.legacy_keywords import DIM_ORDERING


def _int_tuple(value: Any, n: int, name: str) -> tuple[int, ...]:
    """An int or n ints -> a tuple of n positive ints (Keras' `standardize_tuple`)."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}"
    values = (value,) * n if isinstance(value, (int, np.integer)) else value
    try:
        values = tuple(values)
    except TypeError:
        raise ValueError(message) from None
    if len(values) != n or any(
        isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in values
    ):
        raise ValueError(message)
    if any(v <= 0 for v in values):
        raise ValueError(f"{message}, including values that do not satisfy `value > 0`")
    return tuple(int(v) for v in values)


def _legacy_format(kwargs: dict[str, Any], data_format: str | None) -> str:
    """`dim_ordering='th'|'tf'` (Keras 1) -> data_format; None -> the global setting."""
    if "dim_ordering" in kwargs:
        ordering = kwargs.pop("dim_ordering")
        if ordering not in DIM_ORDERING:
            raise ValueError(
                f"Invalid dim_ordering: {ordering!r}. Expected one of 'th', 'tf', 'default'."
            )
        data_format = data_format or DIM_ORDERING[ordering]
    return normalize_data_format(data_format)


class _Pooling(Layer):
    """Shared argument handling, shapes and kernels of the windowed pooling layers."""

    _rank = 2
    _mode = "max"

    def __init__(
        self,
        pool_size: Any = 2,
        strides: Any = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Keras 1/2 spellings: pool_length/stride (1D), border_mode, dim_ordering.
        pool_size = kwargs.pop("pool_length", pool_size)
        strides = kwargs.pop("stride", strides)
        padding = kwargs.pop("border_mode", padding)
        data_format = _legacy_format(kwargs, data_format)
        super().__init__(**kwargs)
        self.pool_size = _int_tuple(pool_size, self._rank, "pool_size")
        self.strides = (
            self.pool_size if strides is None else _int_tuple(strides, self._rank, "strides")
        )
        padding_name = str(padding).lower()
        if padding_name not in ("valid", "same"):
            raise ValueError(
                "Argument `padding` must be either 'valid' or 'same'. "
                f"Received: padding={padding!r}"
            )
        self.padding = padding_name
        self.data_format = data_format

    def _axes(self) -> tuple[int, ...]:
        first = 2 if self.data_format == "channels_first" else 1
        return tuple(range(first, first + self._rank))

    def _spatial(self, shape: Any) -> tuple:
        return tuple(shape[ax] for ax in self._axes())

    def validate_input_shape(self, input_shape: Any) -> None:
        if isinstance(input_shape, list) or len(input_shape) != self._rank + 2:
            ndim = "a list" if isinstance(input_shape, list) else f"ndim={len(input_shape)}"
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
                f"ndim={self._rank + 2}, found {ndim}. Full shape received: {input_shape}"
            )
        if self.padding == "valid":
            for length, p in zip(self._spatial(input_shape), self.pool_size, strict=True):
                if length is not None and length < p:
                    raise ValueError(
                        f"Layer '{self.name}' ({type(self).__name__}): the input is smaller "
                        f"than the pool window, so the output size would be zero. Received "
                        f"input shape {input_shape} ({self.data_format}) with "
                        f"pool_size={self.pool_size}, padding='valid'."
                    )

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shape = list(input_shape)
        for ax, p, s in zip(self._axes(), self.pool_size, self.strides, strict=True):
            n = shape[ax]
            if n is not None:
                shape[ax] = (n - p) // s + 1 if self.padding == "valid" else (n - 1) // s + 1
        return tuple(shape)

    def _geometry(self, shape: tuple[int, ...]) -> PoolGeometry:
        return PoolGeometry(shape, self._axes(), self.pool_size, self.strides, self.padding)

    @property
    def accepts_relu_input(self) -> bool:
        """Max pooling can take over a producer's relu (`forward(relu_after=True)`)."""
        return self._mode == "max"

    def forward(
        self, inputs: np.ndarray, training: bool = False, relu_after: bool = False
    ) -> tuple[np.ndarray, Any]:
        """`relu_after`: the producer deferred its relu (see `can_defer_relu`); pooling
        the raw values and then applying relu gives exactly the same numbers."""
        geo = self._geometry(inputs.shape)
        out_shape = self.compute_output_shape(inputs.shape)
        y, state = pool_forward(inputs, geo, out_shape, self._mode, training)
        if relu_after:
            np.maximum(y, 0, out=y)
        return y, (inputs.shape, state, y if relu_after else None)

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        shape, state, relu_output = ctx
        geo = self._geometry(shape)
        return pool_backward(grad_outputs, shape, geo, self._mode, state, relu_output), []

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }


class MaxPooling2D(_Pooling):
    """The maximum of each `pool_size` window, moved by `strides` (default: pool_size).

    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)` (channels_first). Output shape: the same layout with
    `rows, cols` pooled: `(n - pool) // stride + 1` ("valid") or `ceil(n / stride)`
    ("same").
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kw):
        super().__init__(pool_size, strides, padding, data_format, **kw)


class AveragePooling2D(_Pooling):
    """The mean of each `pool_size` window ("same": padding is left out of the mean).

    Input shape: `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.
    Output shape: the same layout with `rows, cols` pooled as in MaxPooling2D.
    """

    _mode = "average"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kw):
        super().__init__(pool_size, strides, padding, data_format, **kw)


class MaxPooling1D(_Pooling):
    """The maximum of each `pool_size` window along the steps axis.

    Input shape: `(batch, steps, features)` (channels_last) or `(batch, features, steps)`.
    Output shape: the same layout with `steps` pooled as in MaxPooling2D.
    """

    _rank = 1

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kw):
        super().__init__(pool_size, strides, padding, data_format, **kw)


class AveragePooling1D(_Pooling):
    """The mean of each `pool_size` window along the steps axis.

    Input shape: `(batch, steps, features)` or `(batch, features, steps)`.
    Output shape: the same layout with `steps` pooled as in MaxPooling2D.
    """

    _rank = 1
    _mode = "average"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kw):
        super().__init__(pool_size, strides, padding, data_format, **kw)


class _GlobalPooling(Layer):
    """Reduce all spatial axes to one value per channel (max or mean)."""

    _rank = 2
    _mode = "max"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, **kw: Any) -> None:
        data_format = _legacy_format(kw, data_format)
        super().__init__(**kw)
        self.data_format = data_format
        self.keepdims = bool(keepdims)

    def _axes(self) -> tuple[int, ...]:
        first = 2 if self.data_format == "channels_first" else 1
        return tuple(range(first, first + self._rank))

    def validate_input_shape(self, input_shape: Any) -> None:
        if isinstance(input_shape, list) or len(input_shape) != self._rank + 2:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
                f"ndim={self._rank + 2}, found ndim="
                f"{'a list' if isinstance(input_shape, list) else len(input_shape)}. "
                f"Full shape received: {input_shape}"
            )

    def compute_output_shape(self, input_shape: Any) -> tuple:
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        reduce = np.max if self._mode == "max" else np.mean
        kept = reduce(inputs, axis=self._axes(), keepdims=True)
        y = kept if self.keepdims else kept.reshape(self.compute_output_shape(inputs.shape))
        return y, ((inputs, kept) if self._mode == "max" else inputs.shape)

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        axes = self._axes()
        if self._mode == "average":
            shape = ctx
            count = math.prod(shape[ax] for ax in axes)
            g = np.expand_dims(grad_outputs, axes) if not self.keepdims else grad_outputs
            dx = np.empty(shape, dtype=np.result_type(g.dtype, np.float32))
            np.multiply(g, 1.0 / count, out=dx)  # broadcasts over the spatial axes
            return dx, []
        x, kept = ctx
        hits = np.equal(x, kept)
        counts = hits.sum(axis=axes, keepdims=True, dtype=x.dtype)  # ties share the gradient
        g = np.expand_dims(grad_outputs, axes) if not self.keepdims else grad_outputs
        return hits * (g / counts), []

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalMaxPooling2D(_GlobalPooling):
    """The maximum over rows and cols of each channel.

    Input shape: `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.
    Output shape: `(batch, channels)`, or with `keepdims=True` the input's rank with 1s.
    """


class GlobalAveragePooling2D(_GlobalPooling):
    """The mean over rows and cols of each channel.

    Input shape: `(batch, rows, cols, channels)` or `(batch, channels, rows, cols)`.
    Output shape: `(batch, channels)`, or with `keepdims=True` the input's rank with 1s.
    """

    _mode = "average"


class GlobalMaxPooling1D(_GlobalPooling):
    """The maximum over the steps of each feature.

    Input shape: `(batch, steps, features)` or `(batch, features, steps)`.
    Output shape: `(batch, features)`, or `(batch, 1, features)` with `keepdims=True`.
    """

    _rank = 1


class GlobalAveragePooling1D(_GlobalPooling):
    """The mean over the steps of each feature.

    Input shape: `(batch, steps, features)` or `(batch, features, steps)`.
    Output shape: `(batch, features)`, or `(batch, 1, features)` with `keepdims=True`.
    """

    _rank = 1
    _mode = "average"


# Keras' short aliases (the same classes, as in `keras.layers`).
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
