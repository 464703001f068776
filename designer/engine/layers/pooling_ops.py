"""The window arithmetic behind the pooling layers: geometry, forward and backward.

Every windowed pooling runs as a loop over the pool offsets (4 for 2x2): offset
`(i, j)` is one strided view of the input holding element `(i, j)` of every window.
Each view is copied out to a contiguous scratch buffer and combined there, because
NumPy's SIMD loops only run on contiguous data; this beats both combining straight
from the strided views and reshaping to `(N, C, H/2, 2, W/2, 2)` and reducing over
the length-2 axes (NumPy's worst case, ~15x slower on (200, 32, 24, 24)).

Max pooling in training mode also records, per window, the offset of its first
maximum in row-major window order (as PyTorch and TensorFlow pick), so backward
needs neither the input nor a comparison pass and ties (ReLU zeros) get the gradient
once. Index updates use unsigned arithmetic, since NumPy's masked copies are ~40x
slower than a multiply. Batches large enough are split over cores (`parallel`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine import parallel
from designer.engine.kernels import pooling_kernels


class KernelMaxState:
    """What backward needs after a compiled max-pool forward: the first-max offsets."""

    def __init__(self, index: np.ndarray) -> None:
        self.index = index


class PoolGeometry:
    """Where the windows of one input size fall: output sizes, padding, offsets."""

    def __init__(self, shape: tuple, axes: tuple, pool: tuple, strides: tuple, padding: str):
        self.axes, self.pool, self.strides = axes, pool, strides
        self.spatial = spatial = tuple(shape[ax] for ax in axes)
        self.out, self.pads = [], []
        for length, p, s in zip(spatial, pool, strides, strict=True):
            if padding == "valid":
                out = (length - p) // s + 1
                pad = (0, 0)
            else:
                out = (length - 1) // s + 1
                total = max(0, (out - 1) * s + p - length)
                pad = (total // 2, total - total // 2)
            self.out.append(out)
            self.pads.append(pad)
        self.padded = any(a or b for a, b in self.pads)
        self.disjoint = all(s >= p for p, s in zip(pool, strides, strict=True))
        self.covering = (
            not self.padded
            and self.disjoint
            and all(
                s == p and o * p == n
                for n, o, p, s in zip(spatial, self.out, pool, strides, strict=True)
            )
        )

    def views(self, a: np.ndarray):
        """One strided view per pool offset, each shaped like the output (row-major)."""
        for offset in itertools.product(*(range(p) for p in self.pool)):
            index = [slice(None)] * a.ndim
            for ax, o, s, n in zip(self.axes, offset, self.strides, self.out, strict=True):
                index[ax] = slice(o, o + s * (n - 1) + 1, s)
            yield a[tuple(index)]

    def pad(self, a: np.ndarray, fill: float) -> np.ndarray:
        widths = [(0, 0)] * a.ndim
        for ax, pad in zip(self.axes, self.pads, strict=True):
            widths[ax] = pad
        return np.pad(a, widths, constant_values=fill) if self.padded else a

    def interior(self, a: np.ndarray) -> np.ndarray:
        index = [slice(None)] * a.ndim
        for ax, (before, after) in zip(self.axes, self.pads, strict=True):
            index[ax] = slice(before, a.shape[ax] - after)
        return a[tuple(index)]

    def inverse_counts(self, ndim: int, dtype: np.dtype) -> Any:
        """1 / (real, unpadded elements per window), shaped to broadcast on the output."""
        if not self.padded:
            return 1.0 / math.prod(self.pool)
        counts = np.ones((1,) * ndim, dtype=np.float64)
        for ax, n, p, s, (before, _), length in zip(
            self.axes, self.out, self.pool, self.strides, self.pads, self.spatial, strict=True
        ):
            start = np.arange(n) * s
            real = np.minimum(start + p, before + length) - np.maximum(start, before)
            shape = [1] * ndim
            shape[ax] = n
            counts = counts * real.reshape(shape)
        return (1.0 / counts).astype(dtype)


def index_dtype(geo: PoolGeometry) -> np.dtype:
    return np.min_scalar_type(math.prod(geo.pool) - 1)


def first_max_index(geo: PoolGeometry, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For each window, the offset of its first element equal to the window's max."""
    index = np.zeros(y.shape, index_dtype(geo))
    views = list(geo.views(geo.pad(x, -np.inf)))
    step = np.empty_like(index)
    for k in range(len(views) - 1, -1, -1):  # earlier offsets overwrite later ones
        hit = np.equal(views[k], y).view(np.uint8)
        # index = k where hit, as unsigned arithmetic (masked copies are slow).
        np.subtract(index.dtype.type(k), index, out=step)
        step *= hit
        index += step
    return index


def _over_batch(work: Callable[[int, int, int], None], array: np.ndarray) -> None:
    """Run `work(chunk, start, stop)` over batch chunks, in parallel when large."""
    per_sample = max(1, array[:1].size)
    parallel.for_each_chunk(work, array.shape[0], max(1, parallel.MIN_CHUNK // per_sample))


def pool_forward(
    x: np.ndarray, geo: PoolGeometry, out_shape: tuple, mode: str, training: bool
) -> tuple[np.ndarray, Any]:
    """Max or average pool `x`; returns the output and the state backward needs."""
    if mode == "max" and pooling_kernels.usable(x, geo.axes, geo.padded):
        y, index = pooling_kernels.max_pool_forward(x, geo.axes, geo.pool, geo.strides,
                                                    out_shape)
        return y, KernelMaxState(index)
    y = np.empty(out_shape, dtype=x.dtype)
    is_max = mode == "max"
    scale = None if is_max else geo.inverse_counts(x.ndim, x.dtype)
    index = np.zeros(out_shape, index_dtype(geo)) if is_max and training else None

    def work(_: int, a: int, b: int) -> None:
        out = y[a:b]
        views = geo.views(geo.pad(x[a:b], -np.inf if is_max else 0.0))
        np.copyto(out, next(views))
        window = np.empty_like(out)
        if index is not None:
            greater = np.empty(out.shape, bool)
            winner = np.empty(out.shape, index.dtype)
        for k, view in enumerate(views, start=1):
            np.copyto(window, view)
            if index is not None:  # index = k where window > out (k only grows)
                np.greater(window, out, out=greater)
                np.multiply(greater, index.dtype.type(k), out=winner)
                np.maximum(index[a:b], winner, out=index[a:b])
            (np.maximum if is_max else np.add)(out, window, out=out)
        if scale is not None:
            out *= scale

    _over_batch(work, x)
    if not is_max:
        return y, scale
    return y, (index if index is not None else (x, y))


def pool_backward(
    dy: np.ndarray, shape: tuple, geo: PoolGeometry, mode: str, state: Any,
    relu_output: np.ndarray | None = None,
) -> np.ndarray:
    """The input gradient: each window's gradient to its first max, or spread evenly.

    `relu_output`: the output, when the pooling applied its producer's relu (max
    pooling only); the gradient is zeroed where it is not positive.
    """
    if isinstance(state, KernelMaxState):
        return pooling_kernels.max_pool_backward(dy, state.index, shape, geo.axes, geo.pool,
                                                 geo.strides, relu_output)
    if relu_output is not None:
        dy = dy * (relu_output > 0)
    dtype = dy.dtype
    dx = np.empty(shape, dtype) if geo.covering or geo.padded else np.zeros(shape, dtype)

    def work(_: int, a: int, b: int) -> None:
        g = dy[a:b]
        if geo.padded:
            padded = list(shape)
            padded[0] = b - a
            for ax, (before, after) in zip(geo.axes, geo.pads, strict=True):
                padded[ax] += before + after
            target = np.zeros(padded, dtype)
        else:
            target = dx[a:b]
        if mode == "max":
            if isinstance(state, tuple):  # forward ran in inference mode: find the maxima
                index = first_max_index(geo, state[0][a:b], state[1][a:b])
            else:
                index = state[a:b]
            hit = np.empty(g.shape, bool)
            for k, grad_view in enumerate(geo.views(target)):
                np.equal(index, k, out=hit)
                if geo.disjoint:
                    np.multiply(g, hit, out=grad_view)
                else:
                    grad_view += g * hit
        else:
            g = g * state
            for grad_view in geo.views(target):
                if geo.disjoint:
                    np.copyto(grad_view, g)
                else:
                    grad_view += g
        if geo.padded:
            dx[a:b] = geo.interior(target)

    _over_batch(work, dx)
    return dx
