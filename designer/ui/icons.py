"""Layer and category icons, drawn with QPainter so they are crisp at every size and scale.

Each layer type gets a rounded badge in its category's colour with a small white glyph
(drawn in `glyphs`: a fully connected pair of columns for Dense, "+" for Add ...).
Icons are vector-drawn on demand by a QIconEngine, so HiDPI screens and large rows get
sharp pixels instead of scaled bitmaps. Views that paint rows themselves call
`paint_badge` directly.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)

from designer.spec.catalog import catalog
from designer.ui.glyphs import Glyph, category_glyph, dots, layer_glyph, magnifier

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


def paint_badge(
    painter: QPainter,
    rect: QRect | QRectF,
    color: QColor,
    glyph: Glyph = dots,
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
    return QIcon(_BadgeEngine(category_color(category), category_glyph(category)))


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
    return QIcon(_GlyphEngine(color, magnifier))
