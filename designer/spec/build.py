"""Build a real engine model from a design, node by node, and say what is wrong where.

Shapes and parameter counts come from the engine itself (calling each layer on
symbolic tensors), never from a second shape calculator. Every problem becomes an
`Issue` on the node that has it, with the engine's own message and a hint; building
never raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.spec.catalog import catalog
from designer.spec.design import Design
from designer.spec.params import ParamError


@dataclass(frozen=True)
class Issue:
    node_id: str | None  # None: the design as a whole
    message: str
    hint: str = ""
    field: str | None = None  # the parameter at fault, when known

    def text(self) -> str:
        return self.message + (f" {self.hint}" if self.hint else "")


@dataclass
class NodeInfo:
    output_shape: tuple | None = None
    params: int = 0
    layer: Any = None


@dataclass
class BuildResult:
    model: Any = None  # an engine Sequential or Model, or None when the design cannot build
    nodes: dict[str, NodeInfo] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    is_chain: bool = False

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.issues

    def issues_for(self, node_id: str) -> list[Issue]:
        return [i for i in self.issues if i.node_id == node_id]


def _hint_for(layer_type: str, message: str, input_shape: Any) -> str:
    """A suggestion for the engine messages people meet most."""
    lowered = message.lower()
    if layer_type in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum") and (
        "incompatible" in lowered
    ):
        return "Make the incoming layers produce the same shape (e.g. equal Dense units)."
    if layer_type == "Concatenate":
        return "Inputs must agree in every dimension except the concatenation axis."
    if layer_type in (
        "Conv2D",
        "MaxPooling2D",
        "AveragePooling2D",
        "ZeroPadding2D",
        "UpSampling2D",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling2D",
    ) and (isinstance(input_shape, tuple) and len(input_shape) != 4):
        return "Image layers need (height, width, channels) inputs: add a Reshape before it."
    if layer_type == "Reshape":
        return "The target shape must hold exactly as many values as the input."
    return ""


def _layer_kwargs(node, layer_type) -> dict[str, Any]:
    kwargs = {}
    for spec in layer_type.params:
        value = node.params.get(spec.name, spec.default)
        kwargs[spec.name] = spec.check(value)
    if node.name:
        kwargs["name"] = node.name
    return kwargs


def build_design(design: Design) -> BuildResult:
    """The engine model of `design` (None if it cannot build) and every issue found."""
    from designer.engine import Input, Model, Sequential

    result = BuildResult()
    if not design.nodes:
        result.issues.append(
            Issue(None, "The design is empty.", "Drag an Input layer in to start.")
        )
        return result
    inputs = [n for n in design.nodes.values() if catalog()[n.type].is_input]
    if not inputs:
        result.issues.append(
            Issue(
                None,
                "The design has no Input layer.",
                "Add an Input and set the shape of one sample.",
            )
        )
    order, cyclic = _topological_order(design)
    for node_id in cyclic:
        result.issues.append(
            Issue(
                node_id, "This layer is part of a cycle.", "Data must flow one way: remove a wire."
            )
        )

    tensors: dict[str, Any] = {}
    layers_by_node: dict[str, Any] = {}
    for node_id in order:
        node = design.nodes[node_id]
        layer_type = catalog()[node.type]
        info = result.nodes.setdefault(node_id, NodeInfo())
        edges = design.inputs_of(node_id)
        if not layer_type.is_input:
            if len(edges) < layer_type.min_inputs:
                missing = layer_type.min_inputs - len(edges)
                result.issues.append(
                    Issue(
                        node_id,
                        f"{missing} input port{'s' if missing > 1 else ''} left open.",
                        "Wire a layer's output into it.",
                    )
                )
                continue
            if any(e.source not in tensors for e in edges):
                continue  # an upstream problem, reported there
        try:
            kwargs = _layer_kwargs(node, layer_type)
        except ParamError as error:
            result.issues.append(Issue(node_id, str(error), field=error.param))
            continue
        try:
            if layer_type.is_input:
                tensor = Input(shape=kwargs["shape"], name=kwargs.get("name"))
                layer = tensor.node.layer
            else:
                if node.shares is not None and node.shares in layers_by_node:
                    layer = layers_by_node[node.shares]
                else:
                    layer = layer_type.engine_class()(**kwargs)
                    layer.trainable = node.trainable
                args = [tensors[e.source] for e in edges]
                tensor = layer(args if layer_type.is_merge else args[0])
        except (ValueError, TypeError, NotImplementedError) as error:
            shape = tuple(tensors[edges[0].source].shape) if edges else None
            result.issues.append(
                Issue(node_id, str(error), _hint_for(node.type, str(error), shape))
            )
            continue
        image_issue = _dense_on_images(node, layer_type, edges, tensors)
        if image_issue is not None:
            result.issues.append(image_issue)
            continue
        tensors[node_id] = tensor
        layers_by_node[node_id] = layer
        info.layer = layer
        info.output_shape = tuple(tensor.shape)
        info.params = layer.count_params() if layer.built else 0

    for node in inputs:
        if not design.outputs_of(node.id) and len(design.nodes) > 1:
            result.issues.append(
                Issue(
                    node.id, "This Input feeds no layer.", "Wire it into the network or delete it."
                )
            )
    if result.issues:
        return result

    outputs = [n for n in order if not design.outputs_of(n)]
    chain = design.chain_order()
    result.is_chain = chain is not None
    try:
        if chain is not None and len(chain) > 1:
            first = layers_by_node[chain[0]]
            result.model = Sequential([first, *(layers_by_node[n] for n in chain[1:])])
        else:
            model_inputs = [tensors[n.id] for n in inputs]
            model_outputs = [tensors[n] for n in outputs]
            result.model = Model(
                model_inputs[0] if len(model_inputs) == 1 else model_inputs,
                model_outputs[0] if len(model_outputs) == 1 else model_outputs,
            )
    except ValueError as error:
        result.issues.append(Issue(None, str(error)))
        result.model = None
    return result


def _dense_on_images(node, layer_type, edges, tensors) -> Issue | None:
    """Dense on image maps builds in Keras (it acts on the channel axis alone), but it is
    almost always a missing Flatten, and the targets will not fit; say so."""
    if layer_type.name != "Dense" or not edges:
        return None
    shape = tuple(tensors[edges[0].source].shape)
    if len(shape) < 4:
        return None
    return Issue(
        node.id,
        f"Dense receives {len(shape) - 1}-D feature maps {shape}: it would only mix the last "
        "axis and keep the image dimensions.",
        "Add a Flatten (or a global pooling layer) before it.",
    )


def _topological_order(design: Design) -> tuple[list[str], list[str]]:
    """Kahn's order of the nodes, and the nodes left over because they sit on a cycle."""
    pending = {n: len(design.inputs_of(n)) for n in design.nodes}
    ready = [n for n, count in pending.items() if count == 0]
    order: list[str] = []
    while ready:
        current = ready.pop(0)
        order.append(current)
        for edge in design.outputs_of(current):
            pending[edge.target] -= 1
            if pending[edge.target] == 0:
                ready.append(edge.target)
    cyclic = [n for n in design.nodes if n not in order]
    return order, cyclic
