"""The scene mirrors the document: one item per node and per edge, kept in step by signals.

Like Orange's CanvasScene, it keeps `item_for_node`/`node_for_item` maps and never
writes the design itself: a finished node drag becomes one `document.move_nodes`, a
finished wire drag one `document.connect`. Edits the document refuses are reported
by `edit_refused` for the view to show.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from designer.spec.build import BuildResult
from designer.spec.design import DesignError
from designer.ui.document import Document
from designer.ui.graph import style
from designer.ui.graph.edge_item import EdgeItem, ShareLinkItem, WireDragItem
from designer.ui.graph.node_item import NodeItem
from designer.ui.graph.port_item import PortItem


class GraphScene(QGraphicsScene):
    """Items for the document's design; selection shared with `document.selection`."""

    # Feedback while a wire is dragged: the text and whether it explains a refusal.
    hint_changed = Signal(str, bool)
    # An edit the document refused (DesignError): its message.
    edit_refused = Signal(str)
    # Nodes were added, removed or moved: the view re-fits its scroll area.
    items_changed = Signal()
    # A layer was double-clicked: its id (the main window shows its properties).
    node_activated = Signal(str)

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._links: dict[str, ShareLinkItem] = {}  # by the id of the sharing node
        self._build: BuildResult | None = None
        self._syncing = False
        self.wire_item: WireDragItem | None = None
        self._wire_target: tuple[str, int | None] | None = None
        self._hover_port: PortItem | None = None
        document.design_reset.connect(self.rebuild)
        document.node_added.connect(self._on_node_added)
        document.node_removed.connect(self._on_node_removed)
        document.node_changed.connect(self._on_node_changed)
        document.node_moved.connect(self._on_node_moved)
        document.edge_added.connect(self._on_edge_added)
        document.edge_removed.connect(self._on_edge_removed)
        document.build_changed.connect(self._on_build_changed)
        document.selection.changed.connect(self._select_from_document)
        self.selectionChanged.connect(self._selection_to_document)
        self.rebuild()

    # -- maps -----------------------------------------------------------------------------
    def item_for_node(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def node_for_item(self, item: QGraphicsItem | None) -> str | None:
        """The node id of a node item (or of one of its ports), else None."""
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        return item.node_id if item is not None else None

    def item_for_edge(self, edge_id: str) -> EdgeItem | None:
        return self._edges.get(edge_id)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def share_link_for(self, node_id: str) -> ShareLinkItem | None:
        return self._links.get(node_id)

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edge_ids(self) -> list[str]:
        return [i.edge_id for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def nodes_rect(self) -> QRectF:
        """The scene area covered by the node cards (and their ports)."""
        rect = QRectF()
        for item in self._nodes.values():
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def free_offset(self, positions: list[tuple[float, float]]) -> tuple[float, float]:
        """How far right to shift cards at `positions` so that they land clear of every
        layer on the canvas (pasting and duplicating never stack cards on each other)."""
        half_w = style.NODE_MAX_WIDTH / 2
        half_h = (style.NODE_HEIGHT + style.CAPTION_HEIGHT) / 2
        cards = [QRectF(x - half_w, y - half_h, 2 * half_w, 2 * half_h) for x, y in positions]
        if not cards:
            return (0.0, 0.0)
        group = cards[0]
        for card in cards[1:]:
            group = group.united(card)
        taken = [
            i.mapRectToScene(i.body_rect()).adjusted(-8, -8, 8, 8) for i in self._nodes.values()
        ]
        step = group.width() + style.PASTE_GAP
        shift = step
        while any(c.translated(shift, 0).intersects(t) for c in cards for t in taken):
            shift += step
        return (shift, 0.0)

    # -- mirroring the document -----------------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and create them again from the document (after a reset)."""
        self.cancel_wire()
        self._syncing = True
        try:
            self.clear()
            self._nodes.clear()
            self._edges.clear()
            self._links.clear()
        finally:
            self._syncing = False
        design = self.document.design
        self._build = self.document.build_result
        for node_id in design.nodes:
            self._add_node_item(node_id)
        for edge_id in design.edges:
            self._add_edge_item(edge_id)
        for node_id in design.nodes:
            self._update_link(node_id)
        self._select_from_document(self.document.selection.ids)
        self.items_changed.emit()

    def _add_node_item(self, node_id: str) -> NodeItem:
        node = self.document.design.node(node_id)
        item = NodeItem(node_id)
        item.setPos(QPointF(*node.position))
        self.addItem(item)
        self._nodes[node_id] = item
        item.refresh(self.document.design, self._build)
        return item

    def _add_edge_item(self, edge_id: str) -> None:
        edge = self.document.design.edges[edge_id]
        source, target = self._nodes[edge.source], self._nodes[edge.target]
        item = EdgeItem(edge_id, source, target, edge.port)
        self.addItem(item)
        self._edges[edge_id] = item

    def _update_link(self, node_id: str) -> None:
        """Create or drop the share link drawn from `node_id` to the node it shares."""
        old = self._links.pop(node_id, None)
        if old is not None:
            old.detach()
            self.removeItem(old)
        node = self.document.design.nodes.get(node_id)
        if node is not None and node.shares in self._nodes and node_id in self._nodes:
            link = ShareLinkItem(self._nodes[node_id], self._nodes[node.shares])
            self.addItem(link)
            self._links[node_id] = link

    def _refresh(self, *node_ids: str) -> None:
        design = self.document.design
        for node_id in node_ids:
            item = self._nodes.get(node_id)
            if item is not None and node_id in design.nodes:
                item.refresh(design, self._build)

    def _on_node_added(self, node_id: str) -> None:
        self._add_node_item(node_id)
        self._update_link(node_id)
        self.items_changed.emit()

    def _on_node_removed(self, node_id: str) -> None:
        if self.wire_item is not None and self.wire_item.source.node_id == node_id:
            self.cancel_wire()
        for sharer in [n for n, link in self._links.items() if node_id in (n, link.shared.node_id)]:
            self._update_link(sharer)
        item = self._nodes.pop(node_id, None)
        if item is not None:
            self.removeItem(item)
        self.items_changed.emit()

    def _on_node_changed(self, node_id: str) -> None:
        sharers = [n.id for n in self.document.design.nodes.values() if n.shares == node_id]
        self._refresh(node_id, *sharers)

    def _on_node_moved(self, node_id: str) -> None:
        item = self._nodes.get(node_id)
        position = QPointF(*self.document.design.node(node_id).position)
        if item is not None and item.pos() != position:
            item.setPos(position)
        self.items_changed.emit()

    def _on_edge_added(self, edge_id: str) -> None:
        self._add_edge_item(edge_id)
        edge = self.document.design.edges[edge_id]
        self._refresh(edge.source, edge.target)

    def _on_edge_removed(self, edge_id: str) -> None:
        item = self._edges.pop(edge_id, None)
        if item is None:
            return
        item.detach()
        self.removeItem(item)
        self._refresh(item.source.node_id, item.target.node_id)

    def _on_build_changed(self) -> None:
        self._build = self.document.build_result
        self._refresh(*self._nodes)

    # -- selection ------------------------------------------------------------------------
    def _selection_to_document(self) -> None:
        if self._syncing:
            return
        selected = self.selected_node_ids()
        kept = [n for n in self.document.selection.ids if n in selected]
        self._syncing = True
        try:
            self.document.selection.set(kept + [n for n in selected if n not in kept])
        finally:
            self._syncing = False

    def _select_from_document(self, ids: list[str]) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            wanted = set(ids)
            for node_id, item in self._nodes.items():
                item.setSelected(node_id in wanted)
        finally:
            self._syncing = False

    def select_nodes(self, node_ids: list[str]) -> None:
        """Select exactly these nodes here and in the document (in this order)."""
        node_ids = [n for n in node_ids if n in self._nodes]
        self._syncing = True
        try:
            self.clearSelection()
            for node_id in node_ids:
                self._nodes[node_id].setSelected(True)
        finally:
            self._syncing = False
        self.document.selection.set(node_ids)

    # -- mouse: moving nodes and dragging wires ----------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            port = next((i for i in self.items(event.scenePos()) if isinstance(i, PortItem)), None)
            if port is not None and not port.is_input:
                self._start_wire(port.node_item())
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.wire_item is not None:
            self._update_wire(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.wire_item is not None and event.button() == Qt.MouseButton.LeftButton:
            self._update_wire(event.scenePos())
            self._finish_wire()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._commit_moves()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        node_id = self.node_for_item(self.itemAt(event.scenePos(), QTransform()))
        if node_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.node_activated.emit(node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def _commit_moves(self) -> None:
        """One document.move_nodes for every card the drag left in a new place."""
        design = self.document.design
        new, old = {}, {}
        for node_id, item in self._nodes.items():
            position = (item.pos().x(), item.pos().y())
            if node_id in design.nodes and design.nodes[node_id].position != position:
                new[node_id], old[node_id] = position, design.nodes[node_id].position
        if not new:
            return
        try:
            self.document.move_nodes(new, old)
        except DesignError as error:
            for node_id, position in old.items():
                self._nodes[node_id].setPos(QPointF(*position))
            self.edit_refused.emit(str(error))

    def _start_wire(self, source: NodeItem) -> None:
        self.cancel_wire()
        self.wire_item = WireDragItem(source)
        self.addItem(self.wire_item)
        self.hint_changed.emit("Drop the wire on an input port to connect (Esc cancels).", False)

    def _target_at(self, pos: QPointF) -> tuple[NodeItem, int | None] | None:
        for item in self.items(pos):
            if isinstance(item, PortItem):
                return item.node_item(), (item.index if item.is_input else None)
            if isinstance(item, NodeItem):
                return item, None
        return None

    def _update_wire(self, pos: QPointF) -> None:
        wire = self.wire_item
        target = self._target_at(pos)
        self._set_hover_port(None)
        self._wire_target = None
        if target is None or target[0] is wire.source:
            wire.set_state("pending")
            wire.set_end(pos)
            return
        node_item, port = target
        design = self.document.design
        source_id, target_id = wire.source.node_id, node_item.node_id
        ok, reason = design.can_connect(source_id, target_id, port)
        shown_port = port if port is not None else design.free_port(target_id)
        port_item = node_item.input_ports.get(shown_port) if shown_port is not None else None
        if ok:
            self._wire_target = (target_id, port)
            wire.set_state("valid")
            if port_item is not None:
                wire.set_end(port_item.anchor(), snapped=True)
            else:
                wire.set_end(pos)
            self._set_hover_port(port_item, "valid")
            self.hint_changed.emit(f"Release to connect into {node_item.title}.", False)
        else:
            wire.set_state("invalid", reason)
            wire.set_end(pos)
            self._set_hover_port(port_item if port is not None else None, "invalid")
            self.hint_changed.emit(reason, True)

    def _set_hover_port(self, port: PortItem | None, state: str | None = None) -> None:
        if self._hover_port is not None and self._hover_port.scene() is self:
            self._hover_port.set_highlight(None)
        self._hover_port = port
        if port is not None:
            port.set_highlight(state)

    def _finish_wire(self) -> None:
        source = self.wire_item.source.node_id
        target = self._wire_target
        self.cancel_wire()
        if target is None:
            return
        try:
            self.document.connect(source, target[0], target[1])
        except DesignError as error:
            self.edit_refused.emit(str(error))

    def cancel_wire(self) -> None:
        """Drop the wire being dragged, if any (Esc, release over nothing)."""
        self._set_hover_port(None)
        self._wire_target = None
        if self.wire_item is not None:
            self.removeItem(self.wire_item)
            self.wire_item = None
            self.hint_changed.emit("", False)

    # -- background -------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, style.BACKGROUND)
        scale = painter.worldTransform().m11()
        step = style.GRID_STEP
        while step * scale < 12:
            step *= 2
        pen = QPen(style.GRID_DOT, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        columns = range(int((rect.right() - left) // step) + 1)
        rows = range(int((rect.bottom() - top) // step) + 1)
        painter.drawPoints(
            [QPointF(left + i * step, top + j * step) for j in rows for i in columns]
        )
