"""Rows with NaN or infinite values: found, counted, and dropped when the user asks.

Loaders keep such values (an empty CSV cell is a NaN), so the data panel can show the
file as it is; preparing refuses them unless the "Drop rows with NaN/inf" step is on,
because one NaN makes every loss and weight NaN after the first batch.
"""

from __future__ import annotations

import numpy as np

DROP_STEP = "Drop rows with NaN/inf"


def nonfinite_rows(*arrays: np.ndarray | None) -> np.ndarray | None:
    """A boolean mask of the rows where any of `arrays` holds NaN or ±inf (None: no such row).

    The arrays share their first axis. Integer and text arrays cannot hold NaN, and a
    finite sum proves a float array finite, so clean data costs one pass at most. Values
    too large for float32 count as infinite: training turns them into inf.
    """
    mask = None
    for array in arrays:
        if array is None or array.dtype.kind != "f" or array.size == 0:
            continue
        with np.errstate(over="ignore", invalid="ignore"):
            if array.dtype.itemsize > 4:  # training runs in float32: 1e300 becomes inf
                array = array.astype(np.float32)
            if np.isfinite(array.sum()):
                continue
        bad = ~np.isfinite(array.reshape(len(array), -1)).all(axis=1)
        mask = bad if mask is None else mask | bad
    return None if mask is None or not mask.any() else mask


def _rows(count: int) -> str:
    return f"{count:,} row contains" if count == 1 else f"{count:,} rows contain"


def refusal(train_bad: np.ndarray | None, test_bad: np.ndarray | None) -> str:
    """The message when NaN/inf rows are present and the drop step is off."""
    counts = [0 if m is None else int(m.sum()) for m in (train_bad, test_bad)]
    where = []
    if train_bad is not None:
        where.append(f"first: training sample {int(np.argmax(train_bad))}")
    if test_bad is not None:
        where.append(f"{counts[1]:,} in the test set" if counts[0] else "all in the test set")
    return (
        f"{_rows(sum(counts))} NaN or infinite values ({'; '.join(where)}); turn on "
        f"'{DROP_STEP}' in Prepare, or clean the file."
    )


def drop_rows(
    x: np.ndarray, y: np.ndarray, bad: np.ndarray | None, part: str
) -> tuple[np.ndarray, np.ndarray]:
    """`x` and `y` without the `bad` rows; an error when no row would be left."""
    if bad is None:
        return x, y
    if bad.all():
        raise ValueError(
            f"Every one of the {len(x):,} {part} rows contains NaN or infinite values: "
            f"'{DROP_STEP}' would leave no {part} data. Clean the file (fill or remove the "
            "missing values) instead."
        )
    keep = ~bad
    return x[keep], y[keep]
