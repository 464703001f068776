"""Which data rows the insight tabs use, and how one sample is read.

The prepared data (x_train/y_train, optional x_val/y_val) may hold one array of
inputs or a list of them (one per model input); these helpers take rows of either.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

MAX_ROWS = 1000
"""At most this many rows are predicted at once from a typed row list."""


def data_split(data: Any, prefer: str = "validation") -> tuple[Any, Any, str]:
    """(x, y, name) of the validation rows (or the training rows when there are none)."""
    if data is None:
        return None, None, ""
    if prefer == "validation" and getattr(data, "x_val", None) is not None:
        return data.x_val, data.y_val, "validation"
    return data.x_train, data.y_train, "training"


def take_rows(x: Any, index: Any) -> Any:
    """Rows of x (or of each input of a multi-input list)."""
    if isinstance(x, list | tuple):
        return [np.asarray(part)[index] for part in x]
    return np.asarray(x)[index]


def row_count(x: Any) -> int:
    """Rows of x (of its first input for a multi-input list)."""
    return len(x[0]) if isinstance(x, list | tuple) else len(x)


def parse_rows(text: str, count: int) -> np.ndarray:
    """'0-19', '5' or '1, 4, 10-12' as row indices (checked against `count`)."""
    rows: list[int] = []
    for part in (p.strip() for p in re.split(r"[,\s]+", text.strip()) if p.strip()):
        match = re.fullmatch(r"(\d+)(?:\s*[-–:]\s*(\d+))?", part)
        if not match:
            raise ValueError(f"Could not read “{part}” as rows: write e.g. 0-19 or 1, 4, 10-12.")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if last < first:
            first, last = last, first
        if last >= count:
            raise ValueError(f"Row {last} does not exist: the data has rows 0 to {count - 1}.")
        rows.extend(range(first, last + 1))
        if len(rows) > MAX_ROWS:
            raise ValueError(f"At most {MAX_ROWS} rows at once.")
    if not rows:
        raise ValueError("Write the rows to predict, e.g. 0-19.")
    return np.asarray(rows)


def is_image_sample(shape: tuple) -> bool:
    """(h, w) or (h, w, c) samples with c ≤ 4, at least 5 × 5: drawn as pictures."""
    return (
        len(shape) in (2, 3)
        and shape[0] >= 5
        and shape[1] >= 5
        and (len(shape) == 2 or shape[2] <= 4)
    )


def sample_image(sample: np.ndarray) -> np.ndarray | None:
    """A sample as a 2-D greyscale picture (or None when it is not an image)."""
    sample = np.asarray(sample, dtype=np.float32)
    if is_image_sample(sample.shape):
        return sample if sample.ndim == 2 else sample.mean(axis=-1)
    if sample.ndim == 1 and sample.size >= 64 and math.isqrt(sample.size) ** 2 == sample.size:
        side = math.isqrt(sample.size)
        return sample.reshape(side, side)
    return None
