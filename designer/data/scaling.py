"""Input scaling whose statistics come from the training rows only, then apply anywhere.

Tabular samples (rank 1) get one statistic per feature; images and other higher-rank
samples get one statistic for all values, so border pixels that are always 0 do not
blow up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

SCALINGS = ("none", "divide_255", "min_max", "standardize")


@dataclass(frozen=True, eq=False)
class ScalerStats:
    """x → (x - offset) / scale, with float32 `offset` and `scale` broadcast per sample."""

    kind: str
    offset: np.ndarray
    scale: np.ndarray
    fitted_on: int = 0

    def apply(self, x: np.ndarray) -> np.ndarray:
        """A scaled float32 copy (e.g. for new inputs to `predict`)."""
        return self.apply_in_place(np.array(x, dtype=np.float32))

    def apply_in_place(self, x: np.ndarray) -> np.ndarray:
        """Scale a float32 array the caller owns, without a copy."""
        x -= self.offset
        x /= self.scale
        return x

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "offset": self.offset.tolist(),
            "scale": self.scale.tolist(),
            "fitted_on": self.fitted_on,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScalerStats:
        if not isinstance(data, dict) or data.get("kind") not in SCALINGS:
            raise ValueError(f"Invalid scaler statistics: {data!r}")
        return cls(
            data["kind"],
            np.asarray(data["offset"], dtype=np.float32),
            np.asarray(data["scale"], dtype=np.float32),
            int(data.get("fitted_on", 0)),
        )


def fit_scaler(kind: str, x_train: np.ndarray) -> ScalerStats | None:
    """Statistics for `kind` from the training rows; None for "none"."""
    if kind not in SCALINGS:
        raise ValueError(f"Invalid scaling: {kind!r}. Valid values are: {', '.join(SCALINGS)}.")
    if kind == "none":
        return None
    n = len(x_train)
    if kind == "divide_255":
        return ScalerStats(kind, np.float32(0.0), np.float32(255.0), n)
    if n == 0:
        raise ValueError(f"Cannot fit {kind!r} scaling on zero training samples.")
    axis = 0 if x_train.ndim == 2 else None
    if kind == "min_max":
        low = np.min(x_train, axis=axis).astype(np.float64)
        span = np.max(x_train, axis=axis).astype(np.float64) - low
        offset, scale = low, span
    else:
        offset = np.mean(x_train, axis=axis, dtype=np.float64)
        scale = np.std(x_train, axis=axis, dtype=np.float64)
    scale = np.where(scale > 0, scale, 1.0)
    return ScalerStats(kind, np.asarray(offset, np.float32), np.asarray(scale, np.float32), n)
