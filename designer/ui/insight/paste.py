"""Reading pasted weights: spreadsheet blocks and NumPy text, never `eval`.

Spreadsheet rows are separated by new lines, cells by tabs, commas, semicolons or
spaces. NumPy text (`[[1, 2], [3, 4]]`, as `print(repr(w.tolist()))` or a copied
`get_weights()` array) is read with `ast.literal_eval`; `array(…, dtype=float32)` around
it is accepted, since that is what Keras prints.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np

from designer.insight.text import shape_text

_ARRAY_WRAPPER = re.compile(
    r"^\s*(?:np\.|numpy\.)?array\((.*?)(?:,\s*dtype\s*=\s*[\w.]+)?\)\s*$", re.S
)


FLOAT32_MAX = float(np.finfo(np.float32).max)


def _check_finite(array: np.ndarray) -> np.ndarray:
    if not np.isfinite(array).all():
        raise ValueError("Weights must be finite numbers; the text holds nan or inf.")
    return array


def _holds_text(value: object) -> bool:
    """Quoted text such as ["1", "2"] is not numbers (NumPy would convert it silently)."""
    if isinstance(value, (str, bytes)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_text(item) for item in value)
    return False


def parse_numpy_text(text: str) -> np.ndarray:
    """`[[1, 2], [3, 4]]` (or Keras' `array([...], dtype=float32)`) as a float32 array."""
    match = _ARRAY_WRAPPER.match(text)
    body = match.group(1) if match else text
    try:
        value = ast.literal_eval(body.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(
            "Could not read the text as a NumPy array: write nested lists of numbers, "
            "e.g. [[1, 2], [3, 4]]."
        ) from None
    try:
        if _holds_text(value):
            raise TypeError("text is not a number")
        with np.errstate(over="ignore"):  # too large for float32 becomes inf: refused below
            array = np.array(value, dtype=np.float32)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(
            "The NumPy text is not a rectangular array of numbers: every row needs the "
            "same number of values, e.g. [[1, 2], [3, 4]]."
        ) from None
    return _check_finite(array)


def parse_spreadsheet(text: str) -> np.ndarray:
    """Rows of numbers (tab, comma, semicolon or space separated) as a 2-D float32 array."""
    rows = []
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise ValueError("There is nothing to paste: copy numbers first.")
    for row_number, line in enumerate(lines, start=1):
        cells = re.split(r"[\t,;]+|\s+", line.strip())
        values = []
        for column, cell in enumerate((c for c in cells if c), start=1):
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(
                    f"Could not read “{cell}” (row {row_number}, column {column}) as a number."
                ) from None
            if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
                raise ValueError(
                    f"“{cell}” (row {row_number}, column {column}) is not a finite number "
                    "that a float32 weight can hold."
                )
            values.append(value)
        if rows and len(values) != len(rows[0]):
            raise ValueError(
                f"Row {row_number} has {len(values)} values but row 1 has {len(rows[0])}: "
                "every row needs the same number of values."
            )
        rows.append(values)
    return np.asarray(rows, dtype=np.float32)


def parse_pasted(text: str) -> tuple[np.ndarray, bool]:
    """(values, is_numpy_text): NumPy text keeps its shape, spreadsheet text is 2-D."""
    stripped = text.strip()
    if stripped.startswith("[") or _ARRAY_WRAPPER.match(stripped):
        return parse_numpy_text(stripped), True
    return parse_spreadsheet(stripped), False


def fit_whole(values: np.ndarray, shape: tuple, grid: tuple[int, int]) -> np.ndarray | None:
    """`values` as the whole array of `shape` (shown as `grid`), or None when they differ."""
    if values.shape == tuple(shape):
        return values
    if values.size != math.prod(shape):
        return None
    if values.shape == grid:
        return values.reshape(shape)
    squeezed = tuple(d for d in values.shape if d != 1)
    if squeezed == tuple(d for d in shape if d != 1):  # a column pasted as a row, etc.
        return values.reshape(shape)
    return None


def describe_misfit(
    values: np.ndarray, name: str, shape: tuple, grid: tuple[int, int], at: tuple[int, int]
) -> str:
    """Why a pasted block does not fit, naming the expected shape."""
    expected = f"The {name} has shape ({', '.join(map(str, shape))})"
    if len(shape) > 2:
        expected += f", shown as {shape_text(grid)}"
    if values.ndim != 2:
        return (
            f"The pasted array has shape ({', '.join(map(str, values.shape))}). "
            f"{expected}: paste exactly that shape. Nothing was changed."
        )
    rows, cols = values.shape
    room = (grid[0] - at[0], grid[1] - at[1])
    return (
        f"The pasted block is {rows} × {cols}, but from row {at[0]}, column {at[1]} only "
        f"{shape_text(room)} cells fit. {expected}. Nothing was changed."
    )
