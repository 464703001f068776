"""Choose one input sample: type its numbers, or pick a row of the loaded data.

The row is a checked `ParamField` (not a spin box that clamps): "999" of 250 rows stays
visible and red with the reason instead of silently becoming row 249.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from designer.insight.model import input_shapes
from designer.insight.rows import take_rows
from designer.insight.text import fmt, parse_numbers, shape_text
from designer.spec.params import ParamSpec
from designer.ui.param_widgets import ParamField

MAX_TYPED = 64  # a data row with more values than this is not written into the text box
NARROW_WIDTH = 560  # below this the row chooser goes under the text box
ROW = ParamSpec("row", "int", 0, "Which row of the data to use (from 0)", minimum=0, maximum=0)


class InputPicker(QWidget):
    """A text box for typed numbers plus a data row chooser; `changed` when either is used."""

    changed = Signal()

    def __init__(self, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}InputPicker")
        self.data: Any = None
        self._row_mode = False
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{prefix}InputEdit")
        self.edit.setAccessibleName("Input values")
        self.edit.setPlaceholderText("Type an input, e.g. 0.3, 0.1 — then Enter")
        self.edit.setClearButtonEnabled(True)
        self.edit.returnPressed.connect(self._on_typed)
        self.source = QComboBox()
        self.source.setObjectName(f"{prefix}SourceCombo")
        self.source.setAccessibleName("Data rows from")
        self.source.activated.connect(self._on_row)
        self.row_field = ParamField(ROW, self, object_name=f"{prefix}RowField")
        self.row_field.committed.connect(self._on_row)
        self.row = self.row_field.widget
        self.row.setAccessibleName("Data row")
        self.row_label = QLabel("or row")
        self.row_count = QLabel()
        self.row_count.setObjectName(f"{prefix}RowCount")
        typed = QHBoxLayout()
        typed.setSpacing(4)
        typed.addWidget(QLabel("Input"))
        typed.addWidget(self.edit, 1)
        rows = QHBoxLayout()
        rows.setSpacing(4)
        rows.addWidget(self.row_label)
        rows.addWidget(self.row, 1)
        rows.addWidget(self.row_count)
        rows.addWidget(self.source, 1)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(4)
        self.box.addLayout(typed, 3)
        self.box.addLayout(rows, 1)
        self.set_data(None)

    # -- data --------------------------------------------------------------------------------
    def set_data(self, data: Any) -> None:
        """The prepared data (or None): which rows can be picked."""
        self.data = data
        previous = self.source.currentData()
        self.source.blockSignals(True)
        self.source.clear()
        if data is not None:
            self.source.addItem("of training data", "training")
            if getattr(data, "x_val", None) is not None:
                self.source.addItem("of validation data", "validation")
        index = self.source.findData(previous)
        self.source.setCurrentIndex(max(index, 0))
        self.source.blockSignals(False)
        has_rows = data is not None
        for widget in (self.row, self.source, self.row_label, self.row_count):
            widget.setVisible(has_rows)
        self._update_range()
        if not has_rows:
            self._row_mode = False

    def _split(self) -> tuple[Any, Any]:
        data = self.data
        if data is None:
            return None, None
        if self.source.currentData() == "validation" and data.x_val is not None:
            return data.x_val, data.y_val
        return data.x_train, data.y_train

    def _update_range(self) -> None:
        x, _ = self._split()
        count = 0 if x is None else (len(x[0]) if isinstance(x, list | tuple) else len(x))
        last = max(count - 1, 0)
        self.row_field.set_limits(0, last)
        if self.row_field.value() > last:  # other data: its last row, not an error
            self.row_field.show_value(last, keep_edit=False)
        self.row_count.setText(f"of {count}" if count else "")

    # -- choosing ------------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Type an input (as a person would) and use it."""
        self.edit.setText(text)
        self._on_typed()

    def use_row(self, row: int, source: str = "training", emit: bool = True) -> None:
        index = self.source.findData(source)
        if index >= 0:
            self.source.setCurrentIndex(index)
        self._update_range()
        self.row_field.show_value(row, keep_edit=False)
        self.blockSignals(not emit)
        try:
            self._on_row()
        finally:
            self.blockSignals(False)

    def follow(self, data: Any) -> None:
        """New data: offer its rows, and start from row 0 when nothing was typed."""
        if data is self.data:
            return
        self.set_data(data)
        if data is not None and (self._row_mode or not self.edit.text().strip()):
            row = self.row_field.value() if self._row_mode else 0
            self.use_row(row, self.source.currentData() or "training", emit=False)
        elif data is None and self._row_mode:
            self._row_mode = False
            self.edit.clear()

    @Slot()
    def _on_typed(self) -> None:
        self._row_mode = False
        self.changed.emit()

    @Slot()
    def _on_row(self, *_args) -> None:
        self._update_range()
        x, _ = self._split()
        if x is None:
            return
        self._row_mode = True
        sample = take_rows(x, self.row_field.value())
        parts = sample if isinstance(sample, list) else [sample]
        if sum(np.size(p) for p in parts) <= MAX_TYPED:
            self.edit.setText("; ".join(", ".join(fmt(v) for v in np.ravel(p)) for p in parts))
        else:
            self.edit.clear()
            self.edit.setPlaceholderText(
                f"{self.source.currentText().replace('of ', '')} row {self.row_field.value()} "
                f"({shape_text(np.shape(parts[0]))})"
            )
        self.changed.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        direction = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= NARROW_WIDTH
            else QBoxLayout.Direction.TopToBottom
        )
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            self.updateGeometry()

    def has_input(self) -> bool:
        return self._row_mode or bool(self.edit.text().strip())

    def sample(self, model: Any) -> tuple[Any, Any, str]:
        """(input for `model`, target or None, a description); ValueError when unusable."""
        shapes = input_shapes(model)
        if self._row_mode:
            x, y = self._split()
            row = self.row_field.value()
            sample = take_rows(x, row)
            parts = sample if isinstance(sample, list) else [sample]
            for part, shape in zip(parts, shapes, strict=False):
                if tuple(np.shape(part)) != shape:
                    raise ValueError(
                        f"The data's samples have shape {np.shape(part)} but the model's input "
                        f"needs {shape}: reshape the data (Data panel) or change the Input."
                    )
            source = self.source.currentData()
            return (sample, None if y is None else np.asarray(y)[row], f"{source} row {row}")
        text = self.edit.text().strip()
        if not text:
            raise ValueError(
                f"Type an input of {self._sizes(shapes)} numbers separated by commas"
                + (", or pick a data row." if self.data is not None else ".")
            )
        chunks = text.split(";") if len(shapes) > 1 else [text]
        if len(chunks) != len(shapes):
            raise ValueError(f"The model has {len(shapes)} inputs: separate their values with ';'.")
        parts = []
        for number, (chunk, shape) in enumerate(zip(chunks, shapes, strict=True), start=1):
            values = parse_numbers(chunk)
            need = math.prod(shape)
            if values.size != need:
                which = f"Input {number}" if len(shapes) > 1 else "The model's input"
                raise ValueError(
                    f"{which} needs {need} numbers (shape {shape}); received {values.size}."
                )
            parts.append(values.reshape(shape))
        return (parts if len(parts) > 1 else parts[0]), None, "typed input"

    @staticmethod
    def _sizes(shapes: list[tuple]) -> str:
        return " + ".join(str(math.prod(s)) for s in shapes)
