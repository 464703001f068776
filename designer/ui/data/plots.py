"""Pictures of the data: a scatter plot coloured by class, and a grid of sample images."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QSize, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from designer.data.labels import describe_labels
from designer.ui.colors import class_color

MAX_POINTS = 5000  # evenly spaced rows beyond this
MAX_IMAGES = 32
GAP = 6  # pixels between image tiles


def class_indices(y: np.ndarray, class_names: tuple[str, ...] = ()) -> tuple[np.ndarray, list[str]]:
    """Class index per row and the class names; empty names for continuous targets."""
    info = describe_labels(y, class_names)
    if info.num_classes is None:
        return np.zeros(len(y), dtype=np.int64), []
    if info.kind == "one_hot":
        index = np.argmax(y, axis=-1)
    elif info.kind == "plus_minus_one":
        index = (y.reshape(len(y)) > 0).astype(np.int64)
    else:
        index = y.reshape(len(y)).astype(np.int64)
    if info.kind == "plus_minus_one":
        names = ["−1", "+1"]
    else:
        names = [
            class_names[k] if k < len(class_names) else str(k) for k in range(info.num_classes)
        ]
    return index, names


def as_images(x: np.ndarray) -> np.ndarray | None:
    """(n, H, W) grey or (n, H, W, 3) colour images, or None when samples are not images."""
    if x.ndim == 3:
        return x
    if x.ndim == 4:
        if x.shape[-1] == 1:
            return x[..., 0]
        if x.shape[-1] in (3, 4):
            return x[..., :3]
        if x.shape[1] == 1:
            return x[:, 0]
        if x.shape[1] in (3, 4):
            return np.moveaxis(x[:, :3], 1, -1)
    return None


class ScatterView(QWidget):
    """Two input features against each other (or one against the target), one colour a class."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scatterView")
        self.setAccessibleName("Scatter plot")
        self._x = np.zeros((0, 0), np.float32)
        self._y: np.ndarray | None = None
        self._class_names: tuple[str, ...] = ()
        self.items: list[pg.ScatterPlotItem] = []
        palette = self.palette()
        self._foreground = palette.color(QPalette.ColorRole.Text)
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("scatterX")
        self.x_combo.setAccessibleName("Horizontal axis")
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("scatterY")
        self.y_combo.setAccessibleName("Vertical axis")
        for combo in (self.x_combo, self.y_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.activated.connect(self._redraw)
        self.axes_row = QWidget()
        row = QHBoxLayout(self.axes_row)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(QLabel("x:"))
        row.addWidget(self.x_combo)
        row.addSpacing(8)
        row.addWidget(QLabel("y:"))
        row.addWidget(self.y_combo)
        row.addStretch(1)
        self.canvas = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
        self.canvas.setObjectName("scatterCanvas")
        self.canvas.setAccessibleName("Scatter plot of the inputs")
        self.plot = self.canvas.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen(self._foreground.lighter(160)))
            axis.setTextPen(pg.mkPen(self._foreground))
        self.legend = self.plot.addLegend(offset=(-6, 6), labelTextColor=self._foreground)
        self.legend.setBrush(pg.mkBrush(palette.color(QPalette.ColorRole.Base)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.axes_row)
        layout.addWidget(self.canvas, 1)

    def set_data(
        self,
        x: np.ndarray,
        y: np.ndarray | None,
        feature_names: tuple[str, ...] = (),
        class_names: tuple[str, ...] = (),
    ) -> None:
        """Tabular inputs (n, d); keeps the chosen axes when the features stay the same."""
        d = x.shape[1]
        names = list(feature_names) if len(feature_names) == d else [f"x{j + 1}" for j in range(d)]
        if names != [self.x_combo.itemText(i) for i in range(self.x_combo.count())]:
            for combo, default in ((self.x_combo, 0), (self.y_combo, min(1, d - 1))):
                combo.clear()
                combo.addItems(names)
                combo.setCurrentIndex(default)
        self.axes_row.setVisible(d > 1)
        if len(x) > MAX_POINTS:
            rows = np.linspace(0, len(x) - 1, MAX_POINTS).astype(np.int64)
            x, y = x[rows], None if y is None else y[rows]
        self._x, self._y, self._class_names = x, y, tuple(class_names)
        self._redraw()

    def points(self) -> int:
        """How many points are drawn (for tests and the accessible description)."""
        return sum(len(item.data) for item in self.items)

    @Slot()
    def _redraw(self) -> None:
        for item in self.items:
            self.plot.removeItem(item)
        self.items = []
        self.legend.clear()
        x, y = self._x, self._y
        if len(x) == 0:
            return
        i, j = self.x_combo.currentIndex(), self.y_combo.currentIndex()
        one_feature = x.shape[1] == 1
        px = x[:, i].astype(np.float64)
        if one_feature:
            py = np.zeros(len(x)) if y is None else _as_column(y)
            y_label = "target"
        else:
            py = x[:, j].astype(np.float64)
            y_label = self.y_combo.currentText()
        self.plot.setLabel("bottom", self.x_combo.currentText(), color=self._foreground.name())
        self.plot.setLabel("left", y_label, color=self._foreground.name())
        index, names = class_indices(y, self._class_names) if y is not None else (None, [])
        outline = pg.mkPen(255, 255, 255, 110, width=0.8)
        if names and len(names) <= 20:
            for k, name in enumerate(names):
                rows = index == k
                color = QColor(class_color(k))
                color.setAlpha(210)
                item = pg.ScatterPlotItem(
                    px[rows], py[rows], size=7, pen=outline, brush=pg.mkBrush(color), name=name
                )
                self.plot.addItem(item)
                self.items.append(item)
        else:
            brushes = None
            if y is not None and not one_feature:
                values = _as_column(y)
                span = float(np.ptp(values)) or 1.0
                colors = pg.colormap.get("viridis").map((values - values.min()) / span, "qcolor")
                brushes = [pg.mkBrush(c) for c in colors]
            item = pg.ScatterPlotItem(
                px, py, size=6, pen=outline, brush=brushes or pg.mkBrush(class_color(0))
            )
            self.plot.addItem(item)
            self.items.append(item)
        self.plot.enableAutoRange()


def _as_column(y: np.ndarray) -> np.ndarray:
    return y.reshape(len(y), -1)[:, 0].astype(np.float64)


class ImageGrid(QWidget):
    """The first samples as small images with their labels, as many as fit (up to 32)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageGrid")
        self.setAccessibleName("Sample images")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.images: list[QImage] = []
        self.labels: list[str] = []
        self.shown = 0

    def sizeHint(self) -> QSize:
        return QSize(400, 160)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, 60)

    def set_images(self, x: np.ndarray | None, labels: list[str] | None = None) -> int:
        """Show the first images of `x` (any numeric range); returns how many were taken."""
        self.images, self.labels = [], []
        pictures = None if x is None else as_images(np.asarray(x[:MAX_IMAGES]))
        if pictures is not None and len(pictures):
            values = pictures.astype(np.float32)
            low, high = float(values.min()), float(values.max())
            if pictures.dtype != np.uint8:
                values = (values - low) * (255.0 / (high - low or 1.0))
            pixels = np.ascontiguousarray(np.clip(values, 0, 255).astype(np.uint8))
            colour = pixels.ndim == 4
            for picture in pixels:
                h, w = picture.shape[:2]
                fmt = QImage.Format.Format_RGB888 if colour else QImage.Format.Format_Grayscale8
                image = QImage(picture.tobytes(), w, h, w * (3 if colour else 1), fmt)
                self.images.append(image.copy())
            self.labels = list(labels or [])[: len(self.images)]
        self.update()
        return len(self.images)

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        return font

    def _pitch(self, size: int, label_width: int) -> int:
        """Horizontal distance between tiles: room for the label, within reason."""
        return max(size, min(label_width, int(size * 1.7))) + GAP

    def tile_layout(self) -> tuple[int, int, int, int]:
        """(tile size, horizontal pitch, columns, rows) that fit, biggest tiles first."""
        count = len(self.images)
        metrics = QFontMetrics(self._label_font())
        label_h = metrics.height() if self.labels else 0
        label_w = max((metrics.horizontalAdvance(t) for t in self.labels), default=0)
        width, height = self.width() - 8, self.height() - 8
        for size in range(96, 19, -2):
            pitch = self._pitch(size, label_w)
            cols = max(1, (width + GAP) // pitch)
            rows = max(1, (height + GAP) // (size + label_h + GAP))
            if cols * rows >= count:
                break
        return size, pitch, cols, rows

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if not self.images:
            return
        size, pitch, cols, rows = self.tile_layout()
        font = self._label_font()
        painter.setFont(font)
        metrics = QFontMetrics(font)
        label_h = metrics.height() if self.labels else 0
        self.shown = min(len(self.images), cols * rows)
        used_cols = min(cols, self.shown)
        left = max(4, (self.width() - used_cols * pitch + GAP) // 2)
        border = palette.color(QPalette.ColorRole.Mid)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for n in range(self.shown):
            r, c = divmod(n, cols)
            x, y = left + c * pitch, 4 + r * (size + label_h + GAP)
            target = QRect(x + (pitch - GAP - size) // 2, y, size, size)
            painter.drawImage(target, self.images[n])
            painter.setPen(border)
            painter.drawRect(target.adjusted(0, 0, -1, -1))
            if n < len(self.labels):
                painter.setPen(palette.color(QPalette.ColorRole.Text))
                text = metrics.elidedText(self.labels[n], Qt.TextElideMode.ElideRight, pitch)
                painter.drawText(
                    QRect(x - GAP // 2, y + size, pitch, label_h),
                    Qt.AlignmentFlag.AlignCenter,
                    text,
                )
        painter.end()
