"""The one observable document: the design, compile settings, undo stack and build.

Views never change the design themselves: they call the intent methods here (each
pushes an undoable command) and redraw on the fine-grained signals. The underscore
methods are the mutators the commands call; they emit the signals. The engine model
is rebuilt lazily after changes (`build_result`), once per batch of edits.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QUndoStack

from designer.spec.build import BuildResult, build_design
from designer.spec.catalog import catalog
from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design, DesignError, Edge, Node
from designer.spec.layout import auto_layout
from designer.ui import commands


class Selection(QObject):
    """Which nodes are selected: view state shared by all views, never saved or undone."""

    changed = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    @property
    def current(self) -> str | None:
        return self._ids[-1] if self._ids else None

    def set(self, ids: list[str]) -> None:
        ids = list(dict.fromkeys(ids))
        if ids != self._ids:
            self._ids = ids
            self.changed.emit(self.ids)

    def discard(self, node_id: str) -> None:
        if node_id in self._ids:
            self.set([i for i in self._ids if i != node_id])


class UndoActions(QObject):
    """The Edit menu's Undo and Redo: the step's name, and off while a run owns the design."""

    def __init__(self, document: Document, parent: QObject) -> None:
        super().__init__(parent)
        self.document = document
        self.undo, self.redo = QAction("&Undo", parent), QAction("&Redo", parent)
        self.undo.triggered.connect(document.undo)
        self.redo.triggered.connect(document.redo)
        document.undo_stack.indexChanged.connect(self.refresh)
        document.undo_stack.cleanChanged.connect(self.refresh)
        document.locked_changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self, *_args) -> None:
        stack = self.document.undo_stack
        if not shiboken6.isValid(stack):  # the window is being torn down
            return
        reason = self.document.locked_reason
        for action, verb, able, text in (
            (self.undo, "Undo", stack.canUndo(), stack.undoText()),
            (self.redo, "Redo", stack.canRedo(), stack.redoText()),
        ):
            action.setEnabled(able and not reason)
            action.setText(f"&{verb} {text}".rstrip())
            action.setToolTip(reason or f"{verb} {text}".rstrip())
            action.setStatusTip(reason)


class Document(QObject):
    node_added = Signal(str)
    node_removed = Signal(str)
    node_changed = Signal(str)
    node_moved = Signal(str)
    edge_added = Signal(str)
    edge_removed = Signal(str)
    compile_changed = Signal()
    design_reset = Signal()
    build_changed = Signal()
    # The model's weights changed (training, inspector edits, reset); not the design.
    weights_changed = Signal()
    # The training data changed (the data panel loaded, generated or prepared a set).
    data_changed = Signal()
    # True when a training run owns the document: edits are refused meanwhile.
    locked_changed = Signal(bool)
    # A side effect of an edit the user should know about ("Re-drew the kernel of …").
    message_posted = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.design = Design()
        self.compile_settings = CompileSettings()
        self.undo_stack = QUndoStack(self)
        self.selection = Selection(self)
        self._build: BuildResult | None = None
        # Current weights per node id: kept across rebuilds, so editing one layer does not
        # re-initialise the others; replaced by training, the inspector and Reset.
        self.weights: dict[str, list] = {}
        # Prepared training data: any object with x_train, y_train, x_val, y_val (None
        # when absent), e.g. designer.data.prepare.PreparedData; None until loaded.
        self.data = None
        self._locked_reason = ""
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._announce_build)

    # -- the build ---------------------------------------------------------------------
    @property
    def build_result(self) -> BuildResult:
        """The engine model of the current design and its issues (rebuilt when stale)."""
        if self._build is None:
            self._build = build_design(self.design)
            self._sync_weights(self._build)
        return self._build

    def _sync_weights(self, result: BuildResult) -> None:
        """Give the fresh layers the kept weights where shapes still match; keep new ones."""
        seen = set()
        for node_id, info in result.nodes.items():
            layer = info.layer
            if layer is None or id(layer) in seen:
                continue
            seen.add(id(layer))
            kept = self.weights.get(node_id)
            current = layer.get_weights()
            if kept is not None and [w.shape for w in kept] == [w.shape for w in current]:
                layer.set_weights(kept)
            else:
                self.weights[node_id] = current
        for node_id in list(self.weights):
            if node_id not in self.design.nodes:
                del self.weights[node_id]

    def weights_snapshot(self) -> dict[str, list]:
        """Every layer's current weights (synced with the design), for exact undo.

        The arrays are shared, not copied: the document never changes an array in place,
        it only replaces them.
        """
        self.build_result  # noqa: B018 (a pending rebuild gives new layers their weights)
        return {node_id: list(arrays) for node_id, arrays in self.weights.items()}

    def restore_weights(self, snapshot: dict[str, list]) -> None:
        """Put back a `weights_snapshot` (undo/redo of structural edits)."""
        self.weights = {node_id: list(arrays) for node_id, arrays in snapshot.items()}
        if self._build is not None:
            self._build = None
            self._build_timer.start()
        self.weights_changed.emit()

    def set_weights(self, weights: dict[str, list]) -> None:
        """Replace weights of some nodes (training results); not an undoable edit."""
        result = self.build_result
        for node_id, arrays in weights.items():
            info = result.nodes.get(node_id)
            if info is None or info.layer is None:
                continue
            info.layer.set_weights(arrays)
            self.weights[node_id] = [a.copy() for a in arrays]
        self.weights_changed.emit()

    def _design_changed(self) -> None:
        self._build = None
        self._build_timer.start()

    def _announce_build(self) -> None:
        self.build_result  # noqa: B018 (build now, so every view reads the same result)
        self.build_changed.emit()

    # -- locking while training ------------------------------------------------------------
    @property
    def locked_reason(self) -> str:
        return self._locked_reason

    def set_locked(self, reason: str) -> None:
        """Lock (a reason) or unlock ("") every edit, undo and redo included."""
        self._locked_reason = reason
        self.locked_changed.emit(bool(reason))

    def undo(self) -> None:
        """Undo the last edit (refused while a run owns the document)."""
        self._check_unlocked()
        self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit (refused while a run owns the document)."""
        self._check_unlocked()
        self.undo_stack.redo()

    def create_undo_actions(self, parent: QObject) -> tuple[QAction, QAction]:
        """Undo and redo menu actions that name the step and are off while locked.

        The stack's own actions would stay enabled during a run; these follow both the
        stack and the lock, and say why they are off.
        """
        actions = UndoActions(self, parent)
        return actions.undo, actions.redo

    def _check_unlocked(self) -> None:
        if self._locked_reason:
            raise DesignError(self._locked_reason)

    def _push(self, command) -> None:
        self._check_unlocked()
        self.undo_stack.push(command)

    # -- mutators (called by commands; they emit the signals) -----------------------------
    def _insert_node(self, node: Node, edges: list[Edge]) -> None:
        self.design.insert_node(node, edges)
        self.node_added.emit(node.id)
        for edge in edges:
            self.edge_added.emit(edge.id)
        self._design_changed()

    def _remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        node, edges = self.design.remove_node(node_id)
        for edge in edges:
            self.edge_removed.emit(edge.id)
        self.selection.discard(node_id)
        self.node_removed.emit(node_id)
        self._design_changed()
        return node, edges

    def _set_param(self, node_id: str, name: str, value: Any) -> None:
        self.design.set_param(node_id, name, value)
        self.node_changed.emit(node_id)
        self._design_changed()

    def _set_name(self, node_id: str, name: str) -> None:
        self.design.node(node_id).name = name
        self.node_changed.emit(node_id)
        self._design_changed()

    def _set_trainable(self, node_id: str, trainable: bool) -> None:
        self.design.node(node_id).trainable = trainable
        self.node_changed.emit(node_id)
        self._design_changed()

    def _set_position(self, node_id: str, position: tuple[float, float]) -> None:
        self.design.move_node(node_id, position)
        self.node_moved.emit(node_id)

    def _add_edge(self, edge: Edge) -> None:
        self.design.connect(edge.source, edge.target, edge.port, edge_id=edge.id)
        self.edge_added.emit(edge.id)
        self._design_changed()

    def _remove_edge(self, edge_id: str) -> None:
        self.design.disconnect(edge_id)
        self.edge_removed.emit(edge_id)
        self._design_changed()

    def _set_compile(self, settings: CompileSettings) -> None:
        self.compile_settings = CompileSettings.from_dict(settings.to_dict())
        self.compile_changed.emit()

    # -- intents (each one undoable edit) ------------------------------------------------
    def reset(self, design: Design, settings: CompileSettings) -> None:
        """Replace everything (new, open, template): starts a fresh undo history."""
        self._check_unlocked()
        self.undo_stack.clear()
        self.selection.set([])
        self.design = design
        self.compile_settings = settings
        self.weights = {}
        self._build = None
        self.design_reset.emit()
        self.compile_changed.emit()
        self._design_changed()

    def add_layer(
        self,
        layer_type: str,
        params: dict[str, Any] | None = None,
        position: tuple[float, float] | None = None,
        shares: str | None = None,
    ) -> str:
        """A new unconnected layer (graph view); returns its id."""
        node = self._new_node(layer_type, params, position, shares)
        self._push(commands.AddNodeCommand(self, node, f"Add {layer_type}"))
        return node.id

    def _new_node(self, layer_type, params, position, shares=None) -> Node:
        if position is None:
            position = self._free_position()
        return self.design.new_node(layer_type, params, position, shares=shares)

    def _free_position(self) -> tuple[float, float]:
        if not self.design.nodes:
            return (0.0, 0.0)
        lowest = max(n.position[1] for n in self.design.nodes.values())
        return (0.0, lowest + 110.0)

    def insert_in_stack(
        self, layer_type: str, index: int | None = None, params: dict[str, Any] | None = None
    ) -> str:
        """Insert a layer into the chain at `index` (None: at the end), rewiring neighbours.

        Dropping a layer into an empty stack adds an Input first, so the stack can build.
        """
        order = self.stack_order()
        if order is None:
            raise DesignError("The design branches, so it cannot be edited as a stack.")
        if layer_type == "Input" and order:
            raise DesignError("A stack has one Input, at the top.")
        self._check_unlocked()
        self.undo_stack.beginMacro(f"Add {layer_type}")
        try:
            if not order and layer_type != "Input":
                first = self._new_node("Input", None, (0.0, 0.0))
                self.undo_stack.push(commands.AddNodeCommand(self, first, "Add Input"))
                order = [first.id]
            index = len(order) if index is None else max(0, min(index, len(order)))
            if layer_type == "Input" and order:
                raise DesignError("A stack has one Input, at the top.")
            if index == 0 and order:
                index = 1  # nothing goes above the Input
            node = self._new_node(layer_type, params, None)
            self.undo_stack.push(commands.AddNodeCommand(self, node, f"Add {layer_type}"))
            before = order[index - 1] if index > 0 else None
            after = order[index] if index < len(order) else None
            self._rewire_around(before, after, node.id)
            self._restack()
        finally:
            self.undo_stack.endMacro()
        return node.id

    def _rewire_around(self, before: str | None, after: str | None, middle: str) -> None:
        if before is not None and after is not None:
            for edge in self.design.outputs_of(before):
                if edge.target == after:
                    self.undo_stack.push(commands.DisconnectCommand(self, edge.id))
        if before is not None:
            self.undo_stack.push(commands.ConnectCommand(self, self._edge(before, middle)))
        if after is not None:
            self.undo_stack.push(commands.ConnectCommand(self, self._edge(middle, after)))

    def _edge(self, source: str, target: str, port: int | None = None) -> Edge:
        if port is None:
            port = self.design.free_port(target)
            if port is None:
                raise DesignError("That input is already connected.")
        return Edge(self.design.new_id("e"), source, target, port)

    def move_in_stack(self, node_id: str, index: int) -> None:
        """Move a layer to another place in the chain (drag to reorder)."""
        order = self.stack_order()
        if order is None or node_id not in order:
            raise DesignError("Only layers of a stack can be reordered.")
        current = order.index(node_id)
        if current == 0:
            raise DesignError("The Input stays at the top of the stack.")
        index = max(1, min(index, len(order) - 1))
        if index == current:
            return
        name = self.design.node(node_id).type
        self._check_unlocked()
        self.undo_stack.beginMacro(f"Move {name}")
        try:
            self._detach_from_stack(node_id, order)
            rest = [n for n in order if n != node_id]
            self._rewire_around(
                rest[index - 1], rest[index] if index < len(rest) else None, node_id
            )
            self._restack()
        finally:
            self.undo_stack.endMacro()

    def _detach_from_stack(self, node_id: str, order: list[str]) -> None:
        position = order.index(node_id)
        for edge in [*self.design.inputs_of(node_id), *self.design.outputs_of(node_id)]:
            self.undo_stack.push(commands.DisconnectCommand(self, edge.id))
        if 0 < position < len(order) - 1:
            before, after = order[position - 1], order[position + 1]
            self.undo_stack.push(commands.ConnectCommand(self, self._edge(before, after)))

    def remove_layers(self, node_ids: list[str]) -> None:
        """Delete layers; in a stack, their neighbours are joined up."""
        node_ids = [n for n in node_ids if n in self.design.nodes]
        if not node_ids:
            return
        self._check_unlocked()
        for node_id in node_ids:
            users = [
                n.id
                for n in self.design.nodes.values()
                if n.shares == node_id and n.id not in node_ids
            ]
            if users:
                raise DesignError(
                    f"Other layers reuse this layer's weights ({', '.join(users)}): "
                    "delete those uses first, or delete them together."
                )
        label = self.design.node(node_ids[0]).type if len(node_ids) == 1 else "layers"
        self.undo_stack.beginMacro(f"Delete {label}")
        try:
            # Uses of a shared layer go first, so the layer they share can go too.
            node_ids.sort(key=lambda n: self.design.node(n).shares is None)
            for node_id in node_ids:
                order = self.stack_order()
                if order is not None and node_id in order:
                    self._detach_from_stack(node_id, order)
                self.undo_stack.push(commands.RemoveNodeCommand(self, node_id, "Delete"))
            self._restack()
        finally:
            self.undo_stack.endMacro()

    def duplicate_layer(self, node_id: str) -> str:
        """A copy with the same settings: right after it in a stack, beside it in a graph."""
        node = self.design.node(node_id)
        order = self.stack_order()
        if order is not None and node.type != "Input":
            return self.insert_in_stack(node.type, order.index(node_id) + 1, dict(node.params))
        x, y = node.position
        return self.add_layer(node.type, dict(node.params), (x + 40.0, y + 40.0))

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        """Change one setting (checked first: a bad value raises ParamError, nothing changes)."""
        node = self.design.node(node_id)
        spec = catalog()[node.type].param(name)
        checked = spec.check(value)
        if node.params.get(name, spec.default) == checked:
            return
        text = f"Set {spec.label.lower()} of {node.type}"
        if spec.kind != "initializer":
            self._push(commands.SetParamCommand(self, node_id, name, checked, text))
            return
        # A new initializer means new starting values: draw them in the same edit.
        self._check_unlocked()
        self.undo_stack.beginMacro(text)
        try:
            self.undo_stack.push(commands.SetParamCommand(self, node_id, name, checked, text))
            redrawn = self._redraw(node_id, name.removesuffix("_initializer"))
        finally:
            self.undo_stack.endMacro()
        if redrawn:
            label = self.layer_label(node_id)
            self.message_posted.emit(
                f"Re-drew the {redrawn} of {label} with {checked} (undo restores the old values)."
            )

    def _redraw(self, node_id: str, weight_name: str) -> str:
        """Fresh values for the weight an initializer governs; returns what was re-drawn."""
        fresh = build_design(self.design).nodes.get(node_id)
        current = self.build_result.nodes.get(node_id)
        if fresh is None or fresh.layer is None or current is None or current.layer is None:
            return ""
        new = fresh.layer.get_weights()
        names = [w.name.split("/")[-1].split(":")[0] for w in fresh.layer.weights]
        old = [a.copy() for a in self.weights.get(node_id, current.layer.get_weights())]
        if len(old) != len(new):
            return ""
        indices = [i for i, n in enumerate(names) if n == weight_name] or range(len(new))
        for index in indices:
            old[index] = new[index]
        self.undo_stack.push(commands.SetWeightsCommand(self, {node_id: old}, "Re-draw"))
        return weight_name if len(indices) == 1 else "weights"

    def layer_label(self, node_id: str) -> str:
        """How the user knows a layer: its name, else its type and id."""
        node = self.design.node(node_id)
        return node.name or f"{node.type} ({node.id})"

    def set_trainable(self, node_id: str, trainable: bool) -> None:
        """Freeze (False) or unfreeze a layer's weights for training; undoable."""
        if self.design.node(node_id).trainable != trainable:
            self._push(commands.SetTrainableCommand(self, node_id, trainable))

    def rename_layer(self, node_id: str, name: str) -> None:
        if self.design.node(node_id).name != name:
            self._push(commands.SetNameCommand(self, node_id, name))

    def move_nodes(
        self, new: dict[str, tuple[float, float]], old: dict[str, tuple[float, float]]
    ) -> None:
        """Record a finished drag of nodes (one undo step)."""
        if new != old:
            self._push(commands.MoveNodesCommand(self, new, old))

    def connect(self, source: str, target: str, port: int | None = None) -> str:
        ok, reason = self.design.can_connect(source, target, port)
        if not ok:
            raise DesignError(reason)
        edge = self._edge(source, target, port)
        self._push(commands.ConnectCommand(self, edge))
        return edge.id

    def disconnect(self, edge_ids: list[str]) -> None:
        edge_ids = [e for e in edge_ids if e in self.design.edges]
        if not edge_ids:
            return
        self._check_unlocked()
        self.undo_stack.beginMacro("Disconnect")
        for edge_id in edge_ids:
            self.undo_stack.push(commands.DisconnectCommand(self, edge_id))
        self.undo_stack.endMacro()

    def auto_layout(self) -> None:
        old = {n.id: n.position for n in self.design.nodes.values()}
        self.move_nodes(auto_layout(self.design), old)

    def paste(self, nodes: list[Node], edges: list[Edge], offset: tuple[float, float]) -> list[str]:
        """Add copies of nodes and the wires among them (fresh ids); returns the new ids."""
        self._check_unlocked()
        mapping: dict[str, str] = {}
        self.undo_stack.beginMacro(f"Paste {len(nodes)} layer{'s' if len(nodes) != 1 else ''}")
        try:
            for node in nodes:
                copy = node.copy()
                copy.id = self.design.new_id("n")
                copy.name = ""
                copy.shares = mapping.get(
                    node.shares, node.shares if node.shares in self.design.nodes else None
                )
                copy.position = (node.position[0] + offset[0], node.position[1] + offset[1])
                mapping[node.id] = copy.id
                self.undo_stack.push(commands.AddNodeCommand(self, copy, "Paste"))
            for edge in edges:
                if edge.source in mapping and edge.target in mapping:
                    new = Edge(
                        self.design.new_id("e"),
                        mapping[edge.source],
                        mapping[edge.target],
                        edge.port,
                    )
                    self.undo_stack.push(commands.ConnectCommand(self, new))
        finally:
            self.undo_stack.endMacro()
        return list(mapping.values())

    def set_data(self, data) -> None:
        """Use new prepared data for training (refused while a run is going)."""
        self._check_unlocked()
        self.data = data
        self.data_changed.emit()

    def reset_weights(self, node_ids: list[str] | None = None) -> None:
        """Fresh initial weights (all layers, or the given ones); undoable."""
        fresh = build_design(self.design)
        new = {
            node_id: info.layer.get_weights()
            for node_id, info in fresh.nodes.items()
            if info.layer is not None
            and (node_ids is None or node_id in node_ids)
            and node_id in self.weights
        }
        if new:
            label = "Reset weights" if node_ids is None else "Re-initialise layer"
            self._push(commands.SetWeightsCommand(self, new, label))

    def edit_weights(self, node_id: str, arrays: list, text: str = "Edit weights") -> None:
        """Apply edited weights of one layer (checked by the layer's set_weights); undoable."""
        layer = self.build_result.nodes[node_id].layer
        current = layer.get_weights()
        if len(arrays) != len(current) or any(
            a.shape != c.shape for a, c in zip(arrays, current, strict=False)
        ):
            raise DesignError(
                f"Expected {len(current)} arrays of shapes {[c.shape for c in current]}; "
                f"received shapes {[getattr(a, 'shape', None) for a in arrays]}."
            )
        self._push(commands.SetWeightsCommand(self, {node_id: arrays}, text))

    def apply_run(self, weights: dict[str, list], run_name: str) -> None:
        """A run's resulting weights, as one undoable step (called once the run has ended)."""
        result = self.build_result
        usable = {
            node_id: arrays
            for node_id, arrays in weights.items()
            if node_id in self.weights
            and (info := result.nodes.get(node_id)) is not None
            and info.layer is not None
        }
        if usable:
            self._push(commands.ApplyRunCommand(self, usable, f"Apply {run_name}"))

    def set_compile(self, settings: CompileSettings, text: str = "Change compile settings") -> None:
        if settings.to_dict() != self.compile_settings.to_dict():
            self._push(commands.SetCompileCommand(self, settings, text))

    # -- stacks ---------------------------------------------------------------------------
    def stack_order(self) -> list[str] | None:
        """The chain order when the design is a stack (None when it branches)."""
        return self.design.chain_order()

    def _restack(self) -> None:
        """Keep a stack's nodes in a tidy column so the graph view shows it well."""
        order = self.stack_order()
        if not order:
            return
        old = {n: self.design.node(n).position for n in order}
        new = {n: (0.0, i * 110.0) for i, n in enumerate(order)}
        if new != old:
            self.undo_stack.push(commands.MoveNodesCommand(self, new, old, "Arrange stack"))
