"""What the loaded data looks like: facts and class counts, the first rows, a picture, checks."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from designer.data.dataset import Dataset
from designer.data.dataset_summary import ArrayFacts, DataSummary
from designer.data.prepare import PreparedData
from designer.ui.colors import class_color
from designer.ui.data.advice_view import AdviceView
from designer.ui.data.plots import ImageGrid, ScatterView, as_images, class_indices
from designer.ui.data.preview_table_model import ArrayTableModel
from designer.ui.data.widgets import KIND_COLORS, muted_label
from designer.ui.empty_state import EmptyState

TASKS = {"binary": "binary classification", "multiclass": "classification"}


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _facts(facts: ArrayFacts) -> str:
    text = f"<b>{_shape(facts.shape)}</b> {facts.dtype}"
    if facts.shape and np.prod(facts.shape):
        text += f" · {facts.minimum:.4g} to {facts.maximum:.4g}, mean {facts.mean:.3g}"
    return text


def _title(summary: DataSummary) -> str:
    name = html.escape(summary.name or "Data")
    if summary.source.lower() == (summary.name or "").lower():
        return f"<b>{name}</b>"
    return f"<b>{name}</b> · {html.escape(summary.source)}"


def facts_html(
    summary: DataSummary, prepared: PreparedData | None, key_color: str = "#808080"
) -> str:
    """The overview as a small two-column table."""
    task = TASKS.get(summary.task, summary.task)
    if summary.num_classes:
        task += f", {summary.num_classes} classes"
    rows = [
        ("Data", _title(summary)),
        ("Task", f"{task} <i>(guessed)</i>"),
        ("Inputs", _facts(summary.x_train)),
        ("Targets", _facts(summary.y_train)),
    ]
    if summary.x_test is not None and summary.y_test is not None:
        rows.append(
            ("Test set", f"{_facts(summary.x_test)}; targets {_shape(summary.y_test.shape)}")
        )
    if prepared is not None:
        parts = [f"{len(prepared.x_train):,} training"]
        if prepared.x_val is not None:
            parts.append(f"{len(prepared.x_val):,} validation")
        if prepared.x_test is not None:
            parts.append(f"{len(prepared.x_test):,} test")
        rows.append(
            (
                "Prepared",
                f"x <b>{_shape(prepared.x_train.shape)}</b> {prepared.x_train.dtype},"
                f" y <b>{_shape(prepared.y_train.shape)}</b> {prepared.y_train.dtype}"
                f" · {' · '.join(parts)} rows",
            )
        )
        notes = [n for n in prepared.notes if not n.startswith("Validation rows")]
        if notes:
            rows.append(("", "<i>" + html.escape(" ".join(notes)) + "</i>"))
    cells = "".join(
        f"<tr><td style='padding-right:10px; color:{key_color}'>{k}</td><td>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table cellspacing='0' cellpadding='1'>{cells}</table>"


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(10, 10)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class Overview(QWidget):
    """Facts on the left (or top), class counts on the right (or below)."""

    def __init__(self) -> None:
        super().__init__()
        self.facts = QLabel()
        self.facts.setObjectName("dataFacts")
        self.facts.setAccessibleName("Data facts")
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setContentsMargins(6, 4, 6, 4)
        self.classes = QTableWidget(0, 3)
        self.classes.setObjectName("classCounts")
        self.classes.setAccessibleName("Samples per class")
        self.classes.setHorizontalHeaderLabels(["Class", "Train", "Test"])
        self.classes.verticalHeader().hide()
        self.classes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.classes.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.classes.setShowGrid(False)
        self.classes.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.classes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.classes.setMinimumWidth(180)
        self.layout_box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.layout_box.setContentsMargins(0, 0, 0, 0)
        self.layout_box.setSpacing(6)
        self.layout_box.addWidget(self.facts, 1)
        self.layout_box.addWidget(self.classes, 0)
        self.layout_box.addStretch(0)
        self.set_wide(True)

    def set_wide(self, wide: bool) -> None:
        """Side by side in a wide dock; class counts below the facts in a tall panel."""
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        self.layout_box.setDirection(direction)
        self.layout_box.setStretch(0, 1 if wide else 0)  # facts
        self.layout_box.setStretch(2, 0 if wide else 1)  # the space below in a tall panel
        self.classes.setMaximumWidth(340 if wide else 16777215)
        self._wide = wide
        self._fit_table()

    def _fit_table(self) -> None:
        """A tall panel shows the class table at its content's height, not stretched."""
        rows = self.classes.rowCount()
        height = (
            self.classes.horizontalHeader().sizeHint().height()
            + rows * self.classes.verticalHeader().defaultSectionSize()
            + 2 * self.classes.frameWidth()
            + 2
        )
        self.classes.setMaximumHeight(16777215 if self._wide else max(height, 60))

    def show_summary(self, summary: DataSummary, prepared: PreparedData | None) -> None:
        palette = self.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        muted = QColor(
            (text.red() + base.red()) // 2,
            (text.green() + base.green()) // 2,
            (text.blue() + base.blue()) // 2,
        ).name()
        self.facts.setText(facts_html(summary, prepared, muted))
        has_test = summary.x_test is not None
        self.classes.setColumnHidden(2, not has_test)
        self.classes.setRowCount(len(summary.classes))
        for row, count in enumerate(summary.classes):
            name = QTableWidgetItem(_swatch(class_color(count.label)), count.name)
            self.classes.setItem(row, 0, name)
            for column, value in ((1, count.train), (2, count.test)):
                item = QTableWidgetItem(f"{value:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.classes.setItem(row, column, item)
        self.classes.setVisible(bool(summary.classes))
        self._fit_table()

    def class_rows(self) -> list[tuple[str, str]]:
        return [
            (self.classes.item(r, 0).text(), self.classes.item(r, 1).text())
            for r in range(self.classes.rowCount())
        ]


class DataPreview(QTabWidget):
    """Overview, Table, a Scatter or Images tab, and Checks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self.setAccessibleName("Data preview")
        self.setDocumentMode(True)
        self.dataset: Dataset | None = None
        self.prepared: PreparedData | None = None
        self.overview = Overview()
        self.empty = EmptyState(
            "No data yet", "Choose a source on the left and press Generate or Load."
        )
        self.overview_stack = QStackedWidget()
        self.overview_stack.addWidget(self.empty)
        self.overview_stack.addWidget(self.overview)

        self.model = ArrayTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("dataTable")
        self.table.setAccessibleName("First rows")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setDefaultSectionSize(78)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table_source = QComboBox()
        self.table_source.setObjectName("tableSource")
        self.table_source.setAccessibleName("Rows to show")
        self.table_source.addItem("Loaded data", "loaded")
        self.table_source.addItem("Prepared training rows", "prepared")
        self.table_source.activated.connect(self._fill_table)
        self.table_note = muted_label(name="tableNote")
        table_page = QWidget()
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        bar.addWidget(self.table_source)
        bar.addWidget(self.table_note, 1)
        column = QVBoxLayout(table_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(bar)
        column.addWidget(self.table, 1)

        self.scatter = ScatterView()
        self.images = ImageGrid()
        self.images_caption = muted_label(name="imagesCaption")
        images_page = QWidget()
        images_column = QVBoxLayout(images_page)
        images_column.setContentsMargins(4, 2, 4, 0)
        images_column.setSpacing(2)
        images_column.addWidget(self.images_caption)
        images_column.addWidget(self.images, 1)
        self.no_plot = EmptyState("Nothing to draw", "Plots need tabular inputs or images.")
        self.plot_stack = QStackedWidget()
        for page in (self.no_plot, self.scatter, images_page):
            self.plot_stack.addWidget(page)
        self._images_page = images_page

        self.checks = AdviceView()
        self.addTab(self.overview_stack, "Overview")
        self.addTab(table_page, "Table")
        self.addTab(self.plot_stack, "Plot")
        self.addTab(self.checks, "Checks")
        self.show_data(None, None, None)

    def set_wide(self, wide: bool) -> None:
        self.overview.set_wide(wide)

    def show_data(
        self, dataset: Dataset | None, summary: DataSummary | None, prepared: PreparedData | None
    ) -> None:
        """Show a loaded data set and its prepared arrays (None: nothing loaded)."""
        self.dataset, self.prepared = dataset, prepared
        for index in (1, 2):
            self.setTabEnabled(index, dataset is not None)
        if dataset is None or summary is None:
            self.overview_stack.setCurrentWidget(self.empty)
            self.model.set_arrays(None)
            self.images.set_images(None)
            self.plot_stack.setCurrentWidget(self.no_plot)
            self.setTabText(2, "Plot")
            return
        self.overview_stack.setCurrentWidget(self.overview)
        self.overview.show_summary(summary, prepared)
        self._fill_table()
        self._fill_plot()

    @Slot()
    def _fill_table(self) -> None:
        if self.dataset is None:
            return
        data = self.dataset
        use_prepared = self.table_source.currentData() == "prepared" and self.prepared is not None
        if use_prepared:
            self.model.set_arrays(
                self.prepared.x_train, self.prepared.y_train, data.feature_names, data.class_names
            )
            total = len(self.prepared.x_train)
        else:
            self.model.set_arrays(data.x_train, data.y_train, data.feature_names, data.class_names)
            total = data.n_samples
        columns = self.model.columnCount()
        self.table_note.setText(f"{total:,} rows × {columns:,} columns (targets tinted)")

    def _fill_plot(self) -> None:
        data, prepared = self.dataset, self.prepared
        pictures = data.x_train if as_images(data.x_train[:1]) is not None else None
        if (
            pictures is None
            and prepared is not None
            and as_images(prepared.x_train[:1]) is not None
        ):
            pictures = prepared.x_train
        if pictures is not None:
            index, names = class_indices(data.y_train[: len(pictures)][:32], data.class_names)
            labels = [names[k] for k in index] if names else []
            shown = self.images.set_images(pictures, labels)
            self.images_caption.setText(
                f"The first {shown} of {len(pictures):,} training images"
                f" ({' × '.join(str(d) for d in pictures.shape[1:])})"
            )
            self.plot_stack.setCurrentWidget(self._images_page)
            self.setTabText(2, "Images")
        elif data.x_train.ndim == 2:
            self.scatter.set_data(data.x_train, data.y_train, data.feature_names, data.class_names)
            self.plot_stack.setCurrentWidget(self.scatter)
            self.setTabText(2, "Scatter")
        else:
            self.images.set_images(None)
            self.plot_stack.setCurrentWidget(self.no_plot)
            self.setTabText(2, "Plot")

    def set_check_counts(self, counts: dict[str, int]) -> None:
        """'Checks', 'Checks ✖ 2' or 'Checks ⚠ 1', coloured by the worst finding."""
        index = self.indexOf(self.checks)
        for kind, glyph in (("error", "✖"), ("warning", "⚠")):
            if counts.get(kind):
                self.setTabText(index, f"Checks {glyph} {counts[kind]}")
                self.tabBar().setTabTextColor(index, QColor(KIND_COLORS[kind][0]))
                return
        self.setTabText(index, "Checks")
        self.tabBar().setTabTextColor(index, self.palette().color(self.foregroundRole()))
