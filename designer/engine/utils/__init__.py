"""Utilities from `keras.utils`: one-hot labels, seeding, progress bars."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.random import set_random_seed


def to_categorical(x: Any, num_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer class labels: `[0, 2]` → `[[1,0,0],[0,0,1]]` (float32).

    A trailing axis of size 1 is dropped first, as Keras does.
    """
    y = np.asarray(x)
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError("to_categorical expects integer class labels; received non-integers.")
    elif y.dtype.kind not in "iub":
        raise ValueError(f"to_categorical expects integer class labels; received dtype {y.dtype}.")
    y = y.astype(np.int64)
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y.reshape(y.shape[:-1])
    if y.size and y.min() < 0:
        raise ValueError(f"Class labels must be >= 0; received {int(y.min())}.")
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    elif y.size and y.max() >= num_classes:
        raise ValueError(
            f"Class label {int(y.max())} does not fit num_classes={num_classes} "
            f"(labels must be in 0..{num_classes - 1})."
        )
    out = np.zeros((*y.shape, num_classes), dtype=np.float32)
    np.put_along_axis(out, y[..., None], 1.0, axis=-1)
    return out


def normalize(x: Any, axis: int = -1, order: int = 2) -> np.ndarray:
    """Scale rows to unit norm (`keras.utils.normalize`)."""
    x = np.asarray(x, dtype=np.float32)
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    return x / norm


def __getattr__(name: str) -> Any:
    if name == "Progbar":
        from designer.engine.callbacks.progbar import Progbar

        return Progbar
    raise AttributeError(name)


__all__ = ["Progbar", "normalize", "set_random_seed", "to_categorical"]
