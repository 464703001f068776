"""An engine model (e.g. imported from a `.keras` file) as a design, weights included.

Each layer call becomes a node (a layer called twice becomes a node and a sharing
node), each tensor a wire. Layer settings come from `get_config()` and are checked
against the catalog; settings the catalog does not edit are reported, not dropped
silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from designer.spec.catalog import catalog
from designer.spec.design import Design
from designer.spec.layout import apply_layout
from designer.spec.params import ParamError


@dataclass
class ConvertedModel:
    design: Design
    weights: dict[str, list[np.ndarray]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _param_values(layer: Any, layer_type: Any, notes: list[str]) -> dict[str, Any]:
    config = layer.get_config()
    values: dict[str, Any] = {}
    for spec in layer_type.params:
        if spec.name not in config:
            continue
        raw = config[spec.name]
        if isinstance(raw, dict):  # initializers/regularizers: their Keras names
            raw = (
                _snake(raw.get("class_name", ""))
                if spec.kind != "regularizer"
                else (raw.get("class_name", "").lower() or None)
            )
        if isinstance(raw, list):
            raw = tuple(raw)
        try:
            values[spec.name] = spec.check(raw)
        except ParamError as error:
            notes.append(f"{layer.name}: {error} The default was used.")
    return values


def _snake(name: str) -> str:
    from designer.engine.naming import to_snake_case

    return to_snake_case(name)


def design_from_model(model: Any) -> ConvertedModel:
    """The design (and weights by node id) of an engine Sequential or Model."""
    design = Design()
    result = ConvertedModel(design)
    graph = model.graph
    if graph is None:
        raise ValueError("The model is not built (its input shape is unknown).")
    node_of_tensor: dict[int, str] = {}
    first_node_of_layer: dict[int, str] = {}
    for graph_node in graph.nodes:
        layer = graph_node.layer
        kind = type(layer).__name__
        if graph_node.is_input:
            node = design.add_node(
                "Input", {"shape": tuple(layer.batch_shape[1:])}, name=layer.name
            )
            node_of_tensor[id(graph_node.outputs[0])] = node.id
            continue
        if kind not in catalog():
            raise ValueError(f"The designer has no {kind} layer ({layer.name}).")
        layer_type = catalog()[kind]
        shares = first_node_of_layer.get(id(layer))
        params = _param_values(layer, layer_type, result.notes)
        node = design.add_node(kind, params, name="" if shares else layer.name, shares=shares)
        if shares is None:
            first_node_of_layer[id(layer)] = node.id
            result.weights[node.id] = layer.get_weights()
        for port, tensor in enumerate(graph_node.input_tensors):
            design.connect(node_of_tensor[id(tensor)], node.id, port)
        node_of_tensor[id(graph_node.outputs[0])] = node.id
    apply_layout(design)
    return result
