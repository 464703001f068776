"""Numbers as the insight tabs write them, and typed numbers read back.

Four decimals without a confusing '-0.0000', long vectors shortened, shapes as
'2 × 5'; typed inputs refused in words (which value, why) rather than guessed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def fmt(value: float, decimals: int = 4) -> str:
    """A number rounded to `decimals`, without the confusing '-0.0000'."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def fmt_vector(values: Any, limit: int = 8) -> str:
    """'[0.3000, 0.1000]'; long vectors keep the first and last few values."""
    flat = np.asarray(values).reshape(-1)
    if flat.size <= limit:
        return "[" + ", ".join(fmt(v) for v in flat) + "]"
    head = ", ".join(fmt(v) for v in flat[: limit - 2])
    tail = ", ".join(fmt(v) for v in flat[-2:])
    return f"[{head}, …, {tail}] ({flat.size} values)"


def shape_text(shape: tuple) -> str:
    """'2 × 5' (or 'scalar'): shapes as people write them."""
    return " × ".join(str(d) for d in shape) if shape else "scalar"


def parse_numbers(text: str) -> np.ndarray:
    """Numbers separated by commas, semicolons, spaces or tabs (brackets allowed)."""
    cleaned = text.replace("[", " ").replace("]", " ")
    for separator in ",;\t\n":
        cleaned = cleaned.replace(separator, " ")
    values = []
    for position, token in enumerate(cleaned.split(), start=1):
        try:
            value = float(token)
        except ValueError:
            raise ValueError(
                f"Could not read “{token}” (value {position}) as a number: type numbers "
                "separated by commas, e.g. 0.3, 0.1."
            ) from None
        if not math.isfinite(value):
            raise ValueError(f"Value {position} is {token}: inputs must be finite numbers.")
        values.append(value)
    if not values:
        raise ValueError("Type the input as numbers separated by commas, e.g. 0.3, 0.1.")
    return np.asarray(values, dtype=np.float32)
