"""One weight array on screen: the editable table, its heatmap, filters and histogram."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from designer.ui.insight.array_model import ArrayTableModel, grid_note
from designer.ui.insight.heatmap import FilterGrid, HeatmapView, HistogramView
from designer.ui.insight.style import monospace_font

NARROW_WIDTH = 620  # below this the table and pictures stack vertically


class ArrayTableView(QTableView):
    """The table: type into a cell, Ctrl+V pastes a block at the current cell, Ctrl+C copies."""

    paste_requested = Signal(str, int, int)  # text, row, column

    def __init__(self, model: ArrayTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName(f"weightsTable_{model.name}")
        self.setAccessibleName(f"{model.name} values")
        self.setFont(monospace_font())
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        columns = self.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setDefaultSectionSize(self.fontMetrics().horizontalAdvance("-0.00000") + 14)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setToolTip(
            "Double-click or type to edit a value. Ctrl+V pastes rows from a spreadsheet or "
            "NumPy text ([[1, 2], [3, 4]]). Edits stay yellow until you press Apply."
        )

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        super().keyPressEvent(event)

    def paste_clipboard(self) -> None:
        current = self.currentIndex()
        row, col = (current.row(), current.column()) if current.isValid() else (0, 0)
        self.paste_requested.emit(QGuiApplication.clipboard().text(), row, col)

    def copy_selection(self) -> None:
        ranges = self.selectionModel().selection()
        model = self.model()
        if ranges.isEmpty():
            text = model.copy_text(0, 0, model.rowCount() - 1, model.columnCount() - 1)
        else:
            first = ranges.first()
            text = model.copy_text(first.top(), first.left(), first.bottom(), first.right())
        QGuiApplication.clipboard().setText(text)

    @Slot()
    def _menu(self, position) -> None:
        menu = QMenu(self)
        copy = QAction("Copy", menu)
        copy.triggered.connect(self.copy_selection)
        paste = QAction("Paste", menu)
        paste.setEnabled(
            bool(self.model().flags(self.model().index(0, 0)) & Qt.ItemFlag.ItemIsEditable)
        )
        paste.triggered.connect(self.paste_clipboard)
        menu.addActions([copy, paste])
        menu.popup(self.viewport().mapToGlobal(position))


class ArrayPage(QWidget):
    """Table | heatmap | (filters) | histogram for one array, side by side or stacked."""

    message = Signal(str, str)  # text, kind
    pending_changed = Signal()

    def __init__(self, name: str, array: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"weightsPage_{name}")
        self.setAccessibleName(f"{name} weights")
        self.name = name
        self.model = ArrayTableModel(name, np.asarray(array), self)
        self.table = ArrayTableView(self.model)
        self.heatmap = HeatmapView()
        self.histogram = HistogramView()
        self.filters: FilterGrid | None = None
        self.channel_combo: QComboBox | None = None

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("weightsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._with_title(self.table, self._table_title()))
        self.splitter.addWidget(self._with_title(self.heatmap, "Heatmap (blue < 0 < red)"))
        if np.ndim(array) == 4:
            self.splitter.addWidget(self._filters_box(np.shape(array)[2]))
        self.splitter.addWidget(self._with_title(self.histogram, "Histogram"))
        self._sized = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(2)
        note = grid_note(name, np.shape(array))
        if note:
            self.note = QLabel(note)
            self.note.setObjectName("gridNote")
            self.note.setWordWrap(True)
            self.note.setEnabled(False)
            layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)

        self.table.paste_requested.connect(self._on_paste)
        self.model.edit_refused.connect(self._on_refused)
        self.model.pending_changed.connect(self._on_pending_changed)
        self.update_pictures()

    def _table_title(self) -> str:
        return "Values · double-click to edit, Ctrl+V pastes a block"

    def _with_title(self, widget: QWidget, title: str) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        label = QLabel(title)
        label.setEnabled(False)
        column.addWidget(label)
        column.addWidget(widget, 1)
        return box

    def _filters_box(self, channels: int) -> QWidget:
        self.filters = FilterGrid()
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("filterChannelCombo")
        self.channel_combo.setAccessibleName("Input channel of the filters")
        for channel in range(channels):
            self.channel_combo.addItem(f"Filters · input channel {channel}", channel)
        if channels > 1:
            self.channel_combo.addItem("Filters · average of channels", None)
        self.channel_combo.currentIndexChanged.connect(self.update_pictures)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(self.channel_combo)
        column.addWidget(self.filters, 1)
        return box

    # -- updates -------------------------------------------------------------------------------
    def set_array(self, array: np.ndarray) -> None:
        """New values underneath (document, live snapshot); pending edits are kept."""
        self.model.set_array(np.asarray(array))
        self.update_pictures()

    @Slot()
    def update_pictures(self) -> None:
        shown = self.model.shown()
        self.heatmap.set_array(shown)
        self.histogram.set_values(shown)
        if self.filters is not None and shown.ndim == 4:
            self.filters.set_kernel(shown, self.channel_combo.currentData())

    def set_editable(self, editable: bool) -> None:
        self.model.set_editable(editable)
        if not editable:
            self.table.closePersistentEditor(self.table.currentIndex())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= NARROW_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation or not self._sized:
            self._sized = True
            self.splitter.setOrientation(orientation)
            shares = [4, 3, 4, 2] if self.filters is not None else [4, 4, 3]
            if not wide:
                shares = [3, 3, 4, 2] if self.filters is not None else [3, 4, 3]
            total = self.width() if wide else self.height()
            self.splitter.setSizes([total * s // sum(shares) for s in shares])

    # -- edits ---------------------------------------------------------------------------------
    @Slot(str, int, int)
    def _on_paste(self, text: str, row: int, column: int) -> None:
        try:
            self.message.emit(self.model.paste_text(text, (row, column)), "info")
        except ValueError as error:
            self.message.emit(f"Paste refused: {error}", "error")
            return
        top = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(top, QItemSelectionModel.SelectionFlag.NoUpdate)

    @Slot(str)
    def _on_refused(self, text: str) -> None:
        self.message.emit(text, "error")

    @Slot(int)
    def _on_pending_changed(self, _count: int) -> None:
        self.update_pictures()
        self.pending_changed.emit()
