"""A table over NumPy arrays: one row per sample, inputs (flattened) then targets.

Only the cells the view asks for are read and formatted, so a 60,000 × 784 set costs
nothing until it is scrolled; no copy of the arrays is made.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from designer.data.labels import LabelInfo, describe_labels

TARGET_TINT = QColor(42, 111, 186, 22)
Index = QModelIndex | QPersistentModelIndex


def format_value(value: Any) -> str:
    """Integers as they are, floats with four significant digits."""
    if isinstance(value, np.integer | int):
        return str(int(value))
    if isinstance(value, np.bool_ | bool):
        return str(bool(value))
    return f"{float(value):.4g}"


def _flat(array: np.ndarray) -> np.ndarray:
    return array.reshape(len(array), -1) if array.ndim != 2 else array


class ArrayTableModel(QAbstractTableModel):
    """Samples as rows; `set_arrays` swaps in other arrays (a model reset)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._x = np.zeros((0, 0), dtype=np.float32)
        self._y: np.ndarray | None = None
        self._sample_shape: tuple[int, ...] = ()
        self._x_names: tuple[str, ...] = ()
        self._y_names: tuple[str, ...] = ()
        self._class_names: tuple[str, ...] = ()
        self._labels: LabelInfo | None = None

    def set_arrays(
        self,
        x: np.ndarray | None,
        y: np.ndarray | None = None,
        feature_names: tuple[str, ...] = (),
        class_names: tuple[str, ...] = (),
    ) -> None:
        self.beginResetModel()
        if x is None:
            self._x, self._y, self._sample_shape = np.zeros((0, 0), np.float32), None, ()
        else:
            self._x = _flat(np.asarray(x))
            self._y = None if y is None else _flat(np.asarray(y))
            self._sample_shape = tuple(np.asarray(x).shape[1:])
        width = self._x.shape[1]
        self._x_names = (
            tuple(feature_names) if len(feature_names) == width else self._pixel_names(width)
        )
        self._class_names = tuple(class_names)
        self._labels = None if self._y is None else describe_labels(self._y, class_names)
        self._y_names = self._target_names()
        self.endResetModel()

    def _pixel_names(self, width: int) -> tuple[str, ...]:
        if len(self._sample_shape) <= 1:
            return tuple(f"x{j + 1}" for j in range(width))
        return tuple(
            "(" + ", ".join(str(int(i)) for i in np.unravel_index(j, self._sample_shape)) + ")"
            for j in range(width)
        )

    def _target_names(self) -> tuple[str, ...]:
        if self._y is None:
            return ()
        width = self._y.shape[1]
        if width == 1:
            return ("target",)
        if self._labels is not None and self._labels.kind == "one_hot":
            names = self._class_names
            return tuple(names[k] if k < len(names) else f"class {k}" for k in range(width))
        return tuple(f"y{k + 1}" for k in range(width))

    # -- the model interface -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._x)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._x_names) + len(self._y_names) if len(self._x) else 0

    def is_target_column(self, column: int) -> bool:
        return column >= len(self._x_names)

    def _value(self, row: int, column: int) -> Any:
        if self.is_target_column(column):
            return self._y[row, column - len(self._x_names)]
        return self._x[row, column]

    def _class_text(self, value: Any) -> str | None:
        """A class name for a single-column class label, or None to show the number."""
        info = self._labels
        if info is None or self._y.shape[1] != 1:
            return None
        if info.kind == "plus_minus_one":
            return "+1" if value > 0 else "−1"
        if info.kind == "integer" and self._class_names:
            index = int(value)
            if 0 <= index < len(self._class_names):
                return self._class_names[index]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.hasIndex(index.row(), index.column()):
            return None
        row, column = index.row(), index.column()
        target = self.is_target_column(column)
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._value(row, column)
            name = self._class_text(value) if target else None
            return name if name is not None else format_value(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            value = self._value(row, column)
            name = self._class_text(value) if target else None
            text = f"{self.headerData(column, Qt.Orientation.Horizontal)} = {value!r}"
            return f"{text} ({name})" if name else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            name = self._class_text(self._value(row, column)) if target else None
            horizontal = Qt.AlignmentFlag.AlignLeft if name else Qt.AlignmentFlag.AlignRight
            return int((horizontal | Qt.AlignmentFlag.AlignVCenter).value)
        if role == Qt.ItemDataRole.BackgroundRole and target:
            return TARGET_TINT
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section) if 0 <= section < len(self._x) else None
        names = self._x_names + self._y_names
        if not 0 <= section < len(names):
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Target" if self.is_target_column(section) else "Input"
        return names[section]
