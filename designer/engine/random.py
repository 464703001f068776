"""Random number helpers that make scripts reproducible the way tutorials expect.

Tutorials call `np.random.seed(7)` (or `keras.utils.set_random_seed(7)`) at the top
and expect identical weights, dropout masks and shuffles on every run. Every random
draw in the engine therefore starts from a `numpy.random.Generator` whose seed is,
unless given, taken from NumPy's global legacy state (`make_rng`).
"""

from __future__ import annotations

import random as _python_random
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "draw_seed",
    "make_rng",
    "normal",
    "set_random_seed",
    "truncated_normal",
    "uniform",
]

_MAX_SEED = 2**31 - 1


def draw_seed() -> int:
    """A fresh integer seed from NumPy's global state (so `np.random.seed` governs it)."""
    return int(np.random.randint(0, _MAX_SEED))


def make_rng(seed: int | np.random.Generator | None = None) -> np.random.Generator:
    """A `Generator` for `seed`; with `seed=None` the seed comes from `np.random`.

    A Generator passed in is returned unchanged, so callers can thread one through.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        seed = draw_seed()
    elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            "Argument `seed` must be an integer, a `numpy.random.Generator` or None. "
            f"Received: seed={seed!r} (of type {type(seed)})"
        )
    return np.random.default_rng(int(seed))


def set_random_seed(seed: int) -> None:
    """Seed Python's `random` and NumPy's global state, as `keras.utils.set_random_seed`."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            "Expected `seed` argument to be an integer. "
            f"Received: seed={seed!r} (of type {type(seed)})"
        )
    _python_random.seed(int(seed))
    np.random.seed(int(seed))


def _float_dtype(dtype: Any) -> np.dtype:
    dtype = np.dtype("float32" if dtype is None else dtype)
    return dtype


def _generate_dtype(dtype: np.dtype) -> np.dtype:
    # Generators draw float32/float64 natively; anything else is drawn in float32.
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


def uniform(
    rng: np.random.Generator,
    shape: Sequence[int],
    minval: float = 0.0,
    maxval: float = 1.0,
    dtype: Any = "float32",
) -> np.ndarray:
    """Uniform values in [minval, maxval); integer dtypes draw integers."""
    dtype = _float_dtype(dtype)
    shape = tuple(int(d) for d in shape)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(int(minval), int(maxval), size=shape, dtype=dtype)
    x = rng.random(size=shape, dtype=_generate_dtype(dtype))
    x *= float(maxval) - float(minval)
    x += float(minval)
    return x.astype(dtype, copy=False)


def normal(
    rng: np.random.Generator,
    shape: Sequence[int],
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = "float32",
) -> np.ndarray:
    """Normally distributed values."""
    dtype = _float_dtype(dtype)
    x = rng.standard_normal(size=tuple(int(d) for d in shape), dtype=_generate_dtype(dtype))
    x *= float(stddev)
    x += float(mean)
    return x.astype(dtype, copy=False)


def truncated_normal(
    rng: np.random.Generator,
    shape: Sequence[int],
    mean: float = 0.0,
    stddev: float = 1.0,
    dtype: Any = "float32",
) -> np.ndarray:
    """Normal values redrawn until within two standard deviations of the mean (as Keras)."""
    dtype = _float_dtype(dtype)
    gen_dtype = _generate_dtype(dtype)
    x = rng.standard_normal(size=tuple(int(d) for d in shape), dtype=gen_dtype)
    flat = x.reshape(-1)
    bad = np.flatnonzero(np.abs(flat) >= 2.0)
    while bad.size:  # each round redraws ~4.6% of the previous round's values
        flat[bad] = rng.standard_normal(size=bad.size, dtype=gen_dtype)
        bad = bad[np.abs(flat[bad]) >= 2.0]
    x *= float(stddev)
    x += float(mean)
    return x.astype(dtype, copy=False)
