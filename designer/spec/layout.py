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
    """New positions: one row per depth; each node under the mean x of its parents
    (so a branch continues straight down), spread apart where they would collide."""
    rows: dict[int, list[str]] = {}
    for node_id, depth in depths(design).items():
        rows.setdefault(depth, []).append(node_id)
    positions: dict[str, tuple[float, float]] = {}
    for depth in sorted(rows):
        members = rows[depth]

        def wanted(node_id: str) -> float:
            parents = [
                positions[e.source][0] for e in design.inputs_of(node_id) if e.source in positions
            ]
            return sum(parents) / len(parents) if parents else design.nodes[node_id].position[0]

        targets = {n: wanted(n) for n in members}
        members.sort(key=lambda n: (targets[n], design.nodes[n].position[0], n))
        xs = _spread([targets[n] for n in members]) if depth else _centred(len(members))
        for node_id, x in zip(members, xs, strict=True):
            positions[node_id] = (x, depth * ROW_GAP)
    return positions


def _centred(count: int) -> list[float]:
    width = (count - 1) * COLUMN_GAP
    return [i * COLUMN_GAP - width / 2 for i in range(count)]


def _spread(targets: list[float]) -> list[float]:
    """Sorted x targets pushed apart to at least COLUMN_GAP, keeping their mean."""
    xs = list(targets)
    for i in range(1, len(xs)):
        xs[i] = max(xs[i], xs[i - 1] + COLUMN_GAP)
    shift = (sum(targets) - sum(xs)) / len(xs) if xs else 0.0
    return [x + shift for x in xs]


def apply_layout(design: Design) -> None:
    for node_id, position in auto_layout(design).items():
        design.nodes[node_id].position = position
