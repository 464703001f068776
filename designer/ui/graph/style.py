"""Colours, sizes and fonts of the graph view, in one place so every item agrees.

A calm palette: each layer category gets a light fill and a darker accent of the
same hue; errors are the only saturated red, the selection the only strong blue.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

# (fill, accent) by catalog category.
CATEGORY_COLOURS: dict[str, tuple[str, str]] = {
    "Input": ("#e2f1e4", "#3f8f55"),
    "Core": ("#e1ebf8", "#3d6fb0"),
    "Convolution & pooling": ("#ebe4f6", "#7256ad"),
    "Normalisation & regularisation": ("#f8eedb", "#b07d22"),
    "Merge": ("#dcf0f0", "#2a8585"),
    "Reshape": ("#e8eaee", "#5f6b7a"),
    "Other": ("#efefef", "#777777"),
}

BACKGROUND = QColor("#f6f7f9")
GRID_DOT = QColor("#d9dde3")
GRID_STEP = 20

TEXT = QColor("#1f2933")
MUTED_TEXT = QColor("#5b6573")
ERROR = QColor("#d0392b")
ERROR_TEXT = QColor("#a82a1f")
SELECTION = QColor("#2f7de1")
VALID = QColor("#2e9d57")
SHADOW = QColor(20, 30, 50, 28)

WIRE = QColor("#7b8794")
WIRE_HOVER = QColor("#4f5b67")
WIRE_PENDING = QColor("#2f7de1")
SHARE_LINK = QColor(110, 120, 135, 140)

NODE_MIN_WIDTH = 168.0
NODE_MAX_WIDTH = 210.0
NODE_HEIGHT = 50.0
CAPTION_HEIGHT = 15.0
NODE_RADIUS = 8.0
STRIPE_WIDTH = 5.0
PORT_RADIUS = 5.0
PORT_HIT_RADIUS = 10.0
PORT_SPACING = 30.0

MIN_ZOOM = 0.2
MAX_ZOOM = 3.0
PASTE_OFFSET = 40.0


def category_colours(category: str) -> tuple[QColor, QColor]:
    """The (fill, accent) colours of a layer category."""
    fill, accent = CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["Other"])
    return QColor(fill), QColor(accent)


def title_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.5)
    font.setBold(True)
    return font


def detail_font() -> QFont:
    font = QFont()
    font.setPointSizeF(8.5)
    return font


def caption_font() -> QFont:
    font = QFont()
    font.setPointSizeF(7.5)
    font.setItalic(True)
    return font
