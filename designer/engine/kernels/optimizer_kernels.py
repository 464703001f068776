"""Fused optimizer updates: one pass over the weights instead of NumPy's ten.

Each loop performs the same float32 operations in the same order as the NumPy code
in `designer.engine.optimizers` (which stays the reference), so both give equal
numbers; Numba compiles without fast-math, so nothing is reassociated or fused.
"""

from __future__ import annotations

import math

import numpy as np

from designer.engine.kernels import enabled, kernel


@kernel
def _adam_loop(g, p, m, v, c1, c2, alpha, eps):  # pragma: no cover - compiled
    for i in range(g.size):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * c1
        vi = v[i] + (gi * gi - v[i]) * c2
        m[i] = mi
        v[i] = vi
        p[i] -= mi / (math.sqrt(vi) + eps) * alpha


@kernel
def _amsgrad_loop(g, p, m, v, v_hat, c1, c2, alpha, eps):  # pragma: no cover - compiled
    for i in range(g.size):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * c1
        vi = v[i] + (gi * gi - v[i]) * c2
        m[i] = mi
        v[i] = vi
        vh = v_hat[i]
        if not (vh != vh or vh > vi):  # np.maximum: NaN wins, else the larger
            vh = vi
        v_hat[i] = vh
        p[i] -= mi / (math.sqrt(vh) + eps) * alpha


def _flat_float32(arrays: tuple[np.ndarray, ...]) -> list[np.ndarray] | None:
    """1-D views of `arrays` when all are contiguous float32 (else None: use NumPy)."""
    if not all(a.dtype == np.float32 and a.flags.c_contiguous for a in arrays):
        return None
    return [a.reshape(-1) for a in arrays]


def adam_update(gradient: np.ndarray, value: np.ndarray, m: np.ndarray, v: np.ndarray,
                v_hat: np.ndarray | None, beta_1: float, beta_2: float, alpha: float,
                epsilon: float) -> bool:
    """Adam's step in one fused pass; False (nothing done) when it cannot run here."""
    if not enabled():
        return False
    arrays = (gradient, value, m, v) if v_hat is None else (gradient, value, m, v, v_hat)
    flat = _flat_float32(arrays)
    if flat is None:
        return False
    f32 = np.float32
    constants = (f32(1.0 - beta_1), f32(1.0 - beta_2), f32(alpha), f32(epsilon))
    if v_hat is None:
        _adam_loop(*flat, *constants)
    else:
        _amsgrad_loop(*flat, *constants)
    return True
