"""The white glyphs on layer badges, drawn with QPainter in a unit square (0..1 both ways).

A fully connected pair of columns for Dense, a filter window for Conv2D, "+" for Add ...
Each layer type and each palette category has one; layer types without their own borrow
one by name, else they get '⋯' (`dots`). `icons` puts them on coloured badges.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

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


def dots(p: QPainter, s: float) -> None:
    """'⋯': the glyph of anything without one of its own."""
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
    "Other": dots,
}


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
    return dots


def magnifier(p: QPainter, s: float) -> None:
    """The filter boxes' search glyph (drawn bare, without a badge)."""
    p.drawEllipse(QPointF(0.43, 0.43), 0.24, 0.24)
    _line(p, (0.61, 0.61), (0.82, 0.82))


def category_glyph(category: str) -> Glyph:
    """The glyph of a palette group ('⋯' for a category without one)."""
    return CATEGORY_GLYPHS.get(category, dots)
