"""The design: layer nodes with stable ids, the wires between them, and their positions.

Plain data with small, total operations (each either applies completely or raises
before changing anything). The Qt document wraps these in undoable commands; scripts
and tests use them directly. A design is always a graph; when it is a single chain it
can also be shown and built as a Sequential stack (`chain_order`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from designer.spec.catalog import catalog


class DesignError(ValueError):
    """An edit that cannot be applied (unknown node, occupied port, cycle, ...)."""


@dataclass
class Node:
    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] = (0.0, 0.0)
    name: str = ""  # the engine layer name; empty: the engine picks one
    shares: str | None = None  # id of the node whose layer (and weights) this node reuses
    trainable: bool = True  # False: the layer's weights are frozen during training

    def copy(self) -> Node:
        return replace(self, params=dict(self.params))


@dataclass(frozen=True)
class Edge:
    id: str
    source: str  # node id whose output feeds ...
    target: str  # ... this node's input
    port: int = 0  # which input of the target (merges have several)


@dataclass
class Design:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1), repr=False)

    # -- ids --------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        while True:
            candidate = f"{prefix}{next(self._ids)}"
            if candidate not in self.nodes and candidate not in self.edges:
                return candidate

    # -- queries ----------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise DesignError(f"No layer with id {node_id!r} in the design.") from None

    def inputs_of(self, node_id: str) -> list[Edge]:
        """Edges into `node_id`, ordered by port."""
        return sorted((e for e in self.edges.values() if e.target == node_id), key=lambda e: e.port)

    def outputs_of(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges.values() if e.source == node_id]

    def layer_type(self, node_id: str):
        return catalog()[self.node(node_id).type]

    def free_port(self, node_id: str) -> int | None:
        """The first unconnected input port of a node, or None when it takes no more."""
        layer_type = self.layer_type(node_id)
        used = {e.port for e in self.inputs_of(node_id)}
        limit = layer_type.max_inputs
        port = 0
        while port in used:
            port += 1
        if limit is not None and port >= limit:
            return None
        return port

    def reaches(self, start: str, goal: str) -> bool:
        """Whether a path of wires leads from `start` to `goal`."""
        pending, seen = [start], set()
        while pending:
            current = pending.pop()
            if current == goal:
                return True
            if current in seen:
                continue
            seen.add(current)
            pending.extend(e.target for e in self.outputs_of(current))
        return False

    def chain_order(self) -> list[str] | None:
        """Node ids from the Input to the last layer when the design is one chain, else None."""
        if not self.nodes:
            return []
        starts = [n for n in self.nodes if not self.inputs_of(n)]
        if len(starts) != 1:
            return None
        order = [starts[0]]
        while True:
            outs = self.outputs_of(order[-1])
            if not outs:
                break
            if len(outs) > 1:
                return None
            nxt = outs[0].target
            if nxt in order or len(self.inputs_of(nxt)) != 1:
                return None
            order.append(nxt)
        return order if len(order) == len(self.nodes) else None

    # -- edits ------------------------------------------------------------------------
    def add_node(
        self,
        layer_type: str,
        params: dict[str, Any] | None = None,
        position: tuple[float, float] = (0.0, 0.0),
        node_id: str | None = None,
        name: str = "",
        shares: str | None = None,
    ) -> Node:
        node = self.new_node(layer_type, params, position, name, shares, node_id)
        if node.id in self.nodes:
            raise DesignError(f"A layer with id {node.id!r} already exists.")
        self.nodes[node.id] = node
        return node

    def new_node(
        self,
        layer_type: str,
        params: dict[str, Any] | None = None,
        position: tuple[float, float] = (0.0, 0.0),
        name: str = "",
        shares: str | None = None,
        node_id: str | None = None,
    ) -> Node:
        """A node with the catalog's defaults (or the shared layer's settings) under
        `params`, not yet part of the design (undo commands insert it)."""
        values = catalog()[layer_type].defaults()
        if shares is not None:
            values = dict(self.node(shares).params)
        values.update(params or {})
        return Node(node_id or self.new_id("n"), layer_type, values, tuple(position), name, shares)

    def insert_node(self, node: Node, edges: list[Edge] = ()) -> None:
        """Put back a node removed earlier, with its wires (undo of `remove_node`)."""
        if node.id in self.nodes:
            raise DesignError(f"A layer with id {node.id!r} already exists.")
        self.nodes[node.id] = node
        for edge in edges:
            self.edges[edge.id] = edge

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        """Remove a node and its wires; returns both so the removal can be undone."""
        node = self.node(node_id)
        sharers = [n.id for n in self.nodes.values() if n.shares == node_id]
        if sharers:
            raise DesignError(f"Layer {node_id!r} is shared by {sharers}; remove those uses first.")
        edges = [e for e in self.edges.values() if node_id in (e.source, e.target)]
        for edge in edges:
            del self.edges[edge.id]
        del self.nodes[node_id]
        return node, edges

    def set_param(self, node_id: str, name: str, value: Any) -> Any:
        """Set one parameter (checked against the catalog); returns the old value."""
        node = self.node(node_id)
        spec = catalog()[node.type].param(name)
        checked = spec.check(value)
        old = node.params.get(name, spec.default)
        node.params[name] = checked
        return old

    def move_node(self, node_id: str, position: tuple[float, float]) -> tuple[float, float]:
        node = self.node(node_id)
        old = node.position
        node.position = (float(position[0]), float(position[1]))
        return old

    def connect(
        self, source: str, target: str, port: int | None = None, edge_id: str | None = None
    ) -> Edge:
        """Wire `source`'s output into an input port of `target`."""
        ok, reason = self.can_connect(source, target, port)
        if not ok:
            raise DesignError(reason)
        if port is None:
            port = self.free_port(target)
        edge = Edge(edge_id or self.new_id("e"), source, target, int(port))
        self.edges[edge.id] = edge
        return edge

    def disconnect(self, edge_id: str) -> Edge:
        try:
            return self.edges.pop(edge_id)
        except KeyError:
            raise DesignError(f"No wire with id {edge_id!r} in the design.") from None

    def can_connect(self, source: str, target: str, port: int | None = None) -> tuple[bool, str]:
        """Whether a wire from `source` to `target` (port) is allowed, and why not.

        Structural checks only (ports and cycles); shape compatibility is the engine's
        to judge when the design is built.
        """
        if source not in self.nodes or target not in self.nodes:
            return False, "Both ends of a wire must be layers of this design."
        if source == target:
            return False, "A layer cannot feed itself."
        target_type = self.layer_type(target)
        if target_type.max_inputs == 0:
            return False, f"{target_type.name} layers take no input: they start the network."
        if any(e.source == source and e.target == target for e in self.edges.values()):
            return False, "These two layers are already connected."
        if port is None:
            if self.free_port(target) is None:
                return False, (
                    f"{target_type.name} takes {target_type.max_inputs} input"
                    f"{'s' if target_type.max_inputs != 1 else ''} and it is already connected."
                )
        else:
            if target_type.max_inputs is not None and port >= target_type.max_inputs:
                return False, f"{target_type.name} has no input port {port + 1}."
            if any(e.port == port for e in self.inputs_of(target)):
                return False, f"Input port {port + 1} of this layer is already connected."
        if self.reaches(target, source):
            return False, "This wire would make a cycle: data must flow one way."
        return True, ""
