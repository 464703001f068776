"""Live training curves: the loss and one plot per metric, per epoch, for every run.

One PlotDataItem per series (training, validation, smoothed batch loss) per run; points
go into growing NumPy buffers and reach the items by `setData` when `flush()` is called
(by the panel's timer, spaced by how long drawing takes), so a report from the worker
costs an append. Earlier runs stay drawn, faded, in their own colour; downsampling and
clip-to-view keep thousands of epochs fast.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from designer.training.runs import RunRecord
from designer.ui.colors import run_color
from designer.ui.empty_state import EmptyState
from designer.ui.training.curves import (
    BATCH_KEY,
    LossAxis,
    PlotCanvas,
    PointBuffer,
    RunCurves,
    make_legend,
    make_readout,
    nearest_point,
    plot_name,
    series_label,
    series_pen,
)

MIN_REDRAW_SECONDS = 0.5  # live curves are redrawn at most twice a second
REDRAW_SPACING = 4.0  # ... and drawing takes at most a fifth of the GUI thread's time
HOVER_PIXELS = 40  # how near the mouse a point must be to be read out


class TrainingPlots(QWidget):
    """The plots of all runs; the panel feeds it epochs and batches of the current run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.setAccessibleName("Training plots")
        self._runs: list[RunCurves] = []
        self._plots: dict[str, pg.PlotItem] = {}
        self._markers: dict[str, pg.PlotDataItem] = {}
        self._columns = 2
        self._colors_used = 0
        self._last_flush = 0.0
        palette = self.palette()
        self._background = palette.color(QPalette.ColorRole.Base)
        self._foreground = palette.color(QPalette.ColorRole.Text)

        self.log_check = QCheckBox("Log scale")
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.setAccessibleName("Log-scale loss")
        self.log_check.setToolTip("Draw the loss on a logarithmic axis")
        self.log_check.toggled.connect(self.set_log_scale)
        self.legend = make_legend(self._foreground)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.log_check)
        bar.addSpacing(12)
        bar.addWidget(self.legend)
        bar.addStretch(1)

        self.canvas = PlotCanvas()
        self.canvas.setObjectName("plotCanvas")
        self.canvas.setAccessibleName("Loss and metric plots")
        self.canvas.setBackground(self._background)
        self.canvas.ci.setContentsMargins(2, 2, 8, 2)
        self.canvas.ci.setSpacing(4)
        self.readout = make_readout(self.canvas)
        self.empty = EmptyState(
            "No runs yet", "Press Start: loss and metrics are drawn here after every epoch."
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self._mouse_proxy = pg.SignalProxy(
            self.canvas.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )
        self._ensure_plot("loss")

    # -- plots ----------------------------------------------------------------------------
    def plot(self, name: str) -> pg.PlotItem | None:
        return self._plots.get(name)

    def plot_names(self) -> list[str]:
        return list(self._plots)

    def _ensure_plot(self, name: str) -> pg.PlotItem:
        plot = self._plots.get(name)
        if plot is not None:
            return plot
        log_axis = name in ("loss", "learning_rate")
        plot = pg.PlotItem(axisItems={"left": LossAxis("left")} if log_axis else None)
        if name == "learning_rate":  # it changes by factors: always logarithmic
            plot.setLogMode(y=True)
        plot.setTitle(name.replace("_", " "), size="9pt", color=self._foreground)
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(self._foreground.lighter(160)))
            axis.setTextPen(pg.mkPen(self._foreground))
        plot.getAxis("left").setWidth(46)
        if "loss" in self._plots:
            plot.setXLink(self._plots["loss"])
        marker = pg.PlotDataItem(
            pen=None, symbol="o", symbolSize=9, symbolPen=pg.mkPen(self._foreground)
        )
        marker.setZValue(10)
        marker.hide()
        plot.addItem(marker, ignoreBounds=True)
        self._markers[name] = marker
        self._plots[name] = plot
        if name == "loss" and self.log_check.isChecked():
            plot.setLogMode(y=True)
        self._arrange()
        return plot

    def prepare(self, names: list[str]) -> None:
        """Make the plots a run will need and paint them now, before the worker starts.

        Creating and first painting plots is slow while a training thread competes for
        the interpreter, so the panel does it before `controller.start`.
        """
        for name in names:
            self._ensure_plot(name)
        self.stack.setCurrentWidget(self.canvas)
        if self.canvas.isVisible():
            self.canvas.repaint()

    def drop_empty_plots(self) -> None:
        """Remove prepared plots that no run drew on (a metric logged under another name)."""
        used = {plot_name(key) for curves in self._runs for key in curves.items}
        empty = [name for name in self._plots if name != "loss" and name not in used]
        for name in empty:
            self.canvas.ci.removeItem(self._plots.pop(name))
            del self._markers[name]
        if empty:
            self._arrange()
        if not self._runs:
            self.stack.setCurrentWidget(self.empty)

    def set_columns(self, columns: int) -> None:
        """How many plots side by side (the panel picks it from its shape)."""
        columns = max(1, columns)
        if columns != self._columns:
            self._columns = columns
            self._arrange()

    def _arrange(self) -> None:
        layout = self.canvas.ci
        for plot in self._plots.values():
            if plot in layout.items:
                layout.removeItem(plot)
        count = len(self._plots)
        columns = min(self._columns, count)
        rows = math.ceil(count / columns)
        for index, plot in enumerate(self._plots.values()):
            row, column = divmod(index, columns)
            layout.addItem(plot, row, column)
            last_row = row == rows - 1 or index + columns >= count
            plot.setLabel("bottom", "epoch" if last_row else None, color=self._foreground)
            plot.showAxis("bottom")
        grid = layout.layout  # equal shares, whatever the axes' label widths
        for plot in self._plots.values():
            plot.setPreferredSize(120, 80)
        for column in range(max(columns, grid.columnCount())):
            grid.setColumnStretchFactor(column, 1 if column < columns else 0)
        for row in range(max(rows, grid.rowCount())):
            grid.setRowStretchFactor(row, 1 if row < rows else 0)

    @Slot(bool)
    def set_log_scale(self, on: bool) -> None:
        if self.log_check.isChecked() != on:
            self.log_check.setChecked(on)
            return
        self._plots["loss"].setLogMode(y=on)

    # -- runs -----------------------------------------------------------------------------
    def _curves(self, run: RunRecord) -> RunCurves | None:
        return next((c for c in self._runs if c.run is run), None)

    def run_color(self, run: RunRecord) -> QColor:
        curves = self._curves(run)
        return QColor(curves.color) if curves is not None else QColor(self._foreground)

    def curve(self, run: RunRecord, key: str) -> pg.PlotDataItem | None:
        """The item drawing one series of a run (`loss`, `val_accuracy`, BATCH_KEY)."""
        curves = self._curves(run)
        return None if curves is None else curves.items.get(key)

    def runs(self) -> list[RunRecord]:
        return [c.run for c in self._runs]

    def start_run(self, run: RunRecord) -> None:
        """A run that is starting: drawn in full colour, the others faded."""
        self._hide_readout()
        self._add(run)

    def add_run(self, run: RunRecord) -> None:
        """A run with a history already (loaded, or trained before the panel existed)."""
        if self._curves(run) is not None:
            return
        curves = self._add(run)
        for row, epoch in enumerate(run.epochs):
            for key, values in run.history.items():
                if row < len(values):
                    self._append(curves, key, epoch + 1.0, values[row])
        self.flush()

    def _add(self, run: RunRecord) -> RunCurves:
        existing = self._curves(run)
        if existing is not None:
            return existing
        color = QColor(run_color(self._colors_used))
        self._colors_used += 1
        curves = RunCurves(run, color)
        self._runs.append(curves)
        self._restyle()
        self.stack.setCurrentWidget(self.canvas)
        return curves

    def _restyle(self) -> None:
        """Only the newest run is drawn in full colour."""
        for index, curves in enumerate(self._runs):
            faded = index != len(self._runs) - 1
            if faded != curves.faded:
                curves.faded = faded
                for key, item in curves.items.items():
                    item.setPen(series_pen(curves.color, key, faded))
                    item.setZValue(0 if faded else 1)

    def set_run_visible(self, run: RunRecord, visible: bool) -> None:
        run.visible = visible
        curves = self._curves(run)
        if curves is not None:
            for item in curves.items.values():
                item.setVisible(visible)

    def remove_run(self, run: RunRecord) -> None:
        curves = self._curves(run)
        if curves is None:
            return
        for key, item in curves.items.items():
            self._plots[plot_name(key)].removeItem(item)
        self._runs.remove(curves)
        self._restyle()
        self.drop_empty_plots()

    # -- points ---------------------------------------------------------------------------
    def add_epoch(self, run: RunRecord, epoch: int, logs: dict) -> None:
        """Epoch `epoch` (0-based) ended: its values are drawn at x = epoch + 1."""
        curves = self._curves(run) or self._add(run)
        for key, value in logs.items():
            self._append(curves, key, epoch + 1.0, value)

    def add_batch(self, run: RunRecord, info: dict) -> None:
        """A batch report: its loss joins the moving average at a fractional epoch."""
        loss, steps = info.get("loss"), info.get("steps") or 0
        if loss is None or not steps or not math.isfinite(loss):
            return
        curves = self._curves(run) or self._add(run)
        epoch, batch = info.get("epoch", 0), info.get("batch", 0)
        x, ema, gap = curves.smooth(loss, epoch, batch, steps)
        if gap:  # reports more than an epoch apart: the epoch curve says it better
            self._append(curves, BATCH_KEY, x, math.nan)
        self._append(curves, BATCH_KEY, x, ema)

    def _append(self, curves: RunCurves, key: str, x: float, value: float) -> None:
        try:
            value = float(value)
        except (TypeError, ValueError):
            return  # not a number (a log entry the plots cannot draw)
        buffer = curves.buffers.get(key)
        if buffer is None:
            buffer = curves.buffers[key] = PointBuffer()
            plot = self._ensure_plot(plot_name(key))
            item = pg.PlotDataItem(
                pen=series_pen(curves.color, key, curves.faded),
                name=series_label(key),
                connect="finite",
            )
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            item.setZValue(0 if curves.faded else 1)
            item.setVisible(curves.run.visible)
            plot.addItem(item)
            curves.items[key] = item
        buffer.append(x, value)
        curves.dirty.add(key)

    def flush_due(self) -> bool:
        """Whether to redraw now: drawing may take most of a second while a training thread
        competes for the interpreter, so redraws are spaced by how long the last one took."""
        wait = max(MIN_REDRAW_SECONDS, REDRAW_SPACING * self.canvas.last_paint_seconds)
        return time.perf_counter() - self._last_flush >= wait

    @Slot()
    def flush(self) -> None:
        """Hand the new points to the items (the panel calls this while a run goes)."""
        self._last_flush = time.perf_counter()
        for curves in self._runs:
            for key in curves.dirty:
                item, (x, y) = curves.items[key], curves.buffers[key].arrays()
                item.setData(x, y)
                # A lone point draws no line: mark it until the second one arrives.
                lone = len(x) == 1 and key != BATCH_KEY and bool(np.isfinite(y[0]))
                if lone != (item.opts["symbol"] is not None):
                    item.setSymbol("o" if lone else None)
                    item.setSymbolSize(6)
                    item.setSymbolBrush(item.opts["pen"].color())
                    item.setSymbolPen(None)
            curves.dirty.clear()

    # -- hover ----------------------------------------------------------------------------
    def _hide_readout(self) -> None:
        for marker in self._markers.values():
            marker.hide()
        self.readout.hide()

    def _on_mouse_moved(self, event: tuple) -> None:
        self.read_out(event[0])

    def read_out(self, scene_pos: QPointF) -> str:
        """Mark the point nearest to `scene_pos` and show its run, series, epoch and value."""
        self._hide_readout()
        name = next(
            (n for n, p in self._plots.items() if p.vb.sceneBoundingRect().contains(scene_pos)),
            None,
        )
        found = None
        if name is not None:
            visible = [c for c in self._runs if c.run.visible]
            found = nearest_point(visible, name, self._plots[name], scene_pos, HOVER_PIXELS)
        if found is None:
            return ""
        curves, key, x, y = found
        epoch = f"{int(x)}" if float(x).is_integer() else f"{x:.2f}"
        text = f"{curves.run.name} · {series_label(key)} · epoch {epoch}: {y:.4g}"
        marker = self._markers[name]
        marker.setData([x], [y], symbolBrush=curves.color)
        marker.show()
        self.readout.setText(text)
        self.readout.adjustSize()
        log_y = self._plots[name].ctrl.logYCheck.isChecked()
        shown_y = math.log10(y) if log_y and y > 0 else y
        scene_point = self._plots[name].vb.mapViewToScene(QPointF(x, shown_y))
        at = self.canvas.mapFromScene(scene_point)
        size, room = self.readout.size(), self.canvas.size()
        left = (
            at.x() + 12
            if at.x() + 12 + size.width() <= room.width()
            else at.x() - 12 - size.width()
        )
        top = at.y() - 8 - size.height() if at.y() - 8 - size.height() >= 0 else at.y() + 12
        self.readout.move(max(0, left), max(0, min(top, room.height() - size.height())))
        self.readout.show()
        self.readout.raise_()
        return text

    def leaveEvent(self, event) -> None:
        self._hide_readout()
        super().leaveEvent(event)
