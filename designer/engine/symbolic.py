"""Symbolic tensors: what `Input(...)` returns and what calling a layer on one records.

Calling a layer on a `KerasTensor` runs no numbers: it asks the layer for its output
shape, builds its weights, and records a `Node` (the layer, the tensors it read, the
tensors it made). A model is the graph of those nodes between its inputs and outputs;
one layer called twice has two nodes and one set of weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.engine.layers.base import Layer

Shape = tuple[int | None, ...]


class KerasTensor:
    """A placeholder with a shape (batch dimension first, `None` when free)."""

    def __init__(self, shape: Shape, dtype: str = "float32", name: str | None = None) -> None:
        self.shape: Shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtype
        self.name = name
        # (layer, node index in layer._inbound_nodes, output index of that node)
        self._keras_history: tuple[Layer, int, int] | None = None

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def node(self) -> Node:
        if self._keras_history is None:
            raise ValueError("This KerasTensor was not produced by a layer.")
        layer, node_index, _ = self._keras_history
        return layer._inbound_nodes[node_index]

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"


@dataclass(eq=False)
class Node:
    """One call of a layer on symbolic tensors."""

    layer: Layer
    inputs: Any  # a KerasTensor or a list of them, exactly as the layer was called
    outputs: list[KerasTensor]
    call_kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def input_tensors(self) -> list[KerasTensor]:
        return list(self.inputs) if isinstance(self.inputs, (list, tuple)) else [self.inputs]

    @property
    def is_input(self) -> bool:
        return not self.input_tensors


def is_symbolic(value: Any) -> bool:
    """True for a KerasTensor or a (nested) list holding one."""
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_symbolic(v) for v in value)
    return False
