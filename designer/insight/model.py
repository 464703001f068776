"""The model the insight tabs look at: the document's last build, its inputs and output.

These read a document (anything with `design`, `build_result`, `weights` and
`stack_order()`, as the UI's `Document`) and the engine model's public API only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine import activations


def current_model(document: Any) -> tuple[Any, str]:
    """(model, '') when the design builds, else (None, why not)."""
    if not document.design.nodes:
        return None, "Add layers to the design to inspect a model."
    result = document.build_result
    if result.model is None or result.issues:
        problem = result.issues[0].text() if result.issues else "it has no output."
        return None, f"The design cannot be built: {problem}"
    return result.model, ""


def output_activation(model: Any) -> str | None:
    """The output layer's activation name (how one output unit becomes a class).

    The output layer is the one making the model's last output: the last layer the
    graph runs, whose output the Trace tab ends with.
    """
    outputs = model.outputs
    if not outputs:
        return None
    activation = getattr(outputs[-1].node.layer, "activation", None)
    return None if activation is None else activations.serialize(activation)


def input_shapes(model: Any) -> list[tuple]:
    """The shape of one sample for each model input (no batch axis)."""
    return [tuple(t.shape[1:]) for t in model.inputs]


def check_fits(model: Any, x: Any) -> None:
    """ValueError in words when the data's samples do not fit the model's input(s)."""
    parts = list(x) if isinstance(x, list | tuple) else [x]
    shapes = input_shapes(model)
    if len(parts) != len(shapes):
        raise ValueError(
            f"The model has {len(shapes)} inputs but the data gives {len(parts)} arrays."
        )
    for part, shape in zip(parts, shapes, strict=True):
        if tuple(np.shape(part)[1:]) != shape:
            raise ValueError(
                f"The data's samples have shape {np.shape(part)[1:]} but the model's input "
                f"needs {shape}: reshape the data (Data panel) or change the Input."
            )


def node_label(document: Any, node_id: str) -> str:
    """'dense_1 · Dense': the name a person gave the layer (or the engine's), and its type."""
    node = document.design.node(node_id)
    info = document.build_result.nodes.get(node_id)
    name = node.name or (info.layer.name if info is not None and info.layer is not None else "")
    return f"{name or node_id} · {node.type}"


def weight_nodes(document: Any) -> list[str]:
    """Node ids whose layer has weights, in the design's order (a shared layer once)."""
    result = document.build_result
    order = document.stack_order() or list(document.design.nodes)
    seen: set[int] = set()
    nodes = []
    for node_id in order:
        info = result.nodes.get(node_id)
        layer = None if info is None else info.layer
        if layer is None or id(layer) in seen or not layer.weights:
            continue
        if node_id not in document.weights:  # a shared layer's weights live under its owner
            continue
        seen.add(id(layer))
        nodes.append(node_id)
    return nodes
