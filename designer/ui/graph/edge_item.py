"""Wires between nodes, the faint share links, and the rubber-band wire of a drag."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from designer.ui.graph import style
from designer.ui.graph.node_item import NodeItem


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A smooth S-curve leaving `start` downwards and entering `end` from above."""
    bend = max(30.0, abs(end.y() - start.y()) / 2, abs(end.x() - start.x()) / 4)
    path = QPainterPath(start)
    path.cubicTo(start + QPointF(0, bend), end - QPointF(0, bend), end)
    return path


class EdgeItem(QGraphicsPathItem):
    """The wire of one design edge, from the source's output to an input of the target."""

    def __init__(self, edge_id: str, source: NodeItem, target: NodeItem, port: int) -> None:
        super().__init__()
        self.edge_id = edge_id
        self.source, self.target, self.port = source, target, port
        self._hovered = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self.setToolTip("Wire: click to select, Delete to remove")
        source.attached.append(self)
        target.attached.append(self)
        self.adjust()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.attached:
                node.attached.remove(self)

    def adjust(self) -> None:
        path = wire_path(self.source.output_anchor(), self.target.input_anchor(self.port))
        if path != self.path():
            self.setPath(path)

    def color(self) -> QColor:
        if self.isSelected():
            return QColor(style.SELECTION)
        return QColor(style.WIRE_HOVER if self._hovered else style.WIRE)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def boundingRect(self) -> QRectF:
        return self.path().boundingRect().adjusted(-6, -6, 6, 6)

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
        width = 2.6 if self.isSelected() else (2.2 if self._hovered else 1.6)
        pen = QPen(self.color(), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())


class ShareLinkItem(QGraphicsItem):
    """A faint dashed line from a layer's second use to the layer whose weights it shares."""

    def __init__(self, sharer: NodeItem, shared: NodeItem) -> None:
        super().__init__()
        self.sharer, self.shared = sharer, shared
        self._line = QLineF()
        self.setZValue(-2)
        self.setToolTip("Shared weights")
        sharer.attached.append(self)
        shared.attached.append(self)
        self.adjust()

    def detach(self) -> None:
        for node in (self.sharer, self.shared):
            if self in node.attached:
                node.attached.remove(self)

    def line(self) -> QLineF:
        return QLineF(self._line)

    def adjust(self) -> None:
        """Join the nearest edges of the two cards (centre to centre, clipped to each card)."""
        a, b = self.sharer.scenePos(), self.shared.scenePos()
        line = QLineF(_clip_to_card(self.sharer, b), _clip_to_card(self.shared, a))
        if line != self._line:
            self.prepareGeometryChange()
            self._line = line

    def boundingRect(self) -> QRectF:
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-4, -4, 4, 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(style.SHARE_LINK, 1.4, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(self._line)
        painter.setBrush(style.SHARE_LINK)
        painter.setPen(Qt.PenStyle.NoPen)
        for point in (self._line.p1(), self._line.p2()):
            painter.drawEllipse(point, 2.5, 2.5)


def _clip_to_card(node: NodeItem, towards: QPointF) -> QPointF:
    """Where the line from the card's centre to `towards` leaves the card."""
    centre = node.scenePos()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    half_w, half_h = node.width / 2 + 3, node.height / 2 + 3
    scale = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


class WireDragItem(QGraphicsPathItem):
    """The rubber-band wire while a connection is dragged out of an output port.

    `state` is "pending" (over nothing), "valid" (release connects) or "invalid"
    (release does nothing; `reason` says why): tests and the view read it.
    """

    def __init__(self, source: NodeItem) -> None:
        super().__init__()
        self.source = source
        self.state = "pending"
        self.reason = ""
        self.setZValue(10)
        self.set_end(source.output_anchor())

    @property
    def invalid(self) -> bool:
        return self.state == "invalid"

    def color(self) -> QColor:
        return QColor(
            {"valid": style.VALID, "invalid": style.ERROR}.get(self.state, style.WIRE_PENDING)
        )

    def set_end(self, end: QPointF, snapped: bool = False) -> None:
        """Follow the cursor; once `snapped` to a port, enter it from above like a wire."""
        start = self.source.output_anchor()
        if snapped:
            self.setPath(wire_path(start, end))
            return
        line = QLineF(start, end)
        path = QPainterPath(start)
        path.cubicTo(start + QPointF(0, min(80.0, max(20.0, line.length() / 3))), end, end)
        self.setPath(path)

    def set_state(self, state: str, reason: str = "") -> None:
        if (state, reason) != (self.state, self.reason):
            self.state, self.reason = state, reason
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.color(), 2.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if self.state == "pending":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
