"""The Boundary tab: the model's output over the plane of 2-D inputs, under the data.

As TensorFlow Playground: the background is the first output (or the predicted class)
on a grid, a line marks where the class changes, and the points are the data coloured
by class. During a run it follows the live weight snapshots (at most a few per second),
computed on a private copy of the model so the document's model is never touched.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from designer.insight.boundary import decision_grid, output_levels
from designer.insight.classification import true_classes
from designer.insight.model import current_model, input_shapes, output_activation
from designer.insight.targets import class_names, is_classification
from designer.spec.build import build_design
from designer.ui.insight.style import (
    CLASS_COLORS,
    MessageLabel,
    background_color,
    guarded,
    style_plot,
)

RESOLUTION = 80
MAX_POINTS = 1500
LIVE_INTERVAL_MS = 400  # at most this often during training
# Blue – white – red, pale enough for the data points (full colours) to stand out.
PALE = pg.ColorMap([0.0, 0.5, 1.0], [(120, 160, 225), (255, 255, 255), (235, 130, 130)])


def _class_lut(count: int) -> np.ndarray:
    """Pale class colours for the background of a many-class grid."""
    lut = np.zeros((count, 4), np.ubyte)
    for i in range(count):
        color = QColor(CLASS_COLORS[i % len(CLASS_COLORS)])
        rgb = np.array([color.red(), color.green(), color.blue()], float)
        lut[i, :3] = np.rint(rgb * 0.35 + 255 * 0.65)  # the class colour, washed out
        lut[i, 3] = 255
    return lut


class BoundaryTab(QWidget):
    """Decision regions of a model with two inputs, with the data points on top."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryTab")
        self.setAccessibleName("Boundary")
        self.document = document
        self.dirty = True
        self.values = np.zeros((0, 0), np.float32)
        self._private: tuple[Any, Any] | None = None  # (build it copies, private build)
        self._snapshot: dict | None = None
        self._points_key: tuple | None = None
        self._points_data: Any = None
        self._last_live = 0.0
        self._live_timer = QTimer(self)
        self._live_timer.setSingleShot(True)
        self._live_timer.timeout.connect(self._draw_snapshot)

        self.canvas = pg.PlotWidget()
        self.canvas.setObjectName("boundaryPlot")
        self.canvas.setAccessibleName("Decision boundary")
        self.canvas.setBackground(background_color(self))
        self.plot = self.canvas.getPlotItem()
        style_plot(self.plot, self)
        self.plot.setAspectLocked(False)
        self.plot.getAxis("left").setWidth(36)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.contour = pg.IsocurveItem(pen=pg.mkPen("#222222", width=2))
        self.contour.setParentItem(self.image)
        self.contour.setPos(0.5, 0.5)  # grid values sit at pixel centres
        self.points = pg.ScatterPlotItem(size=7, pen=pg.mkPen("#ffffff", width=0.8))
        self.plot.addItem(self.points)
        self.legend = QLabel()
        self.legend.setObjectName("boundaryLegend")
        self.legend.setAccessibleName("Legend")
        self.legend.setWordWrap(True)
        self.explain = QLabel()
        self.explain.setObjectName("boundaryExplanation")
        self.explain.setAccessibleName("Why no boundary is drawn")
        self.explain.setWordWrap(True)
        self.explain.setMargin(24)
        self.explain.setEnabled(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.canvas)
        self.stack.addWidget(self.explain)
        self.message = MessageLabel("boundaryMessage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def explanation(self) -> str:
        return self.explain.text() if self.stack.currentWidget() is self.explain else ""

    def _explain(self, text: str) -> None:
        self.explain.setText(text)
        self.stack.setCurrentWidget(self.explain)
        self.legend.clear()

    def _usable(self) -> tuple[Any, np.ndarray | None, Any]:
        """(model, x, y) when a boundary can be drawn; otherwise explains why and (None…)."""
        model, problem = current_model(self.document)
        if model is None:
            self._explain(problem)
            return None, None, None
        shapes = input_shapes(model)
        if len(shapes) != 1 or shapes[0] != (2,):
            self._explain(
                "A decision boundary is drawn for models with one input of 2 numbers "
                f"(a plane). This model's input has shape {', '.join(map(str, shapes))}."
            )
            return None, None, None
        data = self.document.data
        if data is None:
            self._explain(
                "Load or generate 2-D data (e.g. moons, circles, XOR) to see the "
                "model's decision regions under it."
            )
            return None, None, None
        x = np.asarray(data.x_train)
        if x.ndim != 2 or x.shape[1] != 2:
            self._explain(f"The data's samples have shape {x.shape[1:]}; the boundary needs 2.")
            return None, None, None
        return model, x, data.y_train

    @Slot()
    @guarded
    def refresh(self) -> None:
        self.dirty = False
        self.message.clear_message()
        model, x, y = self._usable()
        if model is not None:
            self._draw(model, x, y)

    def _draw(self, model: Any, x: np.ndarray, y: Any) -> None:
        xs, ys, values = decision_grid(model, x, resolution=RESOLUTION)
        self.values = values
        activation = output_activation(model)
        width, height = xs[-1] - xs[0], ys[-1] - ys[0]
        step_x, step_y = width / (len(xs) - 1), height / (len(ys) - 1)
        rect = (xs[0] - step_x / 2, ys[0] - step_y / 2, width + step_x, height + step_y)
        outputs = model.outputs[0].shape[-1]
        if outputs > 1:
            self.image.setLookupTable(_class_lut(outputs))
            self.image.setImage(values, autoLevels=False, levels=(0, outputs - 1), rect=rect)
            self.contour.setData(None)
            explained = "Background: the predicted class."
        else:
            low, high, threshold = output_levels(activation, values)
            self.image.setLookupTable(PALE.getLookupTable(nPts=256))
            self.image.setImage(values, autoLevels=False, levels=(low, high), rect=rect)
            self.contour.setData(values.T)  # IsocurveItem reads column-major
            self.contour.setLevel(threshold)
            explained = (
                f"Background: the output ({activation or 'linear'}), blue low → red "
                f"high; the black line is where it crosses {threshold:g}."
            )
        self.stack.setCurrentWidget(self.canvas)
        data = self.document.data
        if self._points_data is not data or self._points_key != (outputs, explained):
            self._points_data, self._points_key = data, (outputs, explained)
            self._draw_points(x, y, outputs, explained)  # the points only change with the data

    def _draw_points(self, x: np.ndarray, y: Any, outputs: int, explained: str) -> None:
        shown = slice(0, MAX_POINTS)
        if not is_classification(y, getattr(self.document.data, "class_names", ())):
            self.points.setData(x[shown, 0], x[shown, 1], brush=pg.mkBrush("#444444"))
            self.legend.setText(f"{explained} Points: the training data.")
            return
        classes = true_classes(np.asarray(y)[shown])
        brushes = [
            pg.mkBrush(CLASS_COLORS[c % len(CLASS_COLORS)])
            for c in range(max(int(classes.max(initial=0)) + 1, 2))
        ]
        self.points.setData(x[shown, 0], x[shown, 1], brush=[brushes[c] for c in classes])
        names = class_names(self.document.data, y, len(brushes))
        keys = " ".join(
            f"<span style='color:{CLASS_COLORS[i % len(CLASS_COLORS)]}'>●</span> {name}"
            for i, name in enumerate(names)
        )
        if outputs == 1 and len(names) == 2:
            keys = (
                f"<span style='color:{CLASS_COLORS[0]}'>●</span> {names[0]} (blue side) "
                f"<span style='color:{CLASS_COLORS[1]}'>●</span> {names[1]} (red side)"
            )
        self.legend.setText(f"{explained} Points (training data): {keys}")

    # -- live ------------------------------------------------------------------------------------
    @guarded
    def show_snapshot(self, weights: dict) -> None:
        """Keep the newest snapshot; draw it when the throttle allows."""
        self._snapshot = weights
        if not self._live_timer.isActive():
            wait = LIVE_INTERVAL_MS - (time.perf_counter() - self._last_live) * 1000
            self._live_timer.start(int(max(wait, 0)))

    @Slot()
    @guarded
    def _draw_snapshot(self) -> None:
        weights, self._snapshot = self._snapshot, None
        if weights is None or not self.isVisible():
            return
        self._last_live = time.perf_counter()
        model, x, y = self._usable()
        if model is None:
            return
        current = self.document.build_result
        if self._private is None or self._private[0] is not current:
            self._private = (current, build_design(self.document.design))
        private = self._private[1]
        for node_id, arrays in weights.items():
            info = private.nodes.get(node_id)
            if info is not None and info.layer is not None:
                info.layer.set_weights(arrays)
        self._draw(private.model, x, y)
