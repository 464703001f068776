"""Pictures of weight arrays: a heatmap with a colour scale, a histogram, a filter grid.

Each view keeps its pyqtgraph items and only calls setImage/setData/setLevels on an
update, so live snapshots during training cost a redraw, never new items.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from designer.insight.text import fmt
from designer.ui.insight.array_model import grid_shape
from designer.ui.insight.style import background_color, diverging_colormap, style_plot

HISTOGRAM_BINS = 40


def symmetric_levels(values: np.ndarray) -> tuple[float, float]:
    """(−m, m) with m the largest magnitude: 0 is always the middle (white) colour."""
    finite = values[np.isfinite(values)] if values.size else values
    top = float(np.abs(finite).max()) if finite.size else 0.0
    top = top if top > 0 else 1.0
    return (-top, top)


def mosaic(images: np.ndarray, columns: int | None = None, gap: int | None = None) -> np.ndarray:
    """Images (n, h, w) tiled into one (rows·(h+gap), cols·(w+gap)) array; NaN between.

    The gap grows with the tiles, so it survives being drawn smaller than the array.
    """
    n, h, w = images.shape
    gap = max(1, max(h, w) // 8) if gap is None else gap
    columns = columns or max(1, math.ceil(math.sqrt(n * h / max(w, 1))))
    rows = math.ceil(n / columns)
    out = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan, np.float32)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = images[i]
    return out


class _ImagePlot(pg.GraphicsLayoutWidget):
    """A plot with one ImageItem (row 0 at the top) and a diverging colour bar."""

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setBackground(background_color(self))
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.plot = self.addPlot()
        style_plot(self.plot, self)
        self.plot.invertY(True)
        self.plot.setAspectLocked(False)
        self.plot.vb.setDefaultPadding(0.0)
        self.plot.getAxis("left").setWidth(40)
        self.plot.getAxis("bottom").setHeight(20)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(-1.0, 1.0),
            colorMap=diverging_colormap(),
            interactive=False,
            width=12,
        )
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        axis = self.colorbar.getAxis("right")
        axis.setWidth(44)
        axis.setTextPen(pg.mkPen(self.palette().color(QPalette.ColorRole.Text)))
        self.levels = (-1.0, 1.0)
        self._extent = (0, 0)
        self.setMinimumSize(140, 90)

    def _show(self, matrix: np.ndarray, levels: tuple[float, float] | None = None) -> None:
        levels = levels or symmetric_levels(matrix)
        self.levels = levels
        rows, cols = matrix.shape
        self.image.setImage(matrix, autoLevels=False, levels=levels)
        self.image.setRect(QRectF(-0.5, -0.5, cols, rows))  # cell (r, c) centred on (c, r)
        self.colorbar.setLevels(levels)
        if (rows, cols) != self._extent:
            self._extent = (rows, cols)
            for side, count in (("bottom", cols), ("left", rows)):
                ticks = [[(i, str(i)) for i in range(count)]] if count <= 16 else None
                self.plot.getAxis(side).setTicks(ticks)
            if not self.plot.vb.state["aspectLocked"]:  # limits would fight a locked aspect
                self.plot.setLimits(xMin=-0.5, xMax=cols - 0.5, yMin=-0.5, yMax=rows - 0.5)
            self.plot.vb.enableAutoRange()  # fits the image whatever the widget's size


class HeatmapView(_ImagePlot):
    """A weight array as colours: rows and columns as in the table, 0 white."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("weightsHeatmap", "Weights heatmap", parent)
        self.matrix = np.zeros((0, 0), np.float32)
        self._mouse = pg.SignalProxy(
            self.scene().sigMouseMoved, rateLimit=20, slot=self._on_mouse_moved
        )

    def set_array(self, array: np.ndarray) -> None:
        array = np.asarray(array, dtype=np.float32)
        self.matrix = array.reshape(grid_shape(array.shape))  # rows × columns, as the table
        self._show(self.matrix)

    def _on_mouse_moved(self, event) -> None:
        position = event[0]
        if not self.plot.sceneBoundingRect().contains(position) or not self.matrix.size:
            self.setToolTip("")
            return
        point = self.plot.vb.mapSceneToView(position)
        row, col = round(point.y()), round(point.x())
        if 0 <= row < self.matrix.shape[0] and 0 <= col < self.matrix.shape[1]:
            self.setToolTip(f"row {row}, column {col}: {fmt(self.matrix[row, col])}")
        else:
            self.setToolTip("")


class FilterGrid(_ImagePlot):
    """A conv kernel (kh, kw, in, out) as one small image per filter (out), tiled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("filterGrid", "Convolution filters", parent)
        self.plot.setAspectLocked(True)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.count = 0

    def set_kernel(self, kernel: np.ndarray, channel: int | None = 0) -> None:
        """`channel` None: the filters averaged over input channels."""
        kernel = np.asarray(kernel, dtype=np.float32)
        if kernel.ndim != 4:
            raise ValueError(f"A filter grid needs a 4-D kernel; received shape {kernel.shape}.")
        if channel is None:
            planes = kernel.mean(axis=2)
        else:
            planes = kernel[:, :, min(channel, kernel.shape[2] - 1), :]
        images = np.moveaxis(planes, -1, 0)  # (out, kh, kw)
        self.count = len(images)
        self._show(mosaic(images), symmetric_levels(images))


class HistogramView(pg.PlotWidget):
    """How the values of an array are spread, with a line at 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=None)
        self.setObjectName("weightsHistogram")
        self.setAccessibleName("Weights histogram")
        self.setBackground(background_color(self))
        plot = self.getPlotItem()
        style_plot(plot, self)
        plot.getAxis("left").setWidth(46)  # counts reach tens of thousands
        plot.getAxis("bottom").setHeight(20)
        plot.showGrid(x=False, y=True, alpha=0.15)
        self.curve = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(70, 110, 170, 110),
            pen=pg.mkPen("#3f6aa6", width=1),
        )
        plot.addItem(self.curve)
        dashed = pg.mkPen("#888888", style=Qt.PenStyle.DashLine)
        self.zero = pg.InfiniteLine(0, angle=90, pen=dashed)
        plot.addItem(self.zero, ignoreBounds=True)
        self.counts = np.zeros(0)
        self.setMinimumSize(120, 90)

    def set_values(self, values: np.ndarray) -> None:
        flat = np.asarray(values, dtype=np.float32).reshape(-1)
        flat = flat[np.isfinite(flat)]
        if not flat.size:
            self.curve.setData([], [])
            return
        low, high = float(flat.min()), float(flat.max())
        if low == high:
            low, high = low - 0.5, high + 0.5
        self.counts, edges = np.histogram(
            flat, bins=min(HISTOGRAM_BINS, max(5, flat.size)), range=(low, high)
        )
        self.curve.setData(edges, self.counts)
        self.setToolTip(
            f"{flat.size} values · mean {fmt(flat.mean())} · std {fmt(flat.std())}\n"
            f"min {fmt(low)} · max {fmt(high)}"
        )
