"""A node's connection point: inputs on the top edge, the output on the bottom edge."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from designer.ui.graph import style

INPUT = "input"
OUTPUT = "output"


class PortItem(QGraphicsItem):
    """One input port (`index` = the edge's port number) or the output port of a node.

    The hit area is larger than the dot so a wire is easy to start and to drop.
    """

    def __init__(self, kind: str, index: int, accent: QColor, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.kind = kind
        self.index = index
        self.accent = QColor(accent)
        self.connected = False
        self.highlight: str | None = None  # None, "valid" or "invalid" while a wire hovers
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        if kind == OUTPUT:
            self.setCursor(Qt.CursorShape.CrossCursor)
        self._hovered = False

    @property
    def is_input(self) -> bool:
        return self.kind == INPUT

    def node_item(self) -> QGraphicsItem:
        return self.parentItem()

    def anchor(self) -> QPointF:
        """Where wires end or start, in scene coordinates."""
        return self.scenePos()

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.update()

    def set_highlight(self, state: str | None) -> None:
        if state != self.highlight:
            self.highlight = state
            self.update()

    # -- QGraphicsItem --------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        r = style.PORT_HIT_RADIUS
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(self.boundingRect())
        return path

    def hoverEnterEvent(self, event) -> None:
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = style.PORT_RADIUS
        outline, fill = self.accent, QColor("white")
        if self.connected:
            fill = self.accent
        if self.highlight == "valid":
            outline, fill, radius = style.VALID, style.VALID, radius + 2
        elif self.highlight == "invalid":
            outline, fill, radius = style.ERROR, style.ERROR, radius + 2
        elif self._hovered and not self.is_input:
            radius += 1.5
        painter.setPen(QPen(outline, 1.5))
        painter.setBrush(QBrush(fill))
        painter.drawEllipse(QPointF(0, 0), radius, radius)
