"""Checks every loader runs on the arrays it read, with messages that say where."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from designer.data.errors import DataFormatError

_NUMERIC_KINDS = "biuf"


def check_numeric(path: str | Path | None, name: str, array: np.ndarray) -> None:
    """Refuse object, string and complex arrays: the engine trains on real numbers."""
    if array.dtype.hasobject:
        raise DataFormatError(
            path,
            f"{name} holds Python objects (dtype=object), which are never loaded "
            "(unpickling can run code).",
            "Save plain numeric arrays, e.g. np.save(path, x.astype('float32')).",
        )
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise DataFormatError(
            path,
            f"{name} has dtype {array.dtype}, expected numbers (integer or floating point).",
        )


def check_labels_dtype(path: str | Path | None, name: str, array: np.ndarray) -> None:
    """Labels may be numbers or text (mapped to class indices later), never objects."""
    if array.dtype.kind in "US":
        return
    check_numeric(path, name, array)


def check_samples(path: str | Path | None, name: str, array: np.ndarray) -> None:
    """Samples need a batch axis, at least one sample and at least one value each."""
    if array.ndim == 0:
        raise DataFormatError(path, f"{name} is a single number, expected an array of samples.")
    if len(array) == 0:
        raise DataFormatError(path, f"{name} has no samples (shape {array.shape}).")
    if 0 in array.shape[1:]:
        raise DataFormatError(
            path, f"{name} has samples of shape {array.shape[1:]}, which hold no values."
        )


def check_same_length(
    path: str | Path | None, x: np.ndarray, y: np.ndarray, x_name: str = "x", y_name: str = "y"
) -> None:
    """x and y must pair up sample for sample."""
    if len(x) != len(y):
        raise DataFormatError(
            path,
            f"{x_name} has {len(x)} samples but {y_name} has {len(y)}; "
            "inputs and targets must have the same number of rows.",
        )
