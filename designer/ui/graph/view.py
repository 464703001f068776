"""The graph view: the Functional API canvas where layers are dropped, wired and arranged.

It shows a `GraphScene` and turns a person's gestures into document intents: drops
from the palette (`add_layer`), Delete, copy/paste/duplicate, auto-layout. Zoom and
pan are view state only. Refused edits appear in a small bubble over the canvas and
through `message_shown` (for the status bar), never as a traceback.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
)
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget

from designer.spec.catalog import catalog
from designer.spec.design import DesignError
from designer.spec.params import ParamError
from designer.spec.serialize import ProjectFormatError
from designer.ui.document import Document
from designer.ui.graph.clipboard import layers_from_mime, layers_mime, put_on_clipboard
from designer.ui.graph.feedback import FeedbackLabel
from designer.ui.graph.navigation import NavigableView
from designer.ui.graph.scene import GraphScene
from designer.ui.mime import layer_type_from

REFUSAL_TIMEOUT_MS = 4000


class GraphView(NavigableView):
    """The canvas of a document's design, with its actions for menus and toolbars."""

    message_shown = Signal(str)  # a refusal or hint worth repeating in the status bar
    node_activated = Signal(str)  # a layer was double-clicked: its id

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("graphView")
        self.setAccessibleName("Graph view")
        self.setAccessibleDescription(
            "Layers as nodes: drop layers here, drag from an output to an input to connect."
        )
        self.graph_scene = GraphScene(document, self)
        self.setScene(self.graph_scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        # Only what lies wholly inside the band: a wire it merely crosses stays unselected.
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.ContainsItemShape)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.feedback = FeedbackLabel(self)
        self._create_actions()

        self.graph_scene.hint_changed.connect(self._show_hint)
        self.graph_scene.edit_refused.connect(self.show_refusal)
        self.graph_scene.items_changed.connect(self._update_scene_rect)
        self.graph_scene.selectionChanged.connect(self._update_actions)
        self.graph_scene.node_activated.connect(self.node_activated)
        document.design_reset.connect(self._after_reset)
        document.locked_changed.connect(self._update_actions)
        document.selection.changed.connect(self._reveal_selection)
        self._update_actions()

    # -- actions --------------------------------------------------------------------------
    def _action(
        self, text: str, name: str, slot, tip: str, shortcut=None, icon: str = ""
    ) -> QAction:
        action = QAction(QIcon.fromTheme(icon) if icon else QIcon(), text, self)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            # Only while the canvas has focus: other views have their own Delete/Copy.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.fit_action = self._action(
            "Fit to View",
            "fitAction",
            self.fit_to_view,
            "Show the whole design",
            icon="zoom-fit-best",
        )
        self.layout_action = self._action(
            "Auto-Layout", "autoLayoutAction", self.auto_layout,
            "Arrange the layers top to bottom by depth",
        )  # fmt: skip
        self.zoom_in_action = self._action(
            "Zoom In", "zoomInAction", self.zoom_in, "Zoom in", QKeySequence(keys.ZoomIn), "zoom-in"
        )
        self.zoom_out_action = self._action(
            "Zoom Out", "zoomOutAction", self.zoom_out, "Zoom out",
            QKeySequence(keys.ZoomOut), "zoom-out",
        )  # fmt: skip
        self.delete_action = self._action(
            "Delete", "deleteAction", self.delete_selected,
            "Delete the selected layers and wires", QKeySequence(keys.Delete), "edit-delete",
        )  # fmt: skip
        self.copy_action = self._action(
            "Copy", "copyAction", self.copy_selected, "Copy the selected layers",
            QKeySequence(keys.Copy), "edit-copy",
        )  # fmt: skip
        self.paste_action = self._action(
            "Paste", "pasteAction", self.paste, "Paste copied layers",
            QKeySequence(keys.Paste), "edit-paste",
        )  # fmt: skip
        self.duplicate_action = self._action(
            "Duplicate", "duplicateAction", self.duplicate_selected,
            "Duplicate the selected layers", QKeySequence("Ctrl+D"),
        )  # fmt: skip

    def _update_actions(self, *_args) -> None:
        editable = not self.document.locked_reason
        nodes = bool(self.graph_scene.selected_node_ids())
        anything = nodes or bool(self.graph_scene.selected_edge_ids())
        self.delete_action.setEnabled(editable and anything)
        self.copy_action.setEnabled(nodes)
        self.duplicate_action.setEnabled(editable and nodes)
        self.paste_action.setEnabled(editable)
        self.layout_action.setEnabled(editable)

    # -- messages -------------------------------------------------------------------------
    def show_refusal(self, message: str) -> None:
        """Tell the user why an edit did not happen (bubble, status tip, tooltip)."""
        self.feedback.show_message(message, error=True, timeout_ms=REFUSAL_TIMEOUT_MS)
        self.setStatusTip(message)
        self.message_shown.emit(message)

    def _show_hint(self, text: str, error: bool) -> None:
        self.feedback.show_message(text, error=error)
        self.setStatusTip(text)
        if text:
            self.message_shown.emit(text)

    def _attempt(self, edit, *args):
        """Run a document intent; a refusal becomes a message instead of an exception."""
        try:
            return edit(*args)
        except (DesignError, ParamError, ProjectFormatError, KeyError) as error:
            self.show_refusal(error.args[0] if error.args else str(error))
            return None

    # -- editing --------------------------------------------------------------------------
    def delete_selected(self) -> None:
        """Delete the selected layers (with their wires) and the selected wires."""
        nodes = self.graph_scene.selected_node_ids()
        design = self.document.design
        edges = [
            e
            for e in self.graph_scene.selected_edge_ids()
            if design.edges[e].source not in nodes and design.edges[e].target not in nodes
        ]
        for node_id in nodes:
            sharers = [n.id for n in design.nodes.values() if n.shares == node_id]
            if any(s not in nodes for s in sharers):
                self.show_refusal(
                    "This layer's weights are shared by another layer: delete that one first."
                )
                return
        if not nodes and not edges:
            return
        if self.document.locked_reason:
            self.show_refusal(self.document.locked_reason)
            return
        if nodes and edges:
            self.document.undo_stack.beginMacro("Delete")
            try:
                self._attempt(self.document.disconnect, edges)
                self._attempt(self.document.remove_layers, nodes)
            finally:
                self.document.undo_stack.endMacro()
        elif edges:
            self._attempt(self.document.disconnect, edges)
        else:
            self._attempt(self.document.remove_layers, nodes)

    def copy_selected(self) -> None:
        nodes = self.graph_scene.selected_node_ids()
        if nodes:
            put_on_clipboard(layers_mime(self.document.design, nodes))

    def paste(self) -> None:
        """Paste copied layers beside the originals, in the first place free of layers."""
        try:
            parsed = layers_from_mime(QGuiApplication.clipboard().mimeData())
        except ProjectFormatError as error:
            self.show_refusal(str(error))
            return
        if parsed is None:
            self.show_refusal("The clipboard holds no layers to paste.")
            return
        self._paste(*parsed)

    def _paste(self, nodes, edges) -> list[str]:
        offset = self.graph_scene.free_offset([n.position for n in nodes])
        new_ids = self._attempt(self.document.paste, nodes, edges, offset) or []
        self.graph_scene.select_nodes(new_ids)
        return new_ids

    def duplicate_selected(self) -> None:
        """In a stack, the document puts the copy right after the layer; in a graph,
        copies of the selected layers (and wires among them) go beside them."""
        nodes = self.graph_scene.selected_node_ids()
        if not nodes:
            return
        design = self.document.design
        if len(nodes) == 1 and design.chain_order() and design.node(nodes[0]).type != "Input":
            new = self._attempt(self.document.duplicate_layer, nodes[0])
            self.graph_scene.select_nodes([new] if new else [])
        else:
            self._paste(*layers_from_mime(layers_mime(design, nodes)))

    def auto_layout(self) -> None:
        self._attempt(self.document.auto_layout)
        self.fit_to_view()

    def content_rect(self) -> QRectF:
        return self.graph_scene.nodes_rect()

    def _after_reset(self) -> None:
        if self.isVisible():
            self.fit_to_view()
        else:
            self._fit_pending = True

    def _reveal_selection(self, ids: list[str]) -> None:
        """Scroll to a layer selected in another view."""
        item = self.graph_scene.item_for_node(ids[-1]) if ids else None
        if item is not None and not self.hasFocus():
            self.ensureVisible(item, 40, 40)

    # -- Qt events ------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.feedback.place()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.graph_scene.wire_item is not None:
            self.graph_scene.cancel_wire()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()  # when the shortcut did not fire (e.g. no active window)
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        node_id = self.graph_scene.node_for_item(item)
        if node_id is not None and not item.isSelected():
            self.graph_scene.select_nodes([node_id])
        menu = QMenu(self)
        menu.setObjectName("graphContextMenu")
        menu.addActions([self.copy_action, self.paste_action, self.duplicate_action])
        menu.addAction(self.delete_action)
        menu.addSeparator()
        menu.addActions([self.fit_action, self.layout_action])
        menu.exec(event.globalPos())

    # -- drops from the palette -------------------------------------------------------------
    def _dropped_type(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> str | None:
        layer_type = layer_type_from(event.mimeData())
        return layer_type if layer_type is not None and layer_type in catalog() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_type(event) is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dragLeaveEvent(self, event) -> None:
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        layer_type = self._dropped_type(event)
        if layer_type is None:
            event.ignore()
            return
        point = self.mapToScene(event.position().toPoint())
        node_id = self._attempt(self.document.add_layer, layer_type, None, (point.x(), point.y()))
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if node_id is not None:
            self.graph_scene.select_nodes([node_id])
            self.setFocus()
