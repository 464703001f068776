"""im2col / col2im for 2-D convolutions (Conv1D runs on them as a height-1 Conv2D).

One GEMM per convolution: the input windows are copied once into a column matrix
`cols` of shape `(M, K)` (M = batch * out_h * out_w, K = kh * kw * in_channels, in
the kernel's own `(kh, kw, in)` order, so the kernel reshapes to `(K, filters)` for
free) and multiplied by the kernel. Which way round `cols` sits in memory depends
on the data format, so the copy reads long contiguous runs:

* channels_first (and single-channel inputs): `cols` is stored transposed,
  `(K, M)`, one contiguous row per kernel tap; each row copies image rows.
* channels_last: `cols` is stored `(M, K)`; each window copies `kw * C` contiguous
  values.

The GEMM result `(M, filters)` is channels-last ordered; channels_first callers get a
transposed view of it (no copy). col2im loops over the kh*kw kernel offsets adding
strided slices (no loops over samples or pixels).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Pads = tuple[tuple[int, int], tuple[int, int]]


def int_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or n ints -> a tuple of n ints, refused with Keras' message otherwise."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value!r}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        values: tuple[Any, ...] = (int(value),) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(message) from None
        if len(values) != n or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values
        ):
            raise ValueError(message)
        values = tuple(int(v) for v in values)
    bad = sorted({v for v in values if v < 0 or (v == 0 and not allow_zero)})
    if bad:
        raise ValueError(
            f"{message}, including values {bad} that do not satisfy "
            f"`value {'>= 0' if allow_zero else '> 0'}`"
        )
    return values


class ConvGeometry(NamedTuple):
    """Everything backward needs to know about one forward call (a few ints)."""

    input_shape: tuple[int, ...]  # the 4-D input as given (NHWC or NCHW)
    padded_shape: tuple[int, ...]
    pads: Pads
    out_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    strides: tuple[int, int]
    dilation: tuple[int, int]
    channels_first: bool
    transposed: bool  # cols stored as (K, M)


def conv_output_length(
    length: int | None, kernel: int, stride: int, dilation: int, padding: str
) -> int | None:
    """Keras' output length: 'same' and 'causal' give ceil(length / stride)."""
    if length is None:
        return None
    if padding in ("same", "causal"):
        return -(-length // stride)
    return (length - ((kernel - 1) * dilation + 1)) // stride + 1


def padding_amounts(
    length: int, kernel: int, stride: int, dilation: int, padding: str
) -> tuple[int, int]:
    """(before, after) zeros, as TF/Keras: 'same' puts the odd pixel after."""
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        return (0, 0)
    if padding == "causal":
        return (effective - 1, 0)
    out = -(-length // stride)
    total = max((out - 1) * stride + effective - length, 0)
    return (total // 2, total - total // 2)


def _spatial_axes(channels_first: bool) -> tuple[int, int]:
    return (2, 3) if channels_first else (1, 2)


def _pad(x: np.ndarray, pads: Pads, channels_first: bool) -> np.ndarray:
    if pads == ((0, 0), (0, 0)):
        return x
    shape = list(x.shape)
    index: list[Any] = [slice(None)] * 4
    for axis, (before, after) in zip(_spatial_axes(channels_first), pads, strict=True):
        index[axis] = slice(before, before + shape[axis])
        shape[axis] += before + after
    padded = np.zeros(shape, dtype=x.dtype)
    padded[tuple(index)] = x
    return padded


def _windows(xp: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """A strided view of every window, ordered (N, oh, ow, kh, kw, C) or its transpose."""
    (kh, kw), (sh, sw), (dh, dw) = geometry.kernel_hw, geometry.strides, geometry.dilation
    oh, ow = geometry.out_hw
    span = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
    axes = _spatial_axes(geometry.channels_first)
    view = sliding_window_view(xp, span, axis=axes)  # (..., H', W', ..., span_h, span_w)
    if geometry.channels_first:  # (N, C, H', W', sh, sw)
        view = view[:, :, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw, ::dh, ::dw]
        by_tap = (4, 5, 1, 0, 2, 3)  # (kh, kw, C, N, oh, ow)
        by_pixel = (0, 2, 3, 4, 5, 1)
    else:  # (N, H', W', C, sh, sw)
        view = view[:, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw, :, ::dh, ::dw]
        by_tap = (4, 5, 3, 0, 1, 2)
        by_pixel = (0, 1, 2, 4, 5, 3)  # (N, oh, ow, kh, kw, C)
    return view.transpose(by_tap if geometry.transposed else by_pixel)


def im2col(
    x: np.ndarray,
    kernel_hw: tuple[int, int],
    strides: tuple[int, int],
    dilation: tuple[int, int],
    pads: Pads,
    out_hw: tuple[int, int],
    channels_first: bool,
    ones: bool = False,
) -> tuple[np.ndarray, ConvGeometry]:
    """Copy every window of the 4-D `x` once; returns `cols` as an (M, K) matrix.

    `ones=True` appends a column of ones, (M, K + 1), so that one GEMM with the bias
    appended to the kernel adds the bias, and `cols.T @ dz` yields its gradient too.
    """
    channels = x.shape[1] if channels_first else x.shape[3]
    xp = _pad(x, pads, channels_first)
    geometry = ConvGeometry(
        input_shape=tuple(x.shape),
        padded_shape=tuple(xp.shape),
        pads=pads,
        out_hw=out_hw,
        kernel_hw=kernel_hw,
        strides=strides,
        dilation=dilation,
        channels_first=channels_first,
        transposed=channels_first or channels == 1,
    )
    windows = _windows(xp, geometry)
    m = x.shape[0] * out_hw[0] * out_hw[1]
    k = kernel_hw[0] * kernel_hw[1] * channels
    width = k + 1 if ones else k
    if geometry.transposed:
        buffer = np.empty((width, m), dtype=x.dtype)
        target = buffer[:k]
        matrix = buffer.T
    else:
        buffer = np.empty((m, width), dtype=x.dtype)
        target = buffer[:, :k]
        matrix = buffer
    np.copyto(np.reshape(target, windows.shape, copy=False), windows)
    if ones:
        matrix[:, k] = 1
    return matrix, geometry


def col2im(dz: np.ndarray, kernel_matrix: np.ndarray, geometry: ConvGeometry) -> np.ndarray:
    """d(loss)/d(input) from `dz` (M, filters): one GEMM, then kh*kw strided adds."""
    (kh, kw), (sh, sw), (dh, dw) = geometry.kernel_hw, geometry.strides, geometry.dilation
    oh, ow = geometry.out_hw
    n = geometry.input_shape[0]
    cf = geometry.channels_first
    channels = geometry.input_shape[1] if cf else geometry.input_shape[3]
    dtype = np.result_type(dz.dtype, kernel_matrix.dtype)
    dxp = np.zeros(geometry.padded_shape, dtype=dtype)
    if geometry.transposed:
        # (K, M): one contiguous block per tap, laid out (C, N, oh, ow).
        dcols = (kernel_matrix @ dz.T).reshape(kh, kw, channels, n, oh, ow)
        order = (1, 0, 2, 3) if cf else (1, 2, 3, 0)
    else:
        dcols = (dz @ kernel_matrix.T).reshape(n, oh, ow, kh, kw, channels)
    for i in range(kh):
        rows = slice(i * dh, i * dh + (oh - 1) * sh + 1, sh)
        for j in range(kw):
            cols = slice(j * dw, j * dw + (ow - 1) * sw + 1, sw)
            tap = dcols[i, j].transpose(order) if geometry.transposed else dcols[:, :, :, i, j]
            if cf:
                dxp[:, :, rows, cols] += tap
            else:
                dxp[:, rows, cols, :] += tap
    if geometry.pads == ((0, 0), (0, 0)):
        return dxp
    index: list[Any] = [slice(None)] * 4
    for axis, (before, _) in zip(_spatial_axes(cf), geometry.pads, strict=True):
        index[axis] = slice(before, before + geometry.input_shape[axis])
    return dxp[tuple(index)]
