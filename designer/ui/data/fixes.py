"""What the advice buttons change: the preparation, the loss, or the output layer's units."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from designer.data.prepare import Preparation
from designer.spec.design import Design

PREPARATION_ACTIONS = ("one_hot", "integer", "plus_minus_one", "reshape", "scaling")
# Layers that keep the last dimension, so the units before them set the output width.
_PASS_THROUGH = {"Activation", "Dropout", "BatchNormalization"}


def output_layer(design: Design) -> str | None:
    """The node whose `units` set the model's output width, or None when unclear.

    The output is the one node without outgoing wires; from there we walk back over
    layers that keep the width (Activation, Dropout, ...) to the layer with units.
    """
    ends = [node_id for node_id in design.nodes if not design.outputs_of(node_id)]
    if len(ends) != 1:
        return None
    node_id, seen = ends[0], set()
    while node_id not in seen:
        seen.add(node_id)
        node = design.node(node_id)
        if "units" in node.params:
            return node_id
        inputs = design.inputs_of(node_id)
        if node.type not in _PASS_THROUGH or len(inputs) != 1:
            return None
        node_id = inputs[0].source
    return None


def fixed_preparation(preparation: Preparation, fix: dict[str, Any]) -> Preparation:
    """The preparation with one advice fix applied."""
    action = fix.get("action")
    if action in ("one_hot", "integer", "plus_minus_one"):
        return replace(preparation, labels=action)
    if action == "reshape":
        return replace(preparation, sample_shape=tuple(int(d) for d in fix["value"]))
    if action == "scaling":
        return replace(preparation, scaling=str(fix["value"]))
    raise ValueError(f"Not a preparation fix: {fix!r}")
