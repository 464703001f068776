"""The Results tab: confusion matrix, per-class accuracy, the most confidently wrong samples.

Computed on the validation rows (the training rows when there are none), at most
`MAX_SAMPLES` of them, with the current model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.insight.classification import (
    confusion_matrix,
    most_confidently_wrong,
    per_class_accuracy,
    predicted_classes,
    true_classes,
)
from designer.insight.model import check_fits, current_model, output_activation
from designer.insight.rows import data_split, row_count, sample_image, take_rows
from designer.insight.targets import class_names, is_classification
from designer.insight.text import fmt, fmt_vector
from designer.ui.insight.style import MessageLabel, guarded, monospace_font

MAX_SAMPLES = 2000
WRONG_COUNT = 12
ICON = 56


class ConfusionModel(QAbstractTableModel):
    """counts[i, j]: samples of class i predicted as j; the last column is class i's accuracy."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.counts = np.zeros((0, 0), np.int64)
        self.accuracy = np.zeros(0)
        self.names: list[str] = []

    def set_counts(self, counts: np.ndarray, names: list[str]) -> None:
        self.beginResetModel()
        self.counts = counts
        self.accuracy = per_class_accuracy(counts)
        self.names = names
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.counts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.counts) + (1 if len(self.counts) else 0)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        n = len(self.counts)
        if row >= n or column > n:
            return None
        if column == n:  # per-class accuracy
            value = self.accuracy[row]
            if role == Qt.ItemDataRole.DisplayRole:
                return "—" if np.isnan(value) else f"{100 * value:.1f}%"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Accuracy on class {self.names[row]} (right / samples of that class)"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        count = int(self.counts[row, column])
        total = int(self.counts[row].sum())
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{count} of {total} samples of class {self.names[row]} "
                f"predicted as {self.names[column]}"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            share = count / total if total else 0.0
            base = QColor("#2e8b57") if row == column else QColor("#c0392b")
            color = QColor(base)
            color.setAlphaF(0.08 + 0.75 * share if count else 0.0)
            return QBrush(color)
        if role == Qt.ItemDataRole.ForegroundRole and total and count / total > 0.6:
            return QBrush(QColor("#ffffff"))
        return None

    def headerData(self, section, orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        n = len(self.counts)
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return "accuracy" if section == n else f"→ {self.names[section]}"
            return f"{self.names[section]}" if section < n else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if orientation == Qt.Orientation.Horizontal:
                return "Per-class accuracy" if section == n else "Predicted class"
            return "True class"
        return None


def image_icon(picture: np.ndarray, size: int = ICON) -> QIcon:
    low, high = float(picture.min()), float(picture.max())
    scaled = np.zeros(picture.shape, np.uint8)
    if high > low:
        scaled = ((picture - low) / (high - low) * 255).astype(np.uint8)
    scaled = np.ascontiguousarray(scaled)
    height, width = scaled.shape
    image = QImage(scaled.data, width, height, width, QImage.Format.Format_Grayscale8).copy()
    return QIcon(QPixmap.fromImage(image).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))


class ResultsTab(QWidget):
    """How well the model classifies: counts per true/predicted class and its worst mistakes."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsTab")
        self.setAccessibleName("Results")
        self.document = document
        self.dirty = True
        self.summary = QLabel()
        self.summary.setObjectName("resultsSummary")
        self.summary.setAccessibleName("Accuracy")
        self.summary.setWordWrap(True)
        self.message = MessageLabel("resultsMessage")
        self.confusion = ConfusionModel(self)
        self.matrix = QTableView()
        self.matrix.setObjectName("confusionMatrix")
        self.matrix.setAccessibleName("Confusion matrix")
        self.matrix.setModel(self.confusion)
        self.matrix.setFont(monospace_font())
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        font = self.matrix.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.matrix.setFont(font)
        cell = self.fontMetrics().height()
        for header, size in (
            (self.matrix.horizontalHeader(), cell * 3 + 8),
            (self.matrix.verticalHeader(), cell + 12),
        ):
            header.setMinimumSectionSize(size)
            header.setDefaultSectionSize(size)
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.wrong_images = QListWidget()
        self.wrong_images.setObjectName("wrongImages")
        self.wrong_images.setAccessibleName("Most confidently wrong samples")
        self.wrong_images.setViewMode(QListWidget.ViewMode.IconMode)
        self.wrong_images.setIconSize(QSize(ICON, ICON))
        self.wrong_images.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.wrong_images.setGridSize(QSize(ICON + 40, ICON + 38))
        self.wrong_images.setMovement(QListWidget.Movement.Static)
        self.wrong_rows = QTableWidget(0, 5)
        self.wrong_rows.setObjectName("wrongRows")
        self.wrong_rows.setAccessibleName("Most confidently wrong samples")
        self.wrong_rows.setHorizontalHeaderLabels(["Row", "Output", "True", "Predicted", "Inputs"])
        self.wrong_rows.verticalHeader().hide()
        self.wrong_rows.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.wrong_rows.setFont(monospace_font())
        self.wrong_rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.wrong_rows.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.wrong_stack = QStackedWidget()
        self.wrong_stack.addWidget(self.wrong_rows)
        self.wrong_stack.addWidget(self.wrong_images)
        self.wrong_title = QLabel("Most confidently wrong")
        self.wrong_title.setEnabled(False)
        left, right = QWidget(), QWidget()
        for box, title, widget in (
            (left, QLabel("Confusion matrix (true ↓, predicted →)"), self.matrix),
            (right, self.wrong_title, self.wrong_stack),
        ):
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            title.setEnabled(False)
            title.setWordWrap(True)
            column.addWidget(title)
            column.addWidget(widget, 1)
        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def _clear(self, why: str) -> None:
        self.confusion.set_counts(np.zeros((0, 0), np.int64), [])
        self.wrong_rows.setRowCount(0)
        self.wrong_images.clear()
        self.summary.setText("")
        self.show_message(why, "info")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= 520
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        self._fit_matrix()

    def _fit_matrix(self) -> None:
        """Give the confusion matrix the room it needs (up to half), the rest to the list."""
        self.matrix.resizeColumnsToContents()
        horizontal = self.splitter.orientation() == Qt.Orientation.Horizontal
        if horizontal:
            need = self.matrix.verticalHeader().width() + self.matrix.horizontalHeader().length()
        else:
            need = self.matrix.horizontalHeader().height() + self.matrix.verticalHeader().length()
        total = self.splitter.width() if horizontal else self.splitter.height()
        first = min(max(need + 40, 270), total // 2)
        self.splitter.setSizes([first, total - first])

    @Slot()
    @guarded
    def refresh(self) -> None:
        self.dirty = False
        self.message.clear_message()
        model, problem = current_model(self.document)
        if model is None:
            self._clear(problem)
            return
        x, y, split = data_split(self.document.data)
        if x is None:
            self._clear("Load or generate data to see how well the model classifies it.")
            return
        if not is_classification(y, getattr(self.document.data, "class_names", ())):
            self._clear(
                "The targets are continuous values (regression): results show "
                "classification only. Use Predict to compare outputs and targets."
            )
            return
        check_fits(model, x)
        total = row_count(x)
        count = min(total, MAX_SAMPLES)
        x, y = take_rows(x, slice(0, count)), np.asarray(y)[:count]
        outputs = model.predict(x, verbose=0)
        outputs = np.asarray(outputs[0] if isinstance(outputs, list) else outputs)
        outputs = outputs.reshape(count, -1)
        predicted = predicted_classes(outputs, output_activation(model))
        true = true_classes(y)
        classes = max(outputs.shape[1], int(true.max(initial=0)) + 1, 2)
        names = class_names(self.document.data, y, classes)
        counts = confusion_matrix(true, predicted, classes)
        right = int(np.trace(counts))
        of = f"the first {count} of {total}" if count < total else f"{count}"
        self.summary.setText(
            f"<b>Accuracy {100.0 * right / count:.1f}%</b> — {right} of {of} {split} "
            f"samples classified right."
        )
        self.confusion.set_counts(counts, names)
        self._fit_matrix()
        wrong = most_confidently_wrong(outputs, true, predicted, WRONG_COUNT)
        self._show_wrong(x, outputs, true, predicted, wrong, names)

    def _show_wrong(self, x, outputs, true, predicted, wrong, names) -> None:
        self.wrong_title.setText(
            f"Most confidently wrong ({len(wrong)} shown)"
            if len(wrong)
            else "Most confidently wrong: none — every sample is right."
        )
        first = x[0] if isinstance(x, list) else x
        pictures = [sample_image(first[i]) for i in wrong]
        if len(wrong) and all(p is not None for p in pictures):
            self.wrong_images.clear()
            for i, picture in zip(wrong, pictures, strict=True):
                confidence = outputs[i].max() if outputs.shape[1] > 1 else outputs[i, 0]
                item = QListWidgetItem(
                    image_icon(picture),
                    f"#{i}: {names[true[i]]} → {names[predicted[i]]}\n{fmt(confidence, 2)}",
                )
                item.setToolTip(
                    f"Row {i}: true class {names[true[i]]}, predicted "
                    f"{names[predicted[i]]} (output {fmt(confidence)})"
                )
                self.wrong_images.addItem(item)
            self.wrong_stack.setCurrentWidget(self.wrong_images)
            return
        self.wrong_rows.setRowCount(len(wrong))
        for r, i in enumerate(wrong):
            values = outputs[i]
            cells = (
                str(i),
                fmt(values[0]) if values.size == 1 else fmt_vector(values, 4),
                names[true[i]],
                names[predicted[i]],
                fmt_vector(np.asarray(first[i]), 6),
            )
            for c, text in enumerate(cells):
                self.wrong_rows.setItem(r, c, QTableWidgetItem(text))
        self.wrong_stack.setCurrentWidget(self.wrong_rows)
