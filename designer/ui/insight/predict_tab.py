"""The Predict tab: the current model's outputs for a typed input or chosen data rows."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from designer.insight.classification import predicted_classes, true_classes
from designer.insight.model import check_fits, current_model, input_shapes, output_activation
from designer.insight.rows import parse_rows, row_count, take_rows
from designer.insight.targets import class_names, is_classification
from designer.insight.text import fmt, fmt_vector, parse_numbers
from designer.ui.insight.style import MessageLabel, guarded, monospace_font

COLUMNS = ("Row", "Output", "Predicted", "Target", "", "Inputs")  # inputs last: widest
ROW, OUTPUT, PREDICTED, TARGET, MARK, INPUTS = range(6)
NARROW_WIDTH = 640  # below this the row controls go under the typed input
RIGHT, WRONG = QColor("#1e7b34"), QColor("#b3261e")


class PredictionModel(QAbstractTableModel):
    """One row per prediction; the arrays are read for visible cells only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.inputs = np.zeros((0, 0), np.float32)
        self.outputs = np.zeros((0, 0), np.float32)
        self.predicted: np.ndarray | None = None
        self.targets: np.ndarray | None = None
        self.true: np.ndarray | None = None
        self.names: list[str] = []

    def set_rows(self, labels, inputs, outputs, predicted, targets, true, names) -> None:
        self.beginResetModel()
        self.labels = list(labels)
        self.inputs, self.outputs = inputs, outputs
        self.predicted, self.targets, self.true = predicted, targets, true
        self.names = names
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _class(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else str(index)

    def correct(self, row: int) -> bool | None:
        if self.predicted is None or self.true is None:
            return None
        return bool(self.predicted[row] == self.true[row])

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.labels):
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            full = role == Qt.ItemDataRole.ToolTipRole
            limit = 64 if full else 6
            if column == ROW:
                return self.labels[row]
            if column == INPUTS:
                return fmt_vector(self.inputs[row], limit)
            if column == OUTPUT:
                values = self.outputs[row]
                return fmt(values[0]) if values.size == 1 else fmt_vector(values, limit)
            if column == PREDICTED:
                return "—" if self.predicted is None else self._class(int(self.predicted[row]))
            if column == TARGET:
                if self.targets is None:
                    return "—"
                target = np.asarray(self.targets[row]).reshape(-1)
                if self.true is not None and not full:
                    return self._class(int(self.true[row]))
                return fmt(target[0]) if target.size == 1 else fmt_vector(target, limit)
            if column == MARK:
                ok = self.correct(row)
                if ok is None:
                    return "" if not full else None
                return ("✓" if ok else "✗") if not full else ("right" if ok else "wrong")
        if role == Qt.ItemDataRole.ForegroundRole and column == MARK:
            ok = self.correct(row)
            return None if ok is None else QBrush(RIGHT if ok else WRONG)
        if role == Qt.ItemDataRole.FontRole and column == MARK:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ROW, OUTPUT, MARK):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None


class PredictTab(QWidget):
    """Outputs, predicted class, target and right/wrong for typed inputs or data rows."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictTab")
        self.setAccessibleName("Predict")
        self.document = document
        self.dirty = True
        self._last: tuple[str, Any] | None = None  # ("typed", text) or ("rows", (text, source))

        self.input_edit = QLineEdit()
        self.input_edit.setObjectName("predictInputEdit")
        self.input_edit.setAccessibleName("Input values")
        self.input_edit.setPlaceholderText("Type an input, e.g. 0.3, 0.1")
        self.input_edit.returnPressed.connect(self.predict_typed)
        self.predict_button = QPushButton("Predict")
        self.predict_button.setObjectName("predictButton")
        self.predict_button.setAccessibleName("Predict the typed input")
        self.predict_button.clicked.connect(self.predict_typed)
        self.rows_edit = QLineEdit("0-19")
        self.rows_edit.setObjectName("predictRowsEdit")
        self.rows_edit.setAccessibleName("Data rows")
        self.rows_edit.setMaximumWidth(110)
        self.rows_edit.returnPressed.connect(self.predict_rows)
        self.source = QComboBox()
        self.source.setObjectName("predictSourceCombo")
        self.source.setAccessibleName("Rows of")
        self.rows_button = QPushButton("Predict rows")
        self.rows_button.setObjectName("predictRowsButton")
        self.rows_button.setAccessibleName("Predict the data rows")
        self.rows_button.clicked.connect(self.predict_rows)
        self.summary = QLabel()
        self.summary.setObjectName("predictSummary")
        self.summary.setAccessibleName("How many predictions are right")

        typed = QHBoxLayout()
        typed.addWidget(self.input_edit, 1)
        typed.addWidget(self.predict_button)
        rows = QHBoxLayout()
        self.rows_label = QLabel("or rows")
        rows.addWidget(self.rows_label)
        rows.addWidget(self.rows_edit)
        rows.addWidget(self.source)
        rows.addWidget(self.rows_button)
        self.bar = bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        bar.addLayout(typed, 1)
        bar.addSpacing(6)
        bar.addLayout(rows)
        self.message = MessageLabel("predictMessage")
        self.table_model = PredictionModel(self)
        self.table = QTableView()
        self.table.setObjectName("predictTable")
        self.table.setAccessibleName("Predictions")
        self.table.setModel(self.table_model)
        self.table.setFont(monospace_font())
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= NARROW_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.bar.direction() != direction:
            self.bar.setDirection(direction)
            self.updateGeometry()

    @Slot()
    @guarded
    def refresh(self) -> None:
        """New model, weights or data: redo the last prediction."""
        self.dirty = False
        data = self.document.data
        previous = self.source.currentData()
        self.source.clear()
        if data is not None:
            self.source.addItem("of training data", "training")
            if getattr(data, "x_val", None) is not None:
                self.source.addItem("of validation data", "validation")
            self.source.setCurrentIndex(max(self.source.findData(previous), 0))
        for widget in (self.rows_label, self.rows_edit, self.source, self.rows_button):
            widget.setEnabled(data is not None)
        self.rows_edit.setToolTip("" if data is not None else "Load data to predict its rows.")
        if self._last is None and data is not None:
            self._last = ("rows", None)
        model, problem = current_model(self.document)
        if model is None:
            self.table_model.set_rows([], np.zeros((0, 0)), np.zeros((0, 0)), None, None, None, [])
            self.summary.clear()
            self.show_message(problem, "warn")
        elif self._last is None:
            self.show_message("Type an input and press Predict.", "info")
        elif self._last[0] == "typed":
            self._predict_typed()
        else:
            self._predict_rows()

    @Slot()
    @guarded
    def predict_typed(self) -> None:
        self._last = ("typed", None)
        self._predict_typed()

    @Slot()
    @guarded
    def predict_rows(self) -> None:
        self._last = ("rows", None)
        self._predict_rows()

    def _model(self):
        model, problem = current_model(self.document)
        if model is None:
            raise ValueError(problem)
        return model

    def _predict_typed(self) -> None:
        self.message.clear_message()
        model = self._model()
        shapes = input_shapes(model)
        if len(shapes) != 1:
            raise ValueError("Typed inputs work for one-input models; pick data rows instead.")
        values = parse_numbers(self.input_edit.text())
        need = int(np.prod(shapes[0]))
        if values.size != need:
            raise ValueError(
                f"The model's input needs {need} numbers (shape {shapes[0]}); "
                f"received {values.size}."
            )
        self._show(model, values.reshape((1, *shapes[0])), ["typed"], None)

    def _predict_rows(self) -> None:
        self.message.clear_message()
        data = self.document.data
        if data is None:
            raise ValueError("Load or generate data first (Data panel), or type an input.")
        model = self._model()
        validation = self.source.currentData() == "validation" and data.x_val is not None
        x, y = (data.x_val, data.y_val) if validation else (data.x_train, data.y_train)
        check_fits(model, x)
        rows = parse_rows(self.rows_edit.text(), row_count(x))
        self._show(model, take_rows(x, rows), [str(r) for r in rows], np.asarray(y)[rows])

    def _show(self, model, x: Any, labels: list[str], targets: np.ndarray | None) -> None:
        outputs = model.predict(x, verbose=0)
        outputs = outputs[0] if isinstance(outputs, list) else outputs
        outputs = np.asarray(outputs).reshape(len(labels), -1)
        first = x[0] if isinstance(x, list) else x
        inputs = np.asarray(first).reshape(len(labels), -1)
        y_all = None if self.document.data is None else self.document.data.y_train
        names_given = getattr(self.document.data, "class_names", ())
        classify = is_classification(y_all, names_given) if y_all is not None else True
        activation = output_activation(model)
        predicted = true = None
        names: list[str] = []
        if classify:
            predicted = predicted_classes(outputs, activation)
            count = max(outputs.shape[1], 2)
            names = class_names(self.document.data, y_all if y_all is not None else outputs, count)
            if y_all is None and outputs.shape[1] == 1 and activation in ("tanh", "linear", None):
                names = ["−1", "+1"]
            if targets is not None:
                true = true_classes(targets)
        self.table_model.set_rows(labels, inputs, outputs, predicted, targets, true, names)
        if true is not None:
            right = int((predicted == true).sum())
            self.summary.setText(
                f"{right} of {len(labels)} right ({100.0 * right / len(labels):.1f}%)."
            )
        else:
            self.summary.setText(f"{len(labels)} prediction{'s' if len(labels) != 1 else ''}.")
