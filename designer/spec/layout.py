"""Automatic node positions: layers placed by depth, top to bottom, branches side by side."""

from __future__ import annotations

from designer.spec.design import Design

ROW_GAP = 110.0
COLUMN_GAP = 220.0


def depths(design: Design) -> dict[str, int]:
    """Longest path from any input to each node (cycles are cut where met)."""
    depth: dict[str, int] = {}

    def visit(node_id: str, trail: frozenset[str]) -> int:
        if node_id in depth:
            return depth[node_id]
        parents = [e.source for e in design.inputs_of(node_id) if e.source not in trail]
        value = 1 + max((visit(p, trail | {node_id}) for p in parents), default=-1)
        depth[node_id] = value
        return value

    for node_id in design.nodes:
        visit(node_id, frozenset())
    return depth


def auto_layout(design: Design) -> dict[str, tuple[float, float]]:
    """New positions for every node: one row per depth, rows centred on x = 0."""
    rows: dict[int, list[str]] = {}
    for node_id, depth in depths(design).items():
        rows.setdefault(depth, []).append(node_id)
    positions = {}
    for depth, members in rows.items():
        # Keep siblings in the order of their current x so a layout is stable.
        members.sort(key=lambda n: (design.nodes[n].position[0], n))
        width = (len(members) - 1) * COLUMN_GAP
        for index, node_id in enumerate(members):
            positions[node_id] = (index * COLUMN_GAP - width / 2, depth * ROW_GAP)
    return positions


def apply_layout(design: Design) -> None:
    for node_id, position in auto_layout(design).items():
        design.nodes[node_id].position = position
