"""The Activations tab: what every layer outputs for one input, left to right.

Vectors are bars (blue below 0, red above); image-shaped outputs (a convolution's
feature maps) are tiled pictures, one per channel. One small plot per layer, in a
row that scrolls sideways in a wide dock and a column in a tall one.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from designer.insight.activations import feature_maps, layer_outputs
from designer.insight.model import current_model
from designer.insight.text import fmt, shape_text
from designer.ui.insight.heatmap import mosaic
from designer.ui.insight.input_picker import InputPicker
from designer.ui.insight.style import MessageLabel, background_color, guarded, style_plot

PLOT_SIZE = 230  # pixels per layer plot along the scrolling direction
MIN_BARS = 4
LABELLED_BARS = 12  # up to this many bars get their value written on them
POSITIVE, NEGATIVE = pg.mkBrush("#d1495b"), pg.mkBrush("#3f6aa6")


class ActivationsTab(QWidget):
    """Each layer's output for one input: bars for vectors, feature maps for images."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationsTab")
        self.setAccessibleName("Activations")
        self.document = document
        self.dirty = True
        self.outputs: list[tuple[str, str, np.ndarray]] = []
        self.picker = InputPicker("activations")
        self.picker.changed.connect(self.refresh)
        self.message = MessageLabel("activationsMessage")
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("activationsCanvas")
        self.canvas.setAccessibleName("Layer outputs")
        self.canvas.setBackground(background_color(self))
        self.canvas.ci.setSpacing(6)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.picker)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        self._wide = True

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def plots(self) -> list[pg.PlotItem]:
        return [item for item in self.canvas.ci.items if isinstance(item, pg.PlotItem)]

    @Slot()
    @guarded
    def refresh(self) -> None:
        self.dirty = False
        self.message.clear_message()
        self.picker.follow(self.document.data)
        model, problem = current_model(self.document)
        if model is None:
            self._set_outputs([])
            self.show_message(problem, "warn")
            return
        if not self.picker.has_input():
            self._set_outputs([])
            self.show_message("Type an input or pick a data row to see every layer's output.")
            return
        x, _, description = self.picker.sample(model)
        inputs = x if isinstance(x, list) else [x]
        shown = [
            ("input", "", np.asarray(p)) for p in inputs if feature_maps(np.asarray(p)) is not None
        ]
        self._set_outputs(shown + layer_outputs(model, x), description)

    def _set_outputs(self, outputs: list, description: str = "") -> None:
        self.outputs = outputs
        self.canvas.clear()
        foreground = self.palette().color(QPalette.ColorRole.Text)
        for number, (name, kind, values) in enumerate(outputs):
            position = (0, number) if self._wide else (number, 0)
            plot = self.canvas.addPlot(*position)
            style_plot(plot, self)
            title = f"{name} · {kind}" if kind else name
            plot.setTitle(
                f"{title}  <span style='color:#888'>{shape_text(values.shape)}</span>",
                size="9pt",
                color=foreground,
            )
            plot.getAxis("left").setWidth(38)
            self._draw(plot, np.asarray(values, dtype=np.float32))
        count = max(len(outputs), 1)
        if self._wide:
            self.canvas.setMinimumSize(PLOT_SIZE * count, 0)
        else:
            self.canvas.setMinimumSize(0, int(PLOT_SIZE * 0.8) * count)
        if description and outputs:
            self.canvas.setToolTip(f"Outputs for {description}")

    def _draw(self, plot: pg.PlotItem, values: np.ndarray) -> None:
        maps = feature_maps(values)
        if maps is not None:
            tiled = mosaic(maps)
            image = pg.ImageItem(tiled, axisOrder="row-major")
            image.setLookupTable(pg.colormap.get("CET-L1").getLookupTable(nPts=256))
            low, high = float(np.nanmin(tiled)), float(np.nanmax(tiled))
            image.setLevels((low, high if high > low else low + 1))
            plot.addItem(image)
            plot.invertY(True)
            plot.setAspectLocked(True)
            plot.hideAxis("left")
            plot.hideAxis("bottom")
            return
        flat = values.reshape(-1)
        bars = pg.BarGraphItem(
            x=np.arange(flat.size),
            height=flat,
            width=0.85,
            brushes=[POSITIVE if v >= 0 else NEGATIVE for v in flat],
            pen=pg.mkPen(None),
        )
        plot.addItem(bars)
        plot.addLine(y=0, pen=pg.mkPen("#888888"))
        low = min(float(flat.min(initial=0.0)), 0.0)
        high = max(float(flat.max(initial=0.0)), 0.0)
        labelled = flat.size <= LABELLED_BARS
        plot.setYRange(low, high if high > low else low + 1.0, padding=0.2 if labelled else 0.08)
        room = max(flat.size, MIN_BARS)  # a lone output unit is not drawn as a wall
        start = -0.6 - (room - flat.size) / 2
        plot.setXRange(start, start + room + 0.2, padding=0)
        plot.setMouseEnabled(x=True, y=False)
        if labelled:
            plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(flat.size)]])
            for i, value in enumerate(flat):
                label = pg.TextItem(
                    fmt(value, 2),
                    anchor=(0.5, 1.0 if value >= 0 else 0.0),
                    color=self.palette().color(QPalette.ColorRole.Text),
                )
                label.setPos(i, value)
                plot.addItem(label)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        wide = self.width() >= self.height() * 1.2
        if wide != self._wide:
            self._wide = wide
            self.scroll.setHorizontalScrollBarPolicy(
                Qt.ScrollBarPolicy.ScrollBarAsNeeded
                if wide
                else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            )
            self._set_outputs(self.outputs)
