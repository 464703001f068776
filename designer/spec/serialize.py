"""The design and compile settings as versioned JSON (plain data, never code).

Reading checks everything before building anything: each value's JSON type first (a
file stores numbers as numbers, so "0.5" where a number belongs is refused), then its
range and name against the one parameter schema. Every problem becomes a
`ProjectFormatError` carrying the path of the value at fault (`design.nodes[1].params.units`).
The small `expect_*` helpers here serve every reader of project files.
"""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

from designer.spec.catalog import catalog
from designer.spec.compile_settings import (
    LOSSES,
    METRICS,
    OPTIMIZERS,
    CompileSettings,
    hyper_parameters,
)
from designer.spec.design import Design, DesignError, Edge, Node
from designer.spec.params import ParamError, ParamSpec

FORMAT = "network-designer/design"
VERSION = 1
MAX_TUPLE_LENGTH = 8  # numbers in a shape or window parameter
MAX_DIMENSION = 1_000_000  # any one of them (a file cannot ask for absurd layers)


class ProjectFormatError(ValueError):
    """A project or design file that cannot be read; says what and where.

    `reason` is the message alone, `field` the path of the value at fault (when one is)
    and `file` the file's name (set by the file reader), so a command line can say
    "cannot open FILE: FIELD: REASON" and a dialog can show the whole text.
    """

    def __init__(self, reason: str, *, field: str | None = None, file: str | None = None) -> None:
        self.reason = reason
        self.field = field
        self.file = file
        super().__init__(f"{file}: {self.detail}" if file else self.detail)

    @property
    def detail(self) -> str:
        """The field's path and the reason, without the file name."""
        return f"{self.field}: {self.reason}" if self.field else self.reason

    def in_file(self, name: str) -> ProjectFormatError:
        """The same error, naming the file it was found in."""
        return ProjectFormatError(self.reason, field=self.field, file=name)


# -- JSON reading helpers ---------------------------------------------------------------
def show(value: Any) -> str:
    """A value as the file spells it (JSON), shortened: `"many"`, `1.5`, `null`."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, RecursionError):  # not JSON, or an int of 4300+ digits
        text = f"a {type(value).__name__}" if not isinstance(value, int) else "a huge number"
    return text if len(text) <= 60 else text[:57] + "..."


def join(path: str, key: Any) -> str:
    """`path.key`, or `path["odd key"]` when the key is not a plain name."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{show(key)}]"


def fail(path: str | None, reason: str) -> NoReturn:
    raise ProjectFormatError(reason, field=path or None)


def expect_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        fail(path, f"expected an object, received {show(value)}")
    return value


def expect_list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        fail(path, f"expected a list, received {show(value)}")
    return value


def expect_str(value: Any, path: str, what: str = "a string") -> str:
    if not isinstance(value, str):
        fail(path, f"expected {what}, received {show(value)}")
    return value


def expect_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        fail(path, f"expected true or false, received {show(value)}")
    return value


def expect_int(value: Any, path: str, minimum: int = 0, maximum: int | None = None) -> int:
    """A JSON whole number in [minimum, maximum] (never a bool, a float or a string)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        fail(path, f"expected a whole number >= {minimum}, received {show(value)}")
    if maximum is not None and value > maximum:
        fail(path, f"expected a whole number up to {maximum}, received {show(value)}")
    return value


def expect_number(value: Any, path: str, *, finite: bool = True) -> float:
    """A JSON number as a float; NaN and infinities only when `finite` is False."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, f"expected a number, received {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        fail(path, f"expected a number of a usable size, received {show(value)}")
    if finite and not math.isfinite(number):
        fail(path, f"expected a finite number, received {show(value)}")
    return number


def check_param(spec: ParamSpec, value: Any, path: str) -> Any:
    """A parameter read from a file: its JSON type first, then the schema's checks."""
    kind = spec.kind
    if kind == "bool":
        return expect_bool(value, path)
    if kind in ("int", "optional_int") and not (kind == "optional_int" and value is None):
        if isinstance(value, bool) or not isinstance(value, int):
            fail(path, f"expected a whole number, received {show(value)}")
        if abs(value) >= 2**63:
            fail(path, f"expected a whole number of a usable size, received {show(value)}")
    elif kind == "float":
        expect_number(value, path)
    elif kind == "text":
        if not isinstance(value, str) or not value.strip():
            fail(path, f"expected a name, received {show(value)}")
    elif kind in ("choice", "activation", "initializer", "regularizer"):
        options = spec.options()
        if not isinstance(value, str | None) or value not in options:
            names = ", ".join("null" if o is None else str(o) for o in options)
            fail(path, f"unknown value {show(value)}; expected one of {names}")
    elif kind in ("int_tuple", "shape") and not (value is None and spec.default is None):
        items = value if isinstance(value, list) else [None]
        if len(items) > MAX_TUPLE_LENGTH or any(
            isinstance(n, bool) or not isinstance(n, int) or n > MAX_DIMENSION for n in items
        ):
            fail(
                path,
                f"expected a list of up to {MAX_TUPLE_LENGTH} whole numbers up to "
                f"{MAX_DIMENSION}, received {show(value)}",
            )
    try:
        return spec.check(value)
    except ParamError as error:
        reason = str(error).removeprefix(f"{spec.label}: ").rstrip(".")
        fail(path, reason)


def check_settings(
    data: Any, specs: dict[str, ParamSpec], path: str, *, defaults: bool = True
) -> dict[str, Any]:
    """An object of named settings checked against `specs`; keys it does not know are
    left out (a newer version's settings), missing ones take their defaults."""
    raw = expect_object(data, path)
    values = {name: spec.default for name, spec in specs.items()} if defaults else {}
    for name, value in raw.items():
        if name in specs:
            values[name] = check_param(specs[name], value, join(path, name))
    return values


# -- design ---------------------------------------------------------------------------------
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


def design_from_dict(data: Any, path: str = "design") -> Design:
    """A design read from JSON; wires obey the editor's rules (ports, no cycles)."""
    data = expect_object(data, path)
    design = Design()
    for index, raw in enumerate(expect_list(data.get("nodes", []), join(path, "nodes"))):
        node = _node_from_dict(raw, f"{path}.nodes[{index}]")
        if node.id in design.nodes:
            fail(f"{path}.nodes[{index}].id", f"duplicate layer id {show(node.id)}")
        design.nodes[node.id] = node
    for index, raw in enumerate(expect_list(data.get("edges", []), join(path, "edges"))):
        where = f"{path}.edges[{index}]"
        raw = expect_object(raw, where)
        for key in ("id", "source", "target", "port"):
            if key not in raw:
                fail(f"{where}.{key}", "missing: a wire needs an id, a source, a target and a port")
        edge = Edge(
            expect_str(raw["id"], f"{where}.id", "a wire id"),
            expect_str(raw["source"], f"{where}.source", "a layer id"),
            expect_str(raw["target"], f"{where}.target", "a layer id"),
            expect_int(raw["port"], f"{where}.port", 0, MAX_DIMENSION),
        )
        if edge.id in design.edges:
            fail(f"{where}.id", f"duplicate wire id {show(edge.id)}")
        for end in ("source", "target"):
            if getattr(edge, end) not in design.nodes:
                fail(
                    f"{where}.{end}",
                    f"the wire joins a layer that does not exist: {show(raw[end])}",
                )
        try:
            design.connect(edge.source, edge.target, edge.port, edge_id=edge.id)
        except DesignError as error:
            fail(where, f"wire {show(edge.id)} cannot be made: {error}")
    for index, node in enumerate(design.nodes.values()):
        if node.shares is not None and node.shares not in design.nodes:
            fail(f"{path}.nodes[{index}].shares", f"no layer with id {show(node.shares)}")
    return design


def _node_from_dict(raw: Any, where: str) -> Node:
    raw = expect_object(raw, where)
    node_id = expect_str(raw.get("id"), f"{where}.id", "a layer id")
    layer_type = raw.get("type")
    if not isinstance(layer_type, str) or layer_type not in catalog():
        fail(f"{where}.type", f"unknown layer type {show(layer_type)}")
    description = catalog()[layer_type]
    params = description.defaults()
    for name, value in expect_object(raw.get("params", {}), f"{where}.params").items():
        try:
            spec = description.param(name)
        except KeyError:
            fail(join(f"{where}.params", name), f"{layer_type} has no parameter {show(name)}")
        params[name] = check_param(spec, value, join(f"{where}.params", name))
    position = raw.get("position", [0, 0])
    if not isinstance(position, list) or len(position) != 2:
        fail(f"{where}.position", f"expected [x, y], received {show(position)}")
    x, y = (expect_number(v, f"{where}.position[{i}]") for i, v in enumerate(position))
    shares = raw.get("shares")
    return Node(
        node_id,
        layer_type,
        params,
        (x, y),
        expect_str(raw.get("name", ""), f"{where}.name"),
        None if shares is None else expect_str(shares, f"{where}.shares", "a layer id"),
        expect_bool(raw.get("trainable", True), f"{where}.trainable"),
    )


# -- compile settings -------------------------------------------------------------------------
def compile_from_dict(data: Any, path: str = "compile") -> CompileSettings:
    """Compile settings read from JSON: known optimizer, its own hyper-parameters,
    known loss and metric names (the engine's aliases are accepted too)."""
    data = expect_object(data, path)
    optimizer = data.get("optimizer", "adam")
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        fail(
            f"{path}.optimizer",
            f"unknown optimizer {show(optimizer)}; expected one of {', '.join(OPTIMIZERS)}",
        )
    specs = {spec.name: spec for spec in hyper_parameters(optimizer)}
    params = {}
    raw_params = expect_object(data.get("optimizer_params", {}), f"{path}.optimizer_params")
    for name, value in raw_params.items():
        where = join(f"{path}.optimizer_params", name)
        if name not in specs:
            fail(
                where, f"{optimizer} has no hyper-parameter {show(name)}; it has {', '.join(specs)}"
            )
        params[name] = check_param(specs[name], value, where)
    loss = expect_str(data.get("loss", "mean_squared_error"), f"{path}.loss", "a loss name")
    if loss not in LOSSES and not _engine_knows("losses", loss):
        fail(f"{path}.loss", f"unknown loss {show(loss)}; expected one of {', '.join(LOSSES)}")
    metrics = []
    for index, name in enumerate(expect_list(data.get("metrics", []), f"{path}.metrics")):
        name = expect_str(name, f"{path}.metrics[{index}]", "a metric name")
        if name not in METRICS and not _engine_knows("metrics", name):
            fail(
                f"{path}.metrics[{index}]",
                f"unknown metric {show(name)}; expected one of {', '.join(METRICS)}",
            )
        metrics.append(name)
    return CompileSettings(optimizer, params, loss, metrics)


def _engine_knows(module: str, name: str) -> bool:
    """Whether the engine's `losses.get` / `metrics.get` accepts this name."""
    from designer.engine import losses, metrics

    try:
        {"losses": losses, "metrics": metrics}[module].get(name)
    except (ValueError, TypeError, KeyError):
        return False
    return True


# -- design files -------------------------------------------------------------------------------
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
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise ProjectFormatError(f"Not valid JSON: {error}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ProjectFormatError("Not a Network Designer design (missing its 'format' marker).")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise ProjectFormatError(
            f"This design was saved by a newer Network Designer (format version "
            f"{show(version)}); "
            f"this version reads up to {VERSION}."
        )
    return design_from_dict(data.get("design", {})), compile_from_dict(data.get("compile", {}))
