"""Turn what users pass to fit/evaluate/predict into checked float32 arrays.

Everything here runs once per call, never per batch: shapes against the model's
inputs, equal row counts, finite values, validation splits and class weights. Each
error names what was wrong and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def to_arrays(
    data: Any, names: Sequence[str], what: str, dtype: Any = np.float32
) -> list[np.ndarray]:
    """One array per model input (or output): from an array, a list or a dict by name."""
    if isinstance(data, dict):
        missing = [n for n in names if n not in data]
        if missing:
            raise ValueError(
                f"Missing data for {what} {missing}. Expected keys: {list(names)}; "
                f"received keys: {list(data)}"
            )
        items = [data[n] for n in names]
    elif len(names) > 1 and isinstance(data, (list, tuple)):
        items = list(data)
        if len(items) != len(names):
            raise ValueError(
                f"The model has {len(names)} {what}s {list(names)}, but {len(items)} arrays "
                f"were passed for `{what[0]}`."
            )
    else:
        items = [data]
    return [_to_array(item, what, dtype) for item in items]


def _to_array(item: Any, what: str, dtype: Any) -> np.ndarray:
    try:
        array = np.asarray(item)
    except ValueError as error:
        raise ValueError(f"Could not turn {what} data into an array: {error}") from None
    if array.dtype == object:
        raise ValueError(
            f"The {what} data is not a regular numeric array (ragged rows or non-numbers)."
        )
    if array.dtype.kind not in "biuf":
        raise ValueError(f"The {what} data must be numeric; received dtype {array.dtype}.")
    if array.ndim == 0:
        raise ValueError(f"The {what} data must have a batch dimension; received a scalar.")
    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    return array


def check_not_empty(arrays: Sequence[np.ndarray], what: str = "x") -> None:
    """Refuse zero rows up front: a loop over no batches would report a loss of 0.

    Keras 3 has no message of its own here (its torch backend fails in a sampler with
    "num_samples should be a positive integer value, but got num_samples=0"); tf.keras
    said "Expected input data to be non-empty.", which we keep and complete.
    """
    for array in arrays:
        if len(array) == 0:
            raise ValueError(
                f"Expected input data to be non-empty. Received: `{what}` with 0 samples "
                f"(shape {array.shape}). Pass at least one row."
            )


def check_finite(arrays: Sequence[np.ndarray], what: str) -> None:
    for position, array in enumerate(arrays):
        # A sum is finite only if every value is (or, rarely, it overflows): a cheap
        # first look before the exact element-wise check.
        if array.dtype.kind != "f" or (array.size and np.isfinite(array.sum())):
            continue
        if not np.isfinite(array).all():
            bad = np.argwhere(~np.isfinite(array))[0]
            where = f"row {bad[0]}" + (f", column {bad[1]}" if len(bad) > 1 else "")
            label = what if len(arrays) == 1 else f"{what} {position}"
            raise ValueError(
                f"The {label} data contains NaN or infinite values (first at {where}). "
                "Remove or replace them before training."
            )


def check_input_shapes(
    arrays: Sequence[np.ndarray], shapes: Sequence[tuple], names: Sequence[str], model: str
) -> None:
    for array, shape, name in zip(arrays, shapes, names, strict=True):
        expected_rank = len(shape)
        ok = array.ndim == expected_rank and all(
            e is None or e == r for e, r in zip(shape[1:], array.shape[1:], strict=True)
        )
        if not ok:
            raise ValueError(
                f"Input '{name}' of model '{model}' is incompatible with the data: expected "
                f"shape {shape}, but received data with shape {array.shape}."
            )


def check_same_length(groups: dict[str, Sequence[np.ndarray]]) -> int:
    sizes = {what: [len(a) for a in arrays] for what, arrays in groups.items() if arrays}
    flat = {n for s in sizes.values() for n in s}
    if len(flat) > 1:
        detail = " ".join(f"'{what}' sizes: {', '.join(map(str, s))}" for what, s in sizes.items())
        raise ValueError(
            "Data cardinality is ambiguous: all arrays must contain the same number of "
            f"samples. {detail}"
        )
    return flat.pop() if flat else 0


def split_validation(
    arrays: Sequence[Sequence[np.ndarray]], fraction: float
) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
    """Keras' split: the *last* `fraction` of the rows, taken before any shuffling."""
    if not 0 <= fraction < 1:
        raise ValueError(
            f"`validation_split` must be between 0 and 1 (1 excluded). Received: {fraction}"
        )
    n = len(arrays[0][0])
    split_at = math.floor(n * (1.0 - fraction))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"`validation_split={fraction}` leaves no training or no validation samples out of {n}."
        )
    train = [[a[:split_at] for a in group] for group in arrays]
    val = [[a[split_at:] for a in group] for group in arrays]
    return train, val


def class_weights_to_sample_weights(y: np.ndarray, class_weight: dict[int, float]) -> np.ndarray:
    """Per-sample weights from a {class index: weight} map (labels or one-hot targets)."""
    if y.ndim >= 2 and y.shape[-1] > 1:
        classes = np.argmax(y, axis=-1)
    else:
        classes = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    weights = np.ones(len(y), dtype=np.float32)
    for cls, weight in class_weight.items():
        weights[classes == int(cls)] = weight
    return weights


def batches(n: int, batch_size: int, order: np.ndarray | None) -> list[Any]:
    """Row selectors per batch: slices when in order (no copy), index arrays when shuffled."""
    starts = range(0, n, batch_size)
    if order is None:
        return [slice(s, min(s + batch_size, n)) for s in starts]
    return [order[s : s + batch_size] for s in starts]
