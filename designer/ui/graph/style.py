"""Colours, sizes and fonts of the graph view, in one place so every item agrees.

A calm palette: each layer category gets a light fill and a darker accent of the
same hue; errors are the only saturated red, the selection the only strong blue.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

from designer.ui.icons import category_color

# Category colours come from designer.ui.icons (the palette and stack rows use the same);
# a card is a light tint of its category's colour, with the colour itself as accent.
FILL_TINT = 0.14

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
PASTE_GAP = 30.0  # between pasted cards and the cards beside them


def category_colours(category: str) -> tuple[QColor, QColor]:
    """The (fill, accent) colours of a layer category."""
    accent = category_color(category)
    fill = QColor.fromRgbF(
        *(1.0 - FILL_TINT * (1.0 - c) for c in (accent.redF(), accent.greenF(), accent.blueF()))
    )
    return fill, accent


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
