"""The design and compile settings as versioned JSON (plain data, never code).

Reading checks everything before building anything, and every problem becomes a
`ProjectFormatError` naming the entry at fault.
"""

from __future__ import annotations

import json
from typing import Any

from designer.spec.catalog import catalog
from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design, Edge, Node

FORMAT = "network-designer/design"
VERSION = 1


class ProjectFormatError(ValueError):
    """A project or design file that cannot be read; says what and where."""


def design_to_dict(design: Design) -> dict[str, Any]:
    return {
        "nodes": [
            {
                "id": n.id,
                "type": n.type,
                "params": {k: list(v) if isinstance(v, tuple) else v for k, v in n.params.items()},
                "position": list(n.position),
                **({"name": n.name} if n.name else {}),
                **({"shares": n.shares} if n.shares else {}),
                **({"trainable": False} if not n.trainable else {}),
            }
            for n in design.nodes.values()
        ],
        "edges": [
            {"id": e.id, "source": e.source, "target": e.target, "port": e.port}
            for e in design.edges.values()
        ],
    }


def design_from_dict(data: Any) -> Design:
    if not isinstance(data, dict):
        raise ProjectFormatError("The design must be an object with 'nodes' and 'edges'.")
    design = Design()
    for index, raw in enumerate(data.get("nodes", [])):
        where = f"nodes[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise ProjectFormatError(f"{where}: each layer needs a string 'id'.")
        layer_type = raw.get("type")
        if layer_type not in catalog():
            raise ProjectFormatError(f"{where}: unknown layer type {layer_type!r}.")
        description = catalog()[layer_type]
        params = description.defaults()
        for name, value in dict(raw.get("params", {})).items():
            try:
                params[name] = description.param(name).check(value)
            except KeyError:
                raise ProjectFormatError(
                    f"{where} ({layer_type}): unknown parameter {name!r}."
                ) from None
            except ValueError as error:
                raise ProjectFormatError(f"{where} ({layer_type}): {error}") from None
        position = raw.get("position", [0, 0])
        if not (isinstance(position, list) and len(position) == 2):
            raise ProjectFormatError(f"{where}: 'position' must be [x, y].")
        if raw["id"] in design.nodes:
            raise ProjectFormatError(f"{where}: duplicate id {raw['id']!r}.")
        design.nodes[raw["id"]] = Node(
            raw["id"],
            layer_type,
            params,
            (float(position[0]), float(position[1])),
            str(raw.get("name", "")),
            raw.get("shares"),
            bool(raw.get("trainable", True)),
        )
    for index, raw in enumerate(data.get("edges", [])):
        where = f"edges[{index}]"
        try:
            edge = Edge(str(raw["id"]), str(raw["source"]), str(raw["target"]), int(raw["port"]))
        except (KeyError, TypeError, ValueError):
            raise ProjectFormatError(
                f"{where}: each wire needs 'id', 'source', 'target' and 'port'."
            ) from None
        if edge.source not in design.nodes or edge.target not in design.nodes:
            raise ProjectFormatError(
                f"{where}: wire {edge.id!r} joins a layer that does not exist."
            )
        design.edges[edge.id] = edge
    for node in design.nodes.values():
        if node.shares is not None and node.shares not in design.nodes:
            raise ProjectFormatError(f"Layer {node.id!r} shares a layer that does not exist.")
    return design


def to_json(design: Design, settings: CompileSettings) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "design": design_to_dict(design),
            "compile": settings.to_dict(),
        },
        indent=2,
    )


def from_json(text: str) -> tuple[Design, CompileSettings]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProjectFormatError(f"Not valid JSON: {error}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProjectFormatError("Not a Network Designer design (missing its 'format' marker).")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ProjectFormatError(
            f"This design was saved by a newer Network Designer (format version {version}); "
            f"this version reads up to {VERSION}."
        )
    return design_from_dict(data.get("design", {})), CompileSettings.from_dict(
        data.get("compile", {})
    )
