"""The list of training runs: show/hide on the plots, rename, delete, export CSV or a plot.

File dialogs go through `ask_csv_path`/`ask_plot_path` so tests can replace them (a real
QFileDialog blocks). Files are written atomically: a temporary file in the same folder,
then `os.replace`, so a failed export never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.training.runs import RunRecord
from designer.ui.training.plots import TrainingPlots

COLUMNS = ("Run", "Status", "Epochs", "Time")
STATUS_TEXT = {
    "nan": "NaN",
    "running": "running",
    "failed": "failed",
    "interrupted": "interrupted",
}


def format_duration(seconds: float) -> str:
    """0:07, 2:05, 1:02:03."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_text(run: RunRecord) -> str:
    if run.status == "finished" and "Early stopping" in run.message:
        return "early stop"
    return STATUS_TEXT.get(run.status, run.status)


def write_atomically(path: str | Path, write: Callable[[str], None]) -> None:
    """Call `write(temporary_path)`, then move the result over `path` in one step."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def export_svg(item, path: str) -> None:
    """pyqtgraph's SVGExporter; Qt's own SVG generator when it fails on this Qt's output.

    pyqtgraph 0.14 cannot parse the paths Qt >= 6.10 writes (pyqtgraph issue #3485).
    """
    import pyqtgraph.exporters as exporters

    try:
        exporters.SVGExporter(item).export(path)
        return
    except ValueError:
        pass
    from PySide6.QtSvg import QSvgGenerator

    source = item.sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Training plots")
    painter = QPainter(generator)
    try:
        item.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()


def _swatch(color: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawRoundedRect(1, 1, 10, 10, 3, 3)
    painter.end()
    return QIcon(pixmap)


class RunsList(QWidget):
    """Rows mirror `owner.runs` (the controller's); edits go to the runs and the plots."""

    run_deleted = Signal(object)  # RunRecord
    run_renamed = Signal(object)
    run_visibility_changed = Signal(object, bool)

    def __init__(self, owner: Any, plots: TrainingPlots, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsList")
        self.setAccessibleName("Training runs")
        self.owner = owner  # holds `runs` (the controller); read live, it may be replaced
        self.plots = plots
        self._rows: list[tuple[RunRecord, QTreeWidgetItem]] = []
        self._filling = False

        self.tree = QTreeWidget()
        self.tree.setObjectName("runsTree")
        self.tree.setAccessibleName("Runs")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._refresh_buttons)

        self.delete_button = self._button("Delete", "deleteRunButton", self.delete_selected)
        self.delete_button.setToolTip("Remove the selected run and its curves")
        self.csv_button = self._button("Export CSV…", "exportCsvButton", self.export_csv)
        self.csv_button.setToolTip("Save the selected run's history: one row per epoch")
        self.plot_button = self._button("Export plot…", "exportPlotButton", self.export_plot)
        self.plot_button.setToolTip("Save the plots as a PNG or SVG image")
        self.message = QLabel()
        self.message.setObjectName("runsMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.plot_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.reload()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    @property
    def runs(self) -> list[RunRecord]:
        return self.owner.runs

    # -- rows -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild every row from `runs` (after loading a project)."""
        self.tree.clear()
        self._rows.clear()
        for run in self.runs:
            self.add_run(run)
        self._refresh_buttons()

    def item_for(self, run: RunRecord) -> QTreeWidgetItem | None:
        return next((item for r, item in self._rows if r is run), None)

    def run_for(self, item: QTreeWidgetItem | None) -> RunRecord | None:
        return next((r for r, i in self._rows if i is item), None)

    def add_run(self, run: RunRecord) -> None:
        if self.item_for(run) is not None:
            self.update_run(run)
            return
        item = QTreeWidgetItem()
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEditable
        )
        for column in (2, 3):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self._rows.append((run, item))
        self._filling = True
        self.tree.addTopLevelItem(item)
        self._filling = False
        self.update_run(run)
        self.tree.setCurrentItem(item)

    def update_run(self, run: RunRecord) -> None:
        """Show the run's current name, status, epoch count and duration."""
        item = self.item_for(run)
        if item is None:
            return
        self._filling = True
        try:
            item.setText(0, run.name)
            item.setIcon(0, _swatch(self.plots.run_color(run)))
            item.setCheckState(0, Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked)
            item.setText(1, status_text(run))
            item.setToolTip(1, run.message)
            item.setText(2, str(len(run.epochs)))
            item.setText(3, format_duration(run.duration) if run.status != "running" else "…")
        finally:
            self._filling = False
        self._refresh_buttons()

    def update_epochs(self, run: RunRecord) -> None:
        """The epoch count of a running run (cheap: one cell, no signals)."""
        item = self.item_for(run)
        text = str(len(run.epochs))
        if item is not None and item.text(2) != text:
            self.tree.blockSignals(True)
            item.setText(2, text)
            self.tree.blockSignals(False)

    def selected_run(self) -> RunRecord | None:
        return self.run_for(self.tree.currentItem())

    @Slot()
    def _refresh_buttons(self, *_) -> None:
        run = self.selected_run()
        self.delete_button.setEnabled(run is not None and not self._is_training(run))
        self.csv_button.setEnabled(run is not None and bool(run.epochs))
        self.plot_button.setEnabled(bool(self.runs))

    @Slot(QTreeWidgetItem, int)
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        run = self.run_for(item)
        if self._filling or run is None or column != 0:
            return
        visible = item.checkState(0) == Qt.CheckState.Checked
        if visible != run.visible:
            self.plots.set_run_visible(run, visible)
            self.run_visibility_changed.emit(run, visible)
        name = item.text(0).strip()
        if name != run.name:
            if name:
                run.name = name
                self.run_renamed.emit(run)
            self.update_run(run)

    # -- actions --------------------------------------------------------------------------
    @Slot()
    def delete_selected(self) -> None:
        run = self.selected_run()
        if run is None or self._is_training(run):
            return
        item = self.item_for(run)
        self._rows = [(r, i) for r, i in self._rows if r is not run]
        self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self.owner.runs = [r for r in self.runs if r is not run]
        self.plots.remove_run(run)
        self.run_deleted.emit(run)
        self._show_message(f"Deleted {run.name}.")
        self._refresh_buttons()

    def _is_training(self, run: RunRecord) -> bool:
        """The run a worker is training now (a run only marked "running" in a file is not)."""
        return getattr(self.owner, "current_run", None) is run

    def ask_csv_path(self, run: RunRecord) -> str | None:
        """Where to save a run's CSV (tests replace this: a real dialog blocks)."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export run history", f"{run.name}.csv", "CSV files (*.csv)"
        )
        return path or None

    def ask_plot_path(self) -> str | None:
        """Where to save the plots; the suffix (.png or .svg) chooses the format."""
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export plot", "training.png", "PNG image (*.png);;SVG image (*.svg)"
        )
        if path and not Path(path).suffix:
            path += ".svg" if "svg" in chosen.lower() else ".png"
        return path or None

    @Slot()
    def export_csv(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        path = self.ask_csv_path(run)
        if not path:
            return
        text = run.to_csv()

        def write(temporary: str) -> None:
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)

        self._export(path, write)

    @Slot()
    def export_plot(self) -> None:
        path = self.ask_plot_path()
        if not path:
            return
        import pyqtgraph.exporters as exporters

        self.plots.flush()
        target = self.plots.canvas.ci
        if Path(path).suffix.lower() == ".svg":
            export = partial(export_svg, target)
        else:
            exporter = exporters.ImageExporter(target)
            width = max(1, int(target.sceneBoundingRect().width()))
            exporter.parameters()["width"] = max(width, 1200)
            export = exporter.export

        def write(temporary: str) -> None:
            export(temporary)
            if os.path.getsize(temporary) == 0:
                raise OSError(f"the exporter wrote nothing to {temporary}")

        self._export(path, write)

    def _export(self, path: str, write: Callable[[str], None]) -> None:
        try:
            write_atomically(path, write)
        except OSError as error:
            self._show_message(f"Could not save {path}: {error.strerror or error}", error=True)
            return
        self._show_message(f"Saved {Path(path).name}.")

    def _show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "color: palette(mid);")
        self.message.show()
