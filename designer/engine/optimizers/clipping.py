"""Gradient clipping as Keras 3: `clipnorm` per variable, `global_clipnorm` over all,
`clipvalue` elementwise; plus the `loss_scale_factor` division that precedes them.

The list form serves `apply_gradients`; the flat form serves `apply_flat` and writes
into one preallocated buffer. Both compute norms per variable the same way, so the
two entry points give identical numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["clip_by_global_norm", "clip_flat", "clip_list", "global_norm"]


def global_norm(arrays: Iterable[np.ndarray]) -> float:
    """sqrt of the summed squares of all arrays (each array summed separately)."""
    return math.sqrt(math.fsum(float(np.vdot(a, a)) for a in arrays))


def _global_scale(norm: float, clip_norm: float) -> float:
    if not math.isfinite(norm):
        return math.nan  # Keras turns the gradients into NaN when the norm is not finite
    return 1.0 if norm <= clip_norm else clip_norm / norm


def clip_by_global_norm(arrays: Sequence[np.ndarray], clip_norm: float) -> list[np.ndarray]:
    """Scale all arrays together so their global norm is at most `clip_norm`."""
    scale = _global_scale(global_norm(arrays), clip_norm)
    return [a if scale == 1.0 else a * scale for a in arrays]


def _clip_norm(a: np.ndarray, clipnorm: float, out: np.ndarray | None = None) -> np.ndarray:
    norm = math.sqrt(float(np.vdot(a, a)))
    if norm > clipnorm:
        return np.multiply(a, clipnorm / norm, out=out)
    if out is None:
        return a
    out[...] = a
    return out


def needs_clipping(clipnorm: float | None, global_clipnorm: float | None,
                   clipvalue: float | None, loss_scale_factor: float | None) -> bool:
    """Whether any gradient transformation is configured."""
    return loss_scale_factor is not None or any(
        c is not None and c > 0 for c in (clipnorm, global_clipnorm, clipvalue))


def clip_list(arrays: list[np.ndarray], clipnorm: float | None, global_clipnorm: float | None,
              clipvalue: float | None, loss_scale_factor: float | None = None
              ) -> list[np.ndarray]:
    """New (or unchanged) gradient arrays, one per variable."""
    if loss_scale_factor is not None:
        arrays = [a / loss_scale_factor for a in arrays]
    if clipnorm is not None and clipnorm > 0:
        return [_clip_norm(a, clipnorm) for a in arrays]
    if global_clipnorm is not None and global_clipnorm > 0:
        return clip_by_global_norm(arrays, global_clipnorm)
    if clipvalue is not None and clipvalue > 0:
        return [np.clip(a, -clipvalue, clipvalue) for a in arrays]
    return arrays


def clip_flat(grad: np.ndarray, segments: Sequence[slice], buf: np.ndarray,
              clipnorm: float | None, global_clipnorm: float | None, clipvalue: float | None,
              loss_scale_factor: float | None = None) -> np.ndarray:
    """The clipped flat gradient, written into `buf` (`grad` itself is never modified)."""
    if loss_scale_factor is not None:
        grad = np.divide(grad, loss_scale_factor, out=buf)
    if clipnorm is not None and clipnorm > 0:
        for s in segments:
            _clip_norm(grad[s], clipnorm, out=buf[s])
        return buf
    if global_clipnorm is not None and global_clipnorm > 0:
        scale = _global_scale(global_norm(grad[s] for s in segments), global_clipnorm)
        return grad if scale == 1.0 else np.multiply(grad, scale, out=buf)
    if clipvalue is not None and clipvalue > 0:
        return np.clip(grad, -clipvalue, clipvalue, out=buf)
    return grad
