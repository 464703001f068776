"""What the insight tabs share on screen: the message banner, its error guard, colours, fonts.

The numbers they show come from `designer.insight` (Qt-free); this is only the look.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from designer.spec.design import DesignError
from designer.spec.params import ParamError

log = logging.getLogger(__name__)

MESSAGE_COLORS = {"info": "#3b4a5a", "warn": "#8a5300", "error": "#b3261e", "ok": "#1e5b2a"}
MESSAGE_BACKGROUNDS = {"info": "#eef2f7", "warn": "#fff4e0", "error": "#fdecea", "ok": "#e8f4ea"}
# Errors people cause (bad text, wrong shape, a locked document): shown as they are.
USER_ERRORS = (ValueError, TypeError, DesignError, ParamError, KeyError, IndexError)
CLASS_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


class MessageLabel(QLabel):
    """A small inline banner: one line of guidance, a warning or an error; hidden when empty."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName("Message")
        self.setWordWrap(True)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind if text else ""
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ color: {MESSAGE_COLORS.get(kind, '')};"
            f" background: {MESSAGE_BACKGROUNDS.get(kind, 'transparent')};"
            " border-radius: 3px; padding: 3px 6px; }"
        )
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


def guarded(method: Callable) -> Callable:
    """Slot wrapper: an exception becomes a message in the view, never a traceback in Qt."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except USER_ERRORS as error:
            self.show_message(str(error), "error")
        except Exception as error:  # the panel must never raise into Qt
            log.exception("weights panel: %s", method.__name__)
            self.show_message(f"Something went wrong: {error}", "error")
        return None

    return wrapper


# -- looks -----------------------------------------------------------------------------------
def diverging_colormap() -> pg.ColorMap:
    """Blue (negative) – white (0) – red (positive)."""
    return pg.colormap.get("CET-D1A")


def monospace_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    return font


def style_plot(plot: pg.PlotItem, widget: QWidget) -> None:
    """Axes in the window's text colour, no context menu: plots that look like the app."""
    palette = widget.palette()
    foreground = palette.color(QPalette.ColorRole.Text)
    plot.setMenuEnabled(False)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(QColor(foreground).lighter(160)))
        axis.setTextPen(pg.mkPen(foreground))


def background_color(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Base)
