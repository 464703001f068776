"""A table over one weight array, with pending edits kept beside it until Apply.

The model reads the NumPy array for the cells the view asks for (visible ones) and
never copies it into items. 1-D arrays are one column, 2-D arrays rows × columns, and
higher-dimensional kernels a 2-D reshape: all leading axes become rows, the last axis
(a conv layer's filters) the columns, e.g. (kh·kw·in) × out.

Pending edits are a mask plus values, not a copy of the array: when training or undo
replaces the array underneath, the untouched cells show the new values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from designer.insight.text import fmt, shape_text
from designer.ui.insight.paste import describe_misfit, fit_whole, parse_pasted

PENDING_BACKGROUND = QColor("#fff1b8")
Index = QModelIndex | QPersistentModelIndex


def grid_shape(shape: tuple) -> tuple[int, int]:
    """How an array of `shape` is laid out as a table."""
    if len(shape) == 0:
        return (1, 1)
    if len(shape) == 1:
        return (shape[0], 1)
    return (math.prod(shape[:-1]), shape[-1])


def grid_note(name: str, shape: tuple) -> str:
    """A sentence saying how a higher-dimensional array is shown as a table."""
    if len(shape) < 3:
        return ""
    leading = "·".join(str(d) for d in shape[:-1])
    if len(shape) == 4:
        axes = "kernel height × width × input channel"
        return (
            f"{name} {shape_text(shape)} is shown as ({leading}) × {shape[-1]}: "
            f"each row is one {axes}, each column one filter."
        )
    return f"{name} {shape_text(shape)} is shown as ({leading}) × {shape[-1]} (last axis across)."


class ArrayTableModel(QAbstractTableModel):
    """One weight array as an editable table; edits stay pending until `merged()` is used."""

    pending_changed = Signal(int)  # number of edited cells
    edit_refused = Signal(str)  # why a typed value or paste was refused

    def __init__(self, name: str = "weights", array: np.ndarray | None = None, parent=None) -> None:
        super().__init__(parent)
        self.name = name
        self._base = np.zeros((0,), np.float32)
        self._mask = np.zeros((0,), bool)
        self._values = np.zeros((0,), np.float32)
        self._editable = True
        if array is not None:
            self.set_array(array)

    # -- the array ------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._base.shape

    @property
    def grid(self) -> tuple[int, int]:
        return grid_shape(self._base.shape)

    def base(self) -> np.ndarray:
        return self._base

    def set_array(self, array: np.ndarray) -> None:
        """Show new values (training, undo); pending edits survive when the shape is kept."""
        array = np.asarray(array)
        if array.shape == self._base.shape:
            self._base = array
            rows, cols = self.grid
            if rows and cols:
                self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, cols - 1))
            return
        self.beginResetModel()
        self._base = array
        self._mask = np.zeros(array.shape, bool)
        self._values = np.zeros(array.shape, np.float32)
        self.endResetModel()
        self.pending_changed.emit(0)

    def pending_count(self) -> int:
        return int(self._mask.sum())

    def merged(self) -> np.ndarray:
        """The array with the pending edits applied (a new array)."""
        return np.where(self._mask, self._values, self._base).astype(self._base.dtype)

    def shown(self) -> np.ndarray:
        """What the table shows: the merged array when edits are pending, else the base."""
        return self.merged() if self._mask.any() else self._base

    def clear_pending(self) -> None:
        if self._mask.any():
            self._mask[...] = False
            self._changed_all()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable

    def _changed_all(self) -> None:
        rows, cols = self.grid
        if rows and cols:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, cols - 1))
        self.pending_changed.emit(self.pending_count())

    def _flat(self, row: int, column: int) -> int:
        return row * self.grid[1] + column

    def _index_text(self, flat: int) -> str:
        if not self._base.shape:
            return self.name
        where = np.unravel_index(flat, self._base.shape)
        return f"{self.name}[{', '.join(str(int(i)) for i in where)}]"

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid[0]

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.grid[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        flat = self._flat(index.row(), index.column())
        if flat >= self._base.size:
            return None
        pending = bool(self._mask.flat[flat])
        value = float(self._values.flat[flat] if pending else self._base.flat[flat])
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt(value)
        if role == Qt.ItemDataRole.EditRole:
            return f"{value:.8g}"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f"{self._index_text(flat)} = {value:.8g}"
            if pending:
                text += f"\n(edited; was {float(self._base.flat[flat]):.8g} — press Apply)"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and pending:
            return QBrush(PENDING_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and pending:
            return QBrush(QColor("#1a1a1a"))
        if role == Qt.ItemDataRole.FontRole and pending:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Horizontal:
                return f"Column {section}" + (" (filter / unit)" if len(self.shape) > 1 else "")
            return f"Row {section}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._editable:
            return False
        try:
            number = float(str(value).strip())
        except ValueError:
            self.edit_refused.emit(f"“{value}” is not a number; the cell was not changed.")
            return False
        if not math.isfinite(number):
            self.edit_refused.emit("Weights must be finite numbers; the cell was not changed.")
            return False
        flat = self._flat(index.row(), index.column())
        self._mask.flat[flat] = True
        self._values.flat[flat] = number
        self.dataChanged.emit(index, index)
        self.pending_changed.emit(self.pending_count())
        return True

    # -- pasting ----------------------------------------------------------------------------------
    def paste_text(self, text: str, at: tuple[int, int] = (0, 0)) -> str:
        """Paste a block at `at` (or the whole array); returns what happened.

        Raises ValueError naming what was wrong and the expected shape; nothing changes then.
        """
        if not self._editable:
            raise ValueError("The weights cannot be edited right now.")
        values, is_numpy = parse_pasted(text)
        whole = fit_whole(values, self.shape, self.grid)
        if whole is not None:
            self._mask[...] = True
            self._values[...] = whole
            self._changed_all()
            return f"Pasted {whole.size} values into {self.name} (press Apply to use them)."
        row, col = at
        rows, cols = self.grid
        fits = (
            not is_numpy
            and values.ndim == 2
            and row + values.shape[0] <= rows
            and col + values.shape[1] <= cols
        )
        if not fits:
            raise ValueError(describe_misfit(values, self.name, self.shape, self.grid, at))
        mask = self._mask.reshape(self.grid)
        target = self._values.reshape(self.grid)
        mask[row : row + values.shape[0], col : col + values.shape[1]] = True
        target[row : row + values.shape[0], col : col + values.shape[1]] = values
        self._changed_all()
        return (
            f"Pasted a {shape_text(values.shape)} block at row {row}, column {col} "
            "(press Apply to use it)."
        )

    def copy_text(self, top: int, left: int, bottom: int, right: int) -> str:
        """The cells of a rectangle as tab-separated rows (full precision), for a spreadsheet."""
        shown = self.shown().reshape(self.grid)
        block = shown[top : bottom + 1, left : right + 1]
        return "\n".join("\t".join(f"{v:.8g}" for v in row) for row in block)
