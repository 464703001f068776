"""The models found in the code -> designs (nodes, wires, shared layers, positions).

A Sequential model becomes a chain from an Input node; a functional model becomes
every layer call its outputs depend on. Layer calls never wrapped in a `Model(...)`
still become a model (with a problem saying so), so a pasted fragment is not lost.
"""

from __future__ import annotations

from typing import Any

from designer.importer.mapping import Context, show
from designer.importer.result import ImportedModel
from designer.importer.values import (
    FuncModel,
    GNode,
    LayerObj,
    SeqModel,
    Tensor,
    find_unknown,
    strip_assumed,
)
from designer.spec.build import build_design
from designer.spec.catalog import catalog
from designer.spec.design import Design, DesignError
from designer.spec.layout import apply_layout
from designer.spec.params import ParamError


def input_shape_param(ctx: Context, value: Any, text: str, line: int) -> tuple | None:
    """The checked Input shape for a declared shape, or None after saying why not."""
    unknown = find_unknown(value)
    if unknown is not None:
        ctx.problem(
            line,
            f"The input shape {text} (line {line}) cannot be worked out: {unknown.reason}; "
            "set it on the Input layer.",
        )
        return None
    plain, note = strip_assumed(value)
    if isinstance(plain, list):
        plain = tuple(plain)
    if isinstance(plain, tuple) and None in plain:
        ctx.problem(
            line,
            f"The input shape {text or show(value)} (line {line}) has a dimension of any "
            "length (None); designs need fixed sizes: set it on the Input layer.",
        )
        return None
    try:
        shape = catalog()["Input"].param("shape").check(plain)
    except ParamError as error:
        ctx.problem(
            line,
            f"The input shape {text or show(value)} (line {line}) is not usable: {error} "
            "Set it on the Input layer.",
        )
        return None
    if note:
        ctx.problem(
            line,
            f"The input shape {text} (line {line}) is read as {shape} from {note}; check it "
            "against your data.",
        )
    return shape


class _DesignWriter:
    """Adds layers to one design, sharing a layer object's weights where it is reused."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.design = Design()
        self.owner: dict[int, str] = {}  # id(LayerObj) -> node id of its first use
        self.declared: dict[str, LayerObj] = {}  # node id -> layer with a declared shape

    def add(self, layer: LayerObj, check_declared: bool = True) -> str:
        owner = self.owner.get(id(layer))
        node = self.design.add_node(
            layer.type, dict(layer.params), name="" if owner else layer.name, shares=owner
        )
        if owner is None:
            self.owner[id(layer)] = node.id
        if check_declared and layer.declared_shape is not None and layer.type != "Input":
            self.declared[node.id] = layer
        return node.id

    def connect(self, source: str, target: str, port: int | None, line: int) -> None:
        try:
            self.design.connect(source, target, port)
        except DesignError as error:
            self.ctx.problem(line, f"{error} (line {line})")

    def finish(self) -> Design:
        if self.declared:
            _check_declared_shapes(self.ctx, self.design, self.declared)
        apply_layout(self.design)
        return self.design


def sequential_design(ctx: Context, model: SeqModel) -> Design | None:
    if not model.items:
        ctx.problem(
            model.line,
            f"The Sequential model{f' assigned to {model.name}' if model.name else ''} "
            f"(line {model.line}) has no layers; it is not imported.",
        )
        return None
    writer = _DesignWriter(ctx)
    first = model.items[0]
    rest = model.items
    if isinstance(first, Tensor) or first.type == "Input":
        layer = first.node.layer if isinstance(first, Tensor) else first
        previous = writer.add(layer)
        rest = model.items[1:]
    else:
        shape = None
        if first.declared_shape is None:
            ctx.problem(
                first.line,
                f"the input shape is not given (line {first.line}); set it on the Input layer.",
            )
        else:
            shape = input_shape_param(ctx, first.declared_shape, first.shape_text, first.line)
        params = {"shape": shape} if shape is not None else {}
        previous = writer.design.add_node("Input", params).id
    for index, layer in enumerate(rest):
        node_id = writer.add(layer, check_declared=index > 0 or rest is not model.items)
        writer.connect(previous, node_id, None, layer.line)
        previous = node_id
    return writer.finish()


def functional_design(ctx: Context, model: FuncModel) -> Design:
    needed = _ancestors(model)
    for gnode in sorted(needed, key=lambda g: g.key):
        if gnode.layer.type == "Input" and gnode not in model.inputs and not model.implicit:
            ctx.problem(
                model.line,
                f"The model on line {model.line} needs the Input made on line {gnode.line}, "
                "which is not among its inputs; it is added.",
            )
    for gnode in model.inputs:
        if gnode.layer.type != "Input":
            ctx.problem(
                model.line,
                f"A model input (line {model.line}) is the output of {gnode.layer.class_name}, "
                "not an Input; it is imported as a layer.",
            )
    writer = _DesignWriter(ctx)
    ids: dict[GNode, str] = {}
    for gnode in sorted(needed, key=lambda g: g.key):
        ids[gnode] = writer.add(gnode.layer)
    for gnode in sorted(needed, key=lambda g: g.key):
        for port, source in enumerate(gnode.inputs):
            if source is not None and source in ids:
                writer.connect(ids[source], ids[gnode], port, gnode.line)
    design = writer.design
    for gnode in model.outputs:
        if design.outputs_of(ids[gnode]):
            ctx.problem(
                model.line,
                f"An output of the model on line {model.line} ({gnode.layer.class_name}, line "
                f"{gnode.line}) also feeds other layers; the design's outputs are the layers "
                "that feed nothing.",
            )
    return writer.finish()


def _check_declared_shapes(ctx: Context, design: Design, declared: dict[str, LayerObj]) -> None:
    """Keras ignores input_shape= on layers that are not first; say so when it disagrees."""
    result = build_design(design)
    for node_id, layer in declared.items():
        edges = design.inputs_of(node_id)
        info = result.nodes.get(edges[0].source) if edges else None
        if info is None or info.output_shape is None:
            continue
        plain = strip_assumed(layer.declared_shape)[0]
        if isinstance(plain, int):
            plain = (plain,)
        received = tuple(info.output_shape[1:])
        if isinstance(plain, (tuple, list)) and tuple(plain) != received:
            ctx.problem(
                layer.line,
                f"{layer.class_name} (line {layer.line}) declares {layer.shape_text} but "
                f"receives {received} from the layer before it; the declared shape is ignored, "
                "as Keras does.",
            )


def implicit_models(ctx: Context, nodes: list[GNode], covered: set[GNode]) -> list[FuncModel]:
    """Layer calls that no Model(...) wraps, grouped into connected pieces."""
    free = [g for g in nodes if g not in covered]
    parent: dict[GNode, GNode] = {g: g for g in free}

    def root(gnode: GNode) -> GNode:
        while parent[gnode] is not gnode:
            gnode = parent[gnode]
        return gnode

    for gnode in free:
        for source in gnode.inputs:
            if source is not None and source in parent:
                parent[root(source)] = root(gnode)
    pieces: dict[GNode, list[GNode]] = {}
    for gnode in free:
        pieces.setdefault(root(gnode), []).append(gnode)
    models = []
    for members in pieces.values():
        if all(g.layer.type == "Input" for g in members):
            for g in members:
                ctx.problem(g.line, f"The Input made on line {g.line} is not used by any model.")
            continue
        fed = {s for g in members for s in g.inputs if s is not None}
        outputs = [g for g in members if g not in fed]
        inputs = [g for g in members if g.layer.type == "Input"]
        model = FuncModel(min(g.line for g in members), inputs, outputs, implicit=True)
        models.append(model)
    return models


def imported_models(ctx: Any) -> tuple[list[ImportedModel], int | None]:
    """Every model of the walk as an ImportedModel, in order of appearance."""
    covered: set[GNode] = set()
    found: list[tuple[Any, Design]] = []
    for model in ctx.models:
        if isinstance(model, SeqModel):
            design = sequential_design(ctx, model)
            covered.update(i.node for i in model.items if isinstance(i, Tensor))
        else:
            design = functional_design(ctx, model)
            covered.update(_ancestors(model))
        if design is not None:
            found.append((model, design))
    for model in implicit_models(ctx, ctx.nodes, covered):
        model.name = _implicit_name(ctx, model)
        lines = sorted({g.line for g in _ancestors(model)})
        where = f"lines {lines[0]}–{lines[-1]}" if len(lines) > 1 else f"line {lines[0]}"
        ctx.problem(
            model.line,
            f"The layers on {where} are not wrapped in a Model(...); they are imported as "
            f"the model {model.name}.",
        )
        found.append((model, functional_design(ctx, model)))
    for layer in ctx.layers:
        if layer.type not in (None, "Input") and not layer.used:
            ctx.problem(
                layer.line,
                f"The {layer.class_name} layer made on line {layer.line} is not used by any "
                "model; it is not imported.",
            )
    found.sort(key=lambda item: item[0].line)
    models = [
        ImportedModel(m.name or f"model_{m.line}", design, m.compile, m.line) for m, design in found
    ]
    used = [i for i, (m, _) in enumerate(found) if m.last_used]
    best = max(used, key=lambda i: found[i][0].last_used) if used else None
    return models, best


def _ancestors(model: FuncModel) -> set[GNode]:
    seen: set[GNode] = set(model.inputs)
    pending = list(model.outputs)
    while pending:
        gnode = pending.pop()
        seen.add(gnode)
        pending.extend(s for s in gnode.inputs if s is not None and s not in seen)
    return seen


def _implicit_name(ctx: Any, model: FuncModel) -> str:
    for gnode in reversed(model.outputs):
        name = ctx.tensor_names.get(gnode)
        if name:
            return name
    return f"model_{model.line}"
