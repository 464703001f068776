"""Max pooling in one pass: the window maximum and its offset, then the routed gradient.

NumPy pools with one pass per window offset plus index bookkeeping (about a dozen
passes over a (200, 24, 24, 32) map); these loops read the input once and write the
output and the offset once, and backward writes every input gradient once.

The loops work on a canonical 4-D view `(rows, H, W, K)`: batch first, the two
pooled axes, and the channels last so the innermost loop runs over contiguous
memory (1-D pooling has `W == 1`). `canonical` makes that view for any layout
without copying when the memory allows it.
"""

from __future__ import annotations

import numpy as np

from designer.engine import parallel
from designer.engine.kernels import enabled, kernel


@kernel
def _max_pool_forward(x, ph, pw, sh, sw, y, index):  # pragma: no cover - compiled
    rows, out_h, out_w, channels = y.shape
    for r in range(rows):
        for oh in range(out_h):
            h0 = oh * sh
            for ow in range(out_w):
                w0 = ow * sw
                for k in range(channels):
                    y[r, oh, ow, k] = x[r, h0, w0, k]
                    index[r, oh, ow, k] = 0
                offset = 0
                for i in range(ph):
                    for j in range(pw):
                        if offset > 0:
                            for k in range(channels):
                                v = x[r, h0 + i, w0 + j, k]
                                best = y[r, oh, ow, k]
                                # The first maximum wins; NaN propagates as np.maximum.
                                take = v > best or (v != v and best == best)
                                y[r, oh, ow, k] = v if take else best
                                index[r, oh, ow, k] = offset if take else index[r, oh, ow, k]
                        offset += 1


@kernel
def _max_pool_backward(dy, index, ph, pw, sh, sw, accumulate, zero, relu_output, masked,
                       dx):  # pragma: no cover - compiled
    rows, out_h, out_w, channels = dy.shape
    one = zero + 1
    for r in range(rows):
        for oh in range(out_h):
            h0 = oh * sh
            for ow in range(out_w):
                w0 = ow * sw
                offset = 0
                for i in range(ph):
                    for j in range(pw):
                        for k in range(channels):
                            g = zero
                            if index[r, oh, ow, k] == offset:
                                g = dy[r, oh, ow, k]
                                if masked:  # the producer's deferred relu: dy * (y > 0)
                                    g = g * (one if relu_output[r, oh, ow, k] > zero else zero)
                            if accumulate:
                                dx[r, h0 + i, w0 + j, k] += g
                            else:
                                dx[r, h0 + i, w0 + j, k] = g
                        offset += 1


def _canonical_order(ndim: int, axes: tuple[int, ...]) -> list[int]:
    """The layer's axes in canonical order: batch, the pooled axes, then channels."""
    return [0, *axes, next(ax for ax in range(1, ndim) if ax not in axes)]


def canonical_shape(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape `canonical` gives an array of `shape`."""
    dims = [shape[ax] for ax in _canonical_order(len(shape), axes)]
    return (dims[0], dims[1], 1, dims[2]) if len(axes) == 1 else tuple(dims)


def canonical(a: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """`a` viewed as (batch, H, W, channels) with `axes` the pooled ones (W=1 for 1-D)."""
    view = a.transpose(_canonical_order(a.ndim, axes))
    return view[:, :, None, :] if len(axes) == 1 else view


def from_canonical(view: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The inverse of `canonical`: the layer's own layout (a view)."""
    if len(axes) == 1:
        view = view[:, :, 0, :]
    return view.transpose(np.argsort(_canonical_order(view.ndim, axes)))


def usable(x: np.ndarray, axes: tuple[int, ...], padded: bool) -> bool:
    """Whether the kernels handle this input: float32, 1-D/2-D windows, no padding."""
    return (
        enabled()
        and x.dtype == np.float32
        and not padded
        and len(axes) in (1, 2)
        and x.ndim == len(axes) + 2
    )


def _window(pool: tuple[int, ...], strides: tuple[int, ...]) -> tuple[int, int, int, int]:
    if len(pool) == 1:
        return pool[0], 1, strides[0], 1
    return pool[0], pool[1], strides[0], strides[1]


def max_pool_forward(x: np.ndarray, axes: tuple[int, ...], pool: tuple[int, ...],
                     strides: tuple[int, ...], out_shape: tuple[int, ...]
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(y in the layer's layout, first-max offsets in the canonical layout)."""
    x4 = canonical(x, axes)
    ph, pw, sh, sw = _window(pool, strides)
    rows, channels = x4.shape[0], x4.shape[3]
    out_h = (x4.shape[1] - ph) // sh + 1
    out_w = (x4.shape[2] - pw) // sw + 1
    y4 = np.empty((rows, out_h, out_w, channels), x.dtype)
    index = np.empty(y4.shape, np.uint8 if ph * pw <= 256 else np.uint16)

    def work(_: int, a: int, b: int) -> None:
        _max_pool_forward(x4[a:b], ph, pw, sh, sw, y4[a:b], index[a:b])

    parallel.for_each_chunk(work, rows, _rows_per_chunk(x4))
    y = from_canonical(y4, axes)
    assert y.shape == tuple(out_shape)
    return y, index


def max_pool_backward(dy: np.ndarray, index: np.ndarray, input_shape: tuple[int, ...],
                      axes: tuple[int, ...], pool: tuple[int, ...],
                      strides: tuple[int, ...], relu_output: np.ndarray | None = None
                      ) -> np.ndarray:
    """The input gradient: each window's gradient to its first maximum.

    `relu_output`: the pooled output when the pooling applied its producer's relu;
    the gradient is then zeroed where that output is not positive, in the same pass.
    """
    ph, pw, sh, sw = _window(pool, strides)
    # A channels-first gradient (after Flatten) is strided in this view: one transposing
    # copy, then contiguous passes, is 3x faster than striding through it.
    dy4 = np.ascontiguousarray(canonical(dy, axes))
    masked = relu_output is not None
    mask4 = canonical(relu_output, axes) if masked else dy4  # unused when not masked
    shape4 = canonical_shape(tuple(input_shape), axes)
    out_h, out_w = dy4.shape[1], dy4.shape[2]
    overlapping = sh < ph or sw < pw
    covered = not overlapping and out_h * sh == shape4[1] and out_w * sw == shape4[2] \
        and sh == ph and sw == pw
    dx4 = (np.empty if covered else np.zeros)(shape4, dy.dtype)
    zero = dy.dtype.type(0)

    def work(_: int, a: int, b: int) -> None:
        _max_pool_backward(dy4[a:b], index[a:b], ph, pw, sh, sw, overlapping, zero,
                           mask4[a:b], masked, dx4[a:b])

    parallel.for_each_chunk(work, shape4[0], _rows_per_chunk(dx4))
    return from_canonical(dx4, axes)


def _rows_per_chunk(a: np.ndarray) -> int:
    return max(1, parallel.MIN_CHUNK // max(1, a[:1].size))
