"""ZeroPadding2D and UpSampling2D: change the spatial size of images (no weights)."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.backend.config import normalize_data_format
from designer.engine.layers.base import Layer
from designer.engine.layers.conv_ops import int_tuple
from designer.engine.legacy_keywords import data_format_of


class _Image2D(Layer):
    """A 4-D image layer: data_format handling and the rank check."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        if "dim_ordering" in kwargs:  # Keras 1 spelling
            data_format = data_format_of(kwargs.pop("dim_ordering")) or data_format
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)

    @property
    def _spatial_axes(self) -> tuple[int, int]:
        return (2, 3) if self.data_format == "channels_first" else (1, 2)

    def validate_input_shape(self, input_shape: Any) -> None:
        if isinstance(input_shape, list) or len(input_shape) != 4:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
                f"ndim=4, found ndim={len(input_shape)}. Full shape received: {input_shape}"
            )

    def _scaled_shape(self, input_shape: Any, fn: Any) -> tuple:
        shape = list(input_shape)
        for index, axis in enumerate(self._spatial_axes):
            if shape[axis] is not None:
                shape[axis] = fn(index, shape[axis])
        return tuple(shape)


class ZeroPadding2D(_Image2D):
    """Adds rows and columns of zeros around each image.

    `padding`: an int (all sides), `(rows, cols)` (symmetric), or
    `((top, bottom), (left, right))`.
    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)` (channels_first). Output shape: the same with
    `rows + top + bottom` and `cols + left + right`.
    """

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs: Any):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
            padding = ((int(padding),) * 2,) * 2
        elif hasattr(padding, "__len__") and not isinstance(padding, str):
            if len(padding) != 2:
                raise ValueError(
                    f"`padding` should have two elements. Received: padding={padding!r}."
                )
            padding = (
                int_tuple(padding[0], 2, "1st entry of padding", allow_zero=True),
                int_tuple(padding[1], 2, "2nd entry of padding", allow_zero=True),
            )
        else:
            raise ValueError(
                "`padding` should be either an int, a tuple of 2 ints (symmetric_height_pad, "
                "symmetric_width_pad), or a tuple of 2 tuples of 2 ints ((top_pad, "
                f"bottom_pad), (left_pad, right_pad)). Received: padding={padding!r}."
            )
        if any(p < 0 for pair in padding for p in pair):
            raise ValueError(f"`padding` values must be >= 0. Received: padding={padding!r}.")
        self.padding: tuple[tuple[int, int], tuple[int, int]] = padding

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return self._scaled_shape(input_shape, lambda i, n: n + sum(self.padding[i]))

    def _interior(self, input_shape: tuple) -> tuple:
        index: list[Any] = [slice(None)] * 4
        for (before, _), axis in zip(self.padding, self._spatial_axes, strict=True):
            index[axis] = slice(before, before + input_shape[axis])
        return tuple(index)

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        interior = self._interior(inputs.shape)
        out = np.zeros(self.compute_output_shape(inputs.shape), dtype=inputs.dtype)
        out[interior] = inputs
        return out, interior

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        return grad_outputs[ctx], []

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "padding": [list(pair) for pair in self.padding],
            "data_format": self.data_format,
        }


def _linear_resize_matrix(length: int, scale: int) -> np.ndarray:
    """(length * scale, length) weights of half-pixel bilinear resizing along one axis."""
    out = length * scale
    source = np.maximum((np.arange(out) + 0.5) / scale - 0.5, 0.0)
    low = np.minimum(np.floor(source).astype(np.intp), length - 1)
    high = np.minimum(low + 1, length - 1)
    frac = source - low
    matrix = np.zeros((out, length))
    rows = np.arange(out)
    np.add.at(matrix, (rows, low), 1.0 - frac)
    np.add.at(matrix, (rows, high), frac)
    return matrix


class UpSampling2D(_Image2D):
    """Repeats rows and columns `size` times ('nearest') or interpolates ('bilinear').

    Bilinear uses half-pixel centres without antialiasing, as Keras' image resize.
    Input shape: `(batch, rows, cols, channels)` (channels_last) or
    `(batch, channels, rows, cols)` (channels_first). Output shape: the same with
    `rows * size[0]` and `cols * size[1]`.
    """

    _interpolations = ("nearest", "bilinear")

    def __init__(
        self,
        size: Any = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        super().__init__(data_format=data_format, **kwargs)
        self.size = int_tuple(size, 2, "size")
        name = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if name in ("bicubic", "lanczos3", "lanczos5"):
            raise NotImplementedError(
                f"UpSampling2D(interpolation={interpolation!r}) is not supported by this "
                f"engine. Supported: {list(self._interpolations)}."
            )
        if name not in self._interpolations:
            raise ValueError(
                f"Unknown value for `interpolation` argument of UpSampling2D. Allowed values "
                f"are: {list(self._interpolations)}. Received: interpolation={interpolation!r}"
            )
        self.interpolation = name

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return self._scaled_shape(input_shape, lambda i, n: n * self.size[i])

    def _channels_first_view(self, x: np.ndarray) -> np.ndarray:
        return x if self.data_format == "channels_first" else x.transpose(0, 3, 1, 2)

    def _restore(self, x: np.ndarray) -> np.ndarray:
        return x if self.data_format == "channels_first" else x.transpose(0, 2, 3, 1)

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        x = self._channels_first_view(inputs)  # (N, C, H, W)
        n, c, h, w = x.shape
        sh, sw = self.size
        if self.interpolation == "nearest":
            repeated = np.broadcast_to(x[:, :, :, None, :, None], (n, c, h, sh, w, sw))
            return self._restore(repeated.reshape(n, c, h * sh, w * sw)), x.shape
        rows = _linear_resize_matrix(h, sh).astype(x.dtype)
        cols = _linear_resize_matrix(w, sw).astype(x.dtype)
        return self._restore(rows @ x @ cols.T), (rows, cols)

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        dy = self._channels_first_view(grad_outputs)
        sh, sw = self.size
        if self.interpolation == "nearest":
            n, c, h, w = ctx
            return self._restore(dy.reshape(n, c, h, sh, w, sw).sum(axis=(3, 5))), []
        rows, cols = ctx
        return self._restore(rows.T @ dy @ cols), []

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "size": list(self.size),
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
