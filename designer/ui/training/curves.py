"""Pieces of the training plots: series names and pens, point buffers, a run's curves,
the legend, the hover label and the nearest-point search."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from designer.training.runs import RunRecord

BATCH_KEY = "#batch_loss"  # the smoothed per-batch loss (never a Keras log name)
SMOOTHING = 0.9  # per batch: the weight of the past in the batch loss' moving average
FADED = 0.3  # opacity of earlier runs


def plot_name(key: str) -> str:
    """The plot a log key is drawn on: `val_loss` and `loss` share the loss plot."""
    if key == BATCH_KEY:
        return "loss"
    return key[4:] if key.startswith("val_") else key


def series_label(key: str) -> str:
    if key == BATCH_KEY:
        return "batch loss (smoothed)"
    if key.startswith("val_"):
        return f"validation {key[4:].replace('_', ' ')}"
    return f"training {key.replace('_', ' ')}"


class PlotCanvas(pg.GraphicsLayoutWidget):
    """The plots' view; it remembers how long its last paint took."""

    def __init__(self) -> None:
        super().__init__()
        self.last_paint_seconds = 0.0

    def paintEvent(self, event) -> None:
        started = time.perf_counter()
        super().paintEvent(event)
        self.last_paint_seconds = time.perf_counter() - started


class PointBuffer:
    """Growing arrays, so appending a point is cheap and setData receives views."""

    __slots__ = ("n", "x", "y")

    def __init__(self) -> None:
        self.x = np.empty(64)
        self.y = np.empty(64)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self.x):
            self.x = np.concatenate([self.x, np.empty(len(self.x))])
            self.y = np.concatenate([self.y, np.empty(len(self.y))])
        self.x[self.n] = x
        self.y[self.n] = y
        self.n += 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[: self.n], self.y[: self.n]


@dataclass
class RunCurves:
    run: RunRecord
    color: QColor
    items: dict[str, pg.PlotDataItem] = field(default_factory=dict)
    buffers: dict[str, PointBuffer] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    ema: float | None = None
    ema_step: float = 0.0  # the global batch number of the last average
    faded: bool = False

    def smooth(self, loss: float, epoch: int, batch: int, steps: int) -> tuple[float, float, bool]:
        """(fractional epoch, moving average, gap) after this batch's loss.

        Reports are throttled, so the past decays once per batch that went by: the curve
        means the same whether reports came every batch or every hundred. Reports more
        than an epoch apart start afresh after a gap (`gap` True): the line would only
        join far-apart samples that the per-epoch curve already shows better.
        """
        step = epoch * steps + batch
        gap = self.ema is not None and step - self.ema_step > steps
        if self.ema is None or gap:
            self.ema = float(loss)
        else:
            past = SMOOTHING ** max(1.0, step - self.ema_step)
            self.ema = past * self.ema + (1.0 - past) * float(loss)
        self.ema_step = step
        return epoch + batch / steps, self.ema, gap


def series_pen(color: QColor, key: str, faded: bool) -> QPen:
    """Solid for training, dashed for validation, thin and light for the batch loss."""
    color = QColor(color)
    alpha = 0.45 if key == BATCH_KEY else 1.0
    color.setAlphaF(alpha * (FADED if faded else 1.0))
    style = Qt.PenStyle.DashLine if key.startswith("val_") else Qt.PenStyle.SolidLine
    return pg.mkPen(color, width=1 if key == BATCH_KEY else 2, style=style)


def legend_glyph(key: str, color: QColor) -> QPixmap:
    """A short sample of a series' line for the legend."""
    pixmap = QPixmap(26, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(series_pen(color, key, False))
    painter.drawLine(QPointF(1, 6), QPointF(25, 6))
    painter.end()
    return pixmap


class LossAxis(pg.AxisItem):
    """A left axis whose log mode labels only 1, 2 and 5 times a power of ten.

    pyqtgraph labels every minor tick within a decade (0.09, 0.08, 0.07 …), which
    overlap on a short plot.
    """

    def logTickStrings(self, values, scale, spacing):
        strings = super().logTickStrings(values, scale, spacing)
        kept = []
        for value, text in zip(values, strings, strict=True):
            mantissa = 10 ** (float(value) % 1.0)
            kept.append(text if min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 0.05 else "")
        return kept


def make_legend(color: QColor) -> QWidget:
    """Line styles, not runs: each run's colour is shown in the run list."""
    legend = QWidget()
    legend.setObjectName("plotLegend")
    legend.setAccessibleName("Legend")
    row = QHBoxLayout(legend)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    for key, text in (("loss", "training"), ("val_loss", "validation"), (BATCH_KEY, "batch loss")):
        glyph = QLabel()
        glyph.setPixmap(legend_glyph(key, color))
        row.addWidget(glyph)
        row.addWidget(QLabel(text))
        row.addSpacing(8)
    legend.setToolTip(
        "Solid: training · dashed: validation · thin: batch loss (moving average).\n"
        "Each run has its own colour (see Runs); earlier runs are faded.\n"
        "Point at a curve to read its values."
    )
    return legend


def make_readout(parent: QWidget) -> QLabel:
    """A small label floating beside the point under the mouse."""
    readout = QLabel(parent)
    readout.setObjectName("plotReadout")
    readout.setAccessibleName("Value under the mouse")
    readout.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    palette = parent.palette()
    background = palette.color(QPalette.ColorRole.ToolTipBase)
    text = palette.color(QPalette.ColorRole.ToolTipText)
    readout.setStyleSheet(
        f"QLabel {{ background: {background.name()}; color: {text.name()};"
        " border: 1px solid #9a9a9a; border-radius: 3px; padding: 2px 5px; }"
    )
    readout.hide()
    return readout


def nearest_point(
    runs: list[RunCurves], name: str, plot: pg.PlotItem, scene_pos: QPointF, pixels: float
) -> tuple[RunCurves, str, float, float] | None:
    """(run, series key, x, y) of the point of plot `name` nearest to the mouse, measured
    in screen pixels (so both axes count alike), within `pixels`; None when none is."""
    point = plot.vb.mapSceneToView(scene_pos)
    width, height = plot.vb.viewPixelSize()
    log_y = plot.ctrl.logYCheck.isChecked()
    best, best_distance = None, float(pixels**2)
    for curves in runs:
        for key, buffer in curves.buffers.items():
            if plot_name(key) != name or buffer.n == 0:
                continue
            x, y = buffer.arrays()
            with np.errstate(divide="ignore", invalid="ignore"):
                shown = np.log10(y) if log_y else y
                distance = ((x - point.x()) / width) ** 2 + ((shown - point.y()) / height) ** 2
            distance[~np.isfinite(distance)] = np.inf
            index = int(np.argmin(distance))
            if distance[index] < best_distance:
                best_distance = float(distance[index])
                best = (curves, key, float(x[index]), float(y[index]))
    return best
