"""What kind of targets an array holds: class ids, ±1, one-hot or continuous values.

Preparation, compatibility advice, the dataset's task guess and the insight tabs
(`designer.insight.targets`) all ask this one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_CLASSES = 256
"""More distinct integer values than this and the targets are taken as continuous."""

LABEL_KINDS = ("integer", "plus_minus_one", "one_hot", "continuous")


@dataclass(frozen=True)
class LabelInfo:
    """`kind` is one of LABEL_KINDS; `num_classes` is None for continuous targets."""

    kind: str
    num_classes: int | None
    minimum: float
    maximum: float

    @property
    def is_classification(self) -> bool:
        return self.kind != "continuous"


def _is_one_hot(y: np.ndarray) -> bool:
    if y.ndim != 2 or y.shape[1] < 2:
        return False
    if not np.all((y == 0) | (y == 1)):
        return False
    return bool(np.all(y.sum(axis=1) == 1))


def describe_labels(y: np.ndarray, class_names: tuple[str, ...] | list[str] = ()) -> LabelInfo:
    """Classify targets; `class_names` (from text labels) settle the class count."""
    y = np.asarray(y)
    if y.dtype.kind == "f" and y.ndim and not np.isfinite(y).all():
        # NaN/inf rows are dropped by Prepare (or refused): describe the others
        y = y[np.isfinite(y.reshape(len(y), -1)).all(axis=1)]
    if y.size == 0:
        return LabelInfo("continuous", None, 0.0, 0.0)
    if y.dtype.kind == "b":
        y = y.astype(np.int8)
    low, high = float(y.min()), float(y.max())
    if _is_one_hot(y):
        return LabelInfo("one_hot", int(y.shape[1]), low, high)
    column = y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1)
    if not column:
        return LabelInfo("continuous", None, low, high)
    integral = y.dtype.kind in "iu" or bool(np.all(y == np.round(y)))
    if not integral:
        return LabelInfo("continuous", None, low, high)
    if low == -1 and high == 1 and np.all((y == -1) | (y == 1)):
        return LabelInfo("plus_minus_one", 2, low, high)
    if low >= 0:
        count = max(int(high) + 1, len(class_names))
        if class_names or (count <= MAX_CLASSES and (y.dtype.kind in "iu" or count <= 20)):
            return LabelInfo("integer", count, low, high)
    return LabelInfo("continuous", None, low, high)


def text_to_indices(*arrays: np.ndarray | None) -> tuple[list[np.ndarray | None], tuple[str, ...]]:
    """Map text labels to class indices (sorted names), one mapping for all arrays."""
    present = [np.char.strip(np.asarray(a).astype(str)) for a in arrays if a is not None]
    names = np.unique(np.concatenate([a.ravel() for a in present])) if present else np.array([])
    out: list[np.ndarray | None] = []
    it = iter(present)
    for a in arrays:
        if a is None:
            out.append(None)
        else:
            out.append(np.searchsorted(names, next(it)).astype(np.int64))
    return out, tuple(str(n) for n in names)
