"""A layer on the canvas: a rounded card with its settings, output shape and ports.

The item only draws what the scene tells it (`refresh` from the design and the latest
build); it never changes the design. Its position is the node's position (the card's
centre); wires and share links attached to it follow it while it is dragged.
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from designer.spec.build import BuildResult
from designer.spec.catalog import catalog
from designer.spec.design import Design
from designer.ui.graph import style
from designer.ui.graph.port_item import INPUT, OUTPUT, PortItem

PADDING = 12.0


class Attached(Protocol):
    def adjust(self) -> None: ...


def input_port_indices(design: Design, node_id: str) -> list[int]:
    """The input ports a node shows: all of a fixed-arity layer's, or for a merge that
    takes any number, one per connected input plus one free port (at least min_inputs)."""
    layer_type = design.layer_type(node_id)
    if layer_type.max_inputs == 0:
        return []
    if layer_type.max_inputs is not None:
        return list(range(layer_type.max_inputs))
    ports = {e.port for e in design.inputs_of(node_id)}
    free = design.free_port(node_id)
    if free is not None:
        ports.add(free)
    index = 0
    while len(ports) < max(1, layer_type.min_inputs):
        ports.add(index)
        index += 1
    return sorted(ports)


def display_name(design: Design, node_id: str) -> str:
    """How a user recognises a layer in captions: its name, or its type and settings."""
    node = design.node(node_id)
    if node.name:
        return node.name
    settings = catalog()[node.type].key_settings(node.params)
    return f"{node.type} {settings}".strip()


def shape_text(shape: tuple | None) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


class NodeItem(QGraphicsItem):
    """One layer: title ("Dense 20 · tanh"), detail ("(None, 20) · 120 params"), ports."""

    def __init__(self, node_id: str) -> None:
        super().__init__()
        self.node_id = node_id
        self.title = ""
        self.detail = ""
        self.caption = ""  # "shares weights with ..." for a shared layer's second use
        self.issues: list = []
        self.category = "Other"
        self.fill, self.accent = style.category_colours(self.category)
        self.width = style.NODE_MIN_WIDTH
        self.height = style.NODE_HEIGHT
        self.input_ports: dict[int, PortItem] = {}
        self.output_port = PortItem(OUTPUT, 0, self.accent, self)
        self.attached: list[Attached] = []
        self._hovered = False
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    # -- state read by tests and the scene ------------------------------------------------
    @property
    def has_error(self) -> bool:
        return bool(self.issues)

    @property
    def is_shared(self) -> bool:
        return bool(self.caption)

    def border_color(self) -> QColor:
        return QColor(style.ERROR) if self.has_error else QColor(self.accent)

    def body_rect(self) -> QRectF:
        return QRectF(-self.width / 2, -self.height / 2, self.width, self.height)

    def input_anchor(self, port: int) -> QPointF:
        item = self.input_ports.get(port)
        if item is not None:
            return item.anchor()
        return self.mapToScene(QPointF(0, -self.height / 2))

    def output_anchor(self) -> QPointF:
        return self.output_port.anchor()

    # -- refresh from the document -------------------------------------------------------
    def refresh(self, design: Design, build: BuildResult | None) -> None:
        """Re-read texts, colours, ports and issues of this node."""
        node = design.node(self.node_id)
        layer_type = catalog()[node.type]
        self.category = layer_type.category
        self.fill, self.accent = style.category_colours(self.category)
        self.title = f"{node.type} {layer_type.key_settings(node.params)}".strip()
        self.issues = build.issues_for(self.node_id) if build is not None else []
        info = build.nodes.get(self.node_id) if build is not None else None
        if self.issues:
            self.detail = "⚠ " + self.issues[0].message
        elif info is not None and info.output_shape is not None:
            self.detail = shape_text(info.output_shape)
            if info.params and node.shares is None:  # a second use adds no weights
                self.detail += f" · {info.params:,} params"
        else:
            self.detail = "…" if info is None else "output shape unknown"
        if node.name:
            self.detail = f"{node.name} · {self.detail}"
        self.caption = ""
        if node.shares is not None and node.shares in design.nodes:
            self.caption = f"shares weights with {display_name(design, node.shares)}"
        self._resize()
        self._set_ports(input_port_indices(design, self.node_id), design)
        self.setToolTip(self._tooltip(layer_type.summary))
        self.update()

    def _resize(self) -> None:
        texts = [
            (style.title_font(), self.title),
            (style.detail_font(), self.detail),
            (style.caption_font(), self.caption),
        ]
        widest = max(QFontMetricsF(font).horizontalAdvance(text) for font, text in texts)
        width = min(
            style.NODE_MAX_WIDTH,
            max(style.NODE_MIN_WIDTH, widest + 2 * PADDING + style.STRIPE_WIDTH),
        )
        height = style.NODE_HEIGHT + (style.CAPTION_HEIGHT if self.caption else 0.0)
        if (width, height) != (self.width, self.height):
            self.prepareGeometryChange()
            self.width, self.height = width, height

    def _set_ports(self, indices: list[int], design: Design) -> None:
        connected = {e.port for e in design.inputs_of(self.node_id)}
        for index in list(self.input_ports):
            if index not in indices:
                item = self.input_ports.pop(index)
                item.setParentItem(None)
                if item.scene() is not None:
                    item.scene().removeItem(item)
        count = len(indices)
        spacing = min(style.PORT_SPACING, (self.width - 40) / max(1, count - 1))
        for position, index in enumerate(indices):
            item = self.input_ports.get(index)
            if item is None:
                item = self.input_ports[index] = PortItem(INPUT, index, self.accent, self)
            item.accent = QColor(self.accent)
            item.setPos((position - (count - 1) / 2) * spacing, -self.height / 2)
            item.set_connected(index in connected)
            item.setToolTip(f"Input {index + 1}" if count > 1 else "Input")
        self.output_port.accent = QColor(self.accent)
        self.output_port.setPos(0, self.height / 2)
        self.output_port.set_connected(bool(design.outputs_of(self.node_id)))
        self.output_port.setToolTip("Output: drag to an input to connect")
        for item in self.attached:
            item.adjust()

    def _tooltip(self, summary: str) -> str:
        lines = [f"<b>{html.escape(self.title, quote=False)}</b>", html.escape(summary, False)]
        if not self.has_error and self.detail:
            lines.append(f"Output: {html.escape(self.detail, False)}")
        if self.caption:
            lines.append(html.escape(self.caption.capitalize(), False))
        for issue in self.issues:
            text = f"<b>{html.escape(issue.message, False)}</b>"
            if issue.hint:
                text += f"<br>{html.escape(issue.hint, False)}"
            lines.append(f"<span style='color:{style.ERROR_TEXT.name()}'>{text}</span>")
        return "<p style='white-space:pre-wrap'>" + "<br>".join(lines) + "</p>"

    # -- QGraphicsItem --------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        margin = 12.0
        return self.body_rect().adjusted(-margin, -margin, margin, margin)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body_rect(), style.NODE_RADIUS, style.NODE_RADIUS)
        return path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for item in self.attached:
                item.adjust()
        elif change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(1 if value else 0)
        return super().itemChange(change, value)

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
        rect, radius = self.body_rect(), style.NODE_RADIUS
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.SHADOW)
        painter.drawRoundedRect(rect.translated(0, 2), radius, radius)
        if self.isSelected():
            painter.setPen(QPen(style.SELECTION, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            halo = rect.adjusted(-4, -4, 4, 4)
            painter.drawRoundedRect(halo, radius + 3, radius + 3)
        body = QPainterPath()
        body.addRoundedRect(rect, radius, radius)
        painter.fillPath(body, QBrush(self.fill))
        painter.save()
        painter.setClipPath(body)
        stripe = QRectF(rect.left(), rect.top(), style.STRIPE_WIDTH, rect.height())
        painter.fillRect(stripe, self.accent)
        painter.restore()
        pen = QPen(self.border_color(), 2.0 if self.has_error or self._hovered else 1.2)
        if self.is_shared:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, radius, radius)
        self._paint_texts(painter, rect)
        if self.has_error:
            self._paint_badge(painter, QPointF(rect.right() - 3, rect.top() + 3))

    def _paint_texts(self, painter: QPainter, rect: QRectF) -> None:
        left = rect.left() + style.STRIPE_WIDTH + PADDING - 2
        width = rect.width() - style.STRIPE_WIDTH - 2 * PADDING + 2
        rows = [
            (style.title_font(), style.TEXT, self.title, 8.0, 18.0),
            (
                style.detail_font(),
                style.ERROR_TEXT if self.has_error else style.MUTED_TEXT,
                self.detail,
                27.0,
                16.0,
            ),
        ]
        if self.caption:
            rows.append((style.caption_font(), style.MUTED_TEXT, self.caption, 45.0, 14.0))
        for font, colour, text, top, height in rows:
            metrics = QFontMetricsF(font)
            elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(
                QRectF(left, rect.top() + top, width, height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                elided,
            )

    def _paint_badge(self, painter: QPainter, centre: QPointF) -> None:
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(style.ERROR)
        painter.drawEllipse(centre, 8.0, 8.0)
        font = style.title_font()
        font.setPointSizeF(8.5)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(
            QRectF(centre.x() - 8, centre.y() - 8, 16, 16), Qt.AlignmentFlag.AlignCenter, "!"
        )
