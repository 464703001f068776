"""Layer and category icons, drawn with QPainter so they are crisp at every size and scale.

Each layer type gets a rounded badge in its category's colour with a small white glyph
(a fully connected pair of columns for Dense, a filter window for Conv2D, "+" for Add ...).
Icons are vector-drawn on demand by a QIconEngine, so HiDPI screens and large rows get
sharp pixels instead of scaled bitmaps. Views that paint rows themselves call
`paint_badge` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)

from designer.spec.catalog import catalog

CATEGORY_COLORS: dict[str, str] = {
    "Input": "#15857a",
    "Core": "#2f67b5",
    "Convolution & pooling": "#7a4fb5",
    "Normalisation & regularisation": "#c2661a",
    "Merge": "#b53e6c",
    "Reshape": "#56708a",
    "Other": "#767676",
}


def category_color(category: str) -> QColor:
    """The colour that marks a category everywhere (palette, stack rows, graph nodes)."""
    return QColor(CATEGORY_COLORS.get(category, CATEGORY_COLORS["Other"]))


def layer_color(type_name: str) -> QColor:
    category = catalog()[type_name].category if type_name in catalog() else "Other"
    return category_color(category)


# -- glyphs: drawn in a unit square (0..1 both ways) on the badge, in white ---------------
Glyph = Callable[[QPainter, float], None]


def _line(p: QPainter, *points: tuple[float, float]) -> None:
    path = QPainterPath(QPointF(*points[0]))
    for point in points[1:]:
        path.lineTo(QPointF(*point))
    p.drawPath(path)


def _dot(p: QPainter, x: float, y: float, r: float, filled: bool = True) -> None:
    if filled:
        p.save()
        p.setBrush(p.pen().color())
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(x, y), r, r)
        p.restore()
    else:
        p.drawEllipse(QPointF(x, y), r, r)


def _cells(p: QPainter, x: float, y: float, w: float, h: float, cols: int, rows: int) -> None:
    p.drawRect(QRectF(x, y, w, h))
    for c in range(1, cols):
        _line(p, (x + w * c / cols, y), (x + w * c / cols, y + h))
    for r in range(1, rows):
        _line(p, (x, y + h * r / rows), (x + w, y + h * r / rows))


def _fill(p: QPainter, rect: QRectF, alpha: int = 255) -> None:
    color = QColor(p.pen().color())
    color.setAlpha(alpha)
    p.fillRect(rect, color)


def _arrow(p: QPainter, x0: float, x1: float, y: float) -> None:
    _line(p, (x0, y), (x1, y))
    _line(p, (x1 - 0.09, y - 0.09), (x1, y), (x1 - 0.09, y + 0.09))


def _input(p: QPainter, s: float) -> None:
    _arrow(p, 0.2, 0.62, 0.5)
    _line(p, (0.76, 0.26), (0.76, 0.74))


def _dense(p: QPainter, s: float) -> None:
    left, right = (0.36, 0.64), (0.24, 0.5, 0.76)
    pen = QPen(p.pen())
    thin = QPen(pen)
    thin.setWidthF(pen.widthF() * 0.55)
    p.setPen(thin)
    for a in left:
        for b in right:
            _line(p, (0.27, a), (0.73, b))
    p.setPen(pen)
    for a in left:
        _dot(p, 0.27, a, 0.075)
    for b in right:
        _dot(p, 0.73, b, 0.075)


def _activation(p: QPainter, s: float) -> None:
    path = QPainterPath(QPointF(0.18, 0.72))
    path.cubicTo(QPointF(0.52, 0.72), QPointF(0.48, 0.28), QPointF(0.82, 0.28))
    p.drawPath(path)


def _dropout(p: QPainter, s: float) -> None:
    dropped = {(0, 1), (1, 2), (2, 0), (1, 1)}
    for i, x in enumerate((0.27, 0.5, 0.73)):
        for j, y in enumerate((0.27, 0.5, 0.73)):
            if (i, j) not in dropped:
                _dot(p, x, y, 0.08)


def _batch_norm(p: QPainter, s: float) -> None:
    path = QPainterPath(QPointF(0.16, 0.72))
    path.cubicTo(QPointF(0.38, 0.72), QPointF(0.38, 0.26), QPointF(0.5, 0.26))
    path.cubicTo(QPointF(0.62, 0.26), QPointF(0.62, 0.72), QPointF(0.84, 0.72))
    p.drawPath(path)


def _flatten(p: QPainter, s: float) -> None:
    _cells(p, 0.16, 0.32, 0.34, 0.36, 2, 2)
    _line(p, (0.6, 0.5), (0.7, 0.5))
    _line(p, (0.8, 0.18), (0.8, 0.82))


def _reshape(p: QPainter, s: float) -> None:
    _fill(p, QRectF(0.18, 0.2, 0.24, 0.6), 110)
    p.drawRect(QRectF(0.18, 0.2, 0.24, 0.6))
    p.drawRect(QRectF(0.52, 0.38, 0.3, 0.24))


def _conv2d(p: QPainter, s: float) -> None:
    _fill(p, QRectF(0.2, 0.2, 0.4, 0.4), 110)
    _cells(p, 0.2, 0.2, 0.6, 0.6, 3, 3)


def _conv1d(p: QPainter, s: float) -> None:
    _fill(p, QRectF(0.14, 0.38, 0.36, 0.24), 110)
    _cells(p, 0.14, 0.38, 0.72, 0.24, 4, 1)


def _pool(kind: str, dims: int = 2) -> Glyph:
    def glyph(p: QPainter, s: float) -> None:
        if dims == 2:
            _cells(p, 0.14, 0.3, 0.4, 0.4, 2, 2)
        else:
            _cells(p, 0.12, 0.4, 0.42, 0.2, 2, 1)
        out = QRectF(0.66, 0.4, 0.2, 0.2)
        if kind == "max":
            _fill(p, out)
        else:
            p.drawRect(out)
            _dot(p, out.center().x(), out.center().y(), 0.045)

    return glyph


def _global_pool(kind: str) -> Glyph:
    def glyph(p: QPainter, s: float) -> None:
        p.drawRect(QRectF(0.16, 0.22, 0.42, 0.56))
        _line(p, (0.64, 0.5), (0.72, 0.5))
        if kind == "max":
            _dot(p, 0.8, 0.5, 0.075)
        else:
            _dot(p, 0.8, 0.5, 0.075, filled=False)

    return glyph


def _zero_padding(p: QPainter, s: float) -> None:
    dashed = QPen(p.pen())
    dashed.setStyle(Qt.PenStyle.DotLine)
    p.drawRect(QRectF(0.34, 0.34, 0.32, 0.32))
    p.setPen(dashed)
    p.drawRect(QRectF(0.18, 0.18, 0.64, 0.64))


def _upsampling(p: QPainter, s: float) -> None:
    p.drawRect(QRectF(0.18, 0.46, 0.36, 0.36))
    _line(p, (0.46, 0.54), (0.78, 0.22))
    _line(p, (0.56, 0.22), (0.78, 0.22), (0.78, 0.44))


def _plus(p: QPainter, s: float) -> None:
    _line(p, (0.5, 0.24), (0.5, 0.76))
    _line(p, (0.24, 0.5), (0.76, 0.5))


def _minus(p: QPainter, s: float) -> None:
    _line(p, (0.24, 0.5), (0.76, 0.5))


def _times(p: QPainter, s: float) -> None:
    _line(p, (0.3, 0.3), (0.7, 0.7))
    _line(p, (0.7, 0.3), (0.3, 0.7))


def _average(p: QPainter, s: float) -> None:
    _line(p, (0.3, 0.24), (0.7, 0.24))
    _line(p, (0.32, 0.4), (0.68, 0.78))
    _line(p, (0.68, 0.4), (0.32, 0.78))


def _maximum(p: QPainter, s: float) -> None:
    _line(p, (0.24, 0.7), (0.5, 0.3), (0.76, 0.7))


def _minimum(p: QPainter, s: float) -> None:
    _line(p, (0.24, 0.3), (0.5, 0.7), (0.76, 0.3))


def _concatenate(p: QPainter, s: float) -> None:
    _fill(p, QRectF(0.18, 0.28, 0.3, 0.44), 110)
    p.drawRect(QRectF(0.18, 0.28, 0.3, 0.44))
    p.drawRect(QRectF(0.52, 0.28, 0.3, 0.44))


def _other(p: QPainter, s: float) -> None:
    for x in (0.3, 0.5, 0.7):
        _dot(p, x, 0.5, 0.07)


GLYPHS: dict[str, Glyph] = {
    "Input": _input,
    "Dense": _dense,
    "Activation": _activation,
    "Dropout": _dropout,
    "BatchNormalization": _batch_norm,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Conv2D": _conv2d,
    "Conv1D": _conv1d,
    "MaxPooling2D": _pool("max"),
    "AveragePooling2D": _pool("average"),
    "MaxPooling1D": _pool("max", dims=1),
    "AveragePooling1D": _pool("average", dims=1),
    "GlobalMaxPooling2D": _global_pool("max"),
    "GlobalAveragePooling2D": _global_pool("average"),
    "ZeroPadding2D": _zero_padding,
    "UpSampling2D": _upsampling,
    "Add": _plus,
    "Subtract": _minus,
    "Multiply": _times,
    "Average": _average,
    "Maximum": _maximum,
    "Minimum": _minimum,
    "Concatenate": _concatenate,
}

# A glyph for each category, for group headers and legends.
CATEGORY_GLYPHS: dict[str, Glyph] = {
    "Input": _input,
    "Core": _dense,
    "Convolution & pooling": _conv2d,
    "Normalisation & regularisation": _batch_norm,
    "Merge": _plus,
    "Reshape": _reshape,
    "Other": _other,
}


def paint_badge(
    painter: QPainter,
    rect: QRect | QRectF,
    color: QColor,
    glyph: Glyph = _other,
    enabled: bool = True,
) -> None:
    """Draw a rounded badge in `color` with a white `glyph`, filling the square in `rect`."""
    rect = QRectF(rect)
    side = min(rect.width(), rect.height())
    if side <= 0:
        return
    square = QRectF(0, 0, side, side)
    square.moveCenter(rect.center())
    fill = QColor(color)
    if not enabled:
        grey = fill.lightness()
        fill = QColor(grey, grey, grey).lighter(130)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    radius = side * 0.22
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(fill))
    painter.drawRoundedRect(square, radius, radius)
    painter.setPen(QPen(fill.darker(125), max(1.0, side / 32)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = painter.pen().widthF() / 2
    painter.drawRoundedRect(square.adjusted(inset, inset, -inset, -inset), radius, radius)
    painter.translate(square.topLeft())
    painter.scale(side, side)
    pen = QPen(QColor("white"))
    pen.setWidthF(max(1.15, side / 13) / side)  # in unit-square coordinates
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    glyph(painter, side)
    painter.restore()


# Name patterns for layer types without a glyph of their own (new engine layers).
_PATTERNS: tuple[tuple[str, Glyph], ...] = (
    ("GlobalMax", _global_pool("max")),
    ("GlobalAverage", _global_pool("average")),
    ("MaxPooling", _pool("max")),
    ("AveragePooling", _pool("average")),
    ("Conv", _conv2d),
    ("Dropout", _dropout),
    ("Normalization", _batch_norm),
    ("Padding", _zero_padding),
    ("UpSampling", _upsampling),
    ("Reshape", _reshape),
    ("Permute", _reshape),
    ("Flatten", _flatten),
)


def layer_glyph(type_name: str) -> Glyph:
    """The glyph of a layer type; unknown types borrow one by name, else '⋯'."""
    if type_name in GLYPHS:
        return GLYPHS[type_name]
    for pattern, glyph in _PATTERNS:
        if pattern in type_name:
            return glyph
    return _other


class _BadgeEngine(QIconEngine):
    """Paints the badge at whatever size and device-pixel ratio Qt asks for."""

    def __init__(self, color: QColor, glyph: Glyph) -> None:
        super().__init__()
        self._color, self._glyph = QColor(color), glyph

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        margin = max(0.0, min(rect.width(), rect.height()) * 0.04)
        paint_badge(
            painter,
            QRectF(rect).adjusted(margin, margin, -margin, -margin),
            self._color,
            self._glyph,
            enabled=mode != QIcon.Mode.Disabled,
        )

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _BadgeEngine(self._color, self._glyph)


@cache
def layer_icon(type_name: str) -> QIcon:
    """The icon of one layer type (category colour, type glyph)."""
    return QIcon(_BadgeEngine(layer_color(type_name), layer_glyph(type_name)))


@cache
def category_icon(category: str) -> QIcon:
    """The icon of a palette group."""
    glyph = CATEGORY_GLYPHS.get(category, _other)
    return QIcon(_BadgeEngine(category_color(category), glyph))


def drag_pixmap(type_name: str, text: str, font: QFont, palette: QPalette) -> QPixmap:
    """The picture under the cursor while a layer is dragged: its badge and name on a chip."""
    metrics = QFontMetrics(font)
    badge = metrics.height() + 4
    pad = 6
    width = pad + badge + pad + metrics.horizontalAdvance(text) + pad * 2
    height = badge + pad * 2
    scale = 2.0  # drawn at twice the size so it stays sharp on HiDPI screens
    pixmap = QPixmap(QSize(width, height) * scale)
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    chip = QRectF(0.5, 0.5, width - 1, height - 1)
    base = QColor(palette.color(QPalette.ColorRole.Base))
    base.setAlpha(235)
    painter.setBrush(base)
    painter.setPen(QPen(layer_color(type_name), 1.0))
    painter.drawRoundedRect(chip, height / 2 - 1, height / 2 - 1)
    paint_badge(
        painter, QRectF(pad, pad, badge, badge), layer_color(type_name), layer_glyph(type_name)
    )
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    text_rect = QRectF(pad * 2 + badge, 0, width - pad * 2 - badge, height)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    painter.end()
    return pixmap


def _magnifier(p: QPainter, s: float) -> None:
    p.drawEllipse(QPointF(0.43, 0.43), 0.24, 0.24)
    _line(p, (0.61, 0.61), (0.82, 0.82))


class _GlyphEngine(_BadgeEngine):
    """A bare glyph in one colour (no badge), e.g. the filter box's magnifier."""

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        side = min(rect.width(), rect.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2
        )
        painter.scale(side, side)
        pen = QPen(self._color)
        pen.setWidthF(max(1.2, side / 11) / side)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        self._glyph(painter, side)
        painter.restore()

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self._color, self._glyph)


def search_icon(color: QColor) -> QIcon:
    """A magnifier for filter boxes, in `color` (usually the palette's placeholder text)."""
    return QIcon(_GlyphEngine(color, _magnifier))
