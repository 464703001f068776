"""The executable graph behind every model: nodes in dependency order, run forward and back.

`Graph` is built from a model's input and output `KerasTensor`s. It numbers every
tensor, orders the nodes so each runs after the nodes it reads from, and then runs
them over NumPy arrays. Forward keeps one context per *node* (not per layer), and
backward walks the nodes in reverse, adding gradients on fan-out, so a layer called
twice (shared weights) gets the sum of both calls' weight gradients.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from designer.engine.layers.base import Layer
from designer.engine.symbolic import KerasTensor, Node


class GraphError(ValueError):
    """A graph that cannot be run: disconnected outputs, a missing input, a cycle."""


class Graph:
    """Nodes between `inputs` and `outputs`, ready to execute."""

    def __init__(self, inputs: Sequence[KerasTensor], outputs: Sequence[KerasTensor]) -> None:
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        for tensor in [*self.inputs, *self.outputs]:
            if not isinstance(tensor, KerasTensor):
                raise GraphError(
                    "Model inputs and outputs must be tensors made by `Input(...)` or by "
                    f"calling layers. Received: {tensor!r}"
                )
        for tensor in self.inputs:
            if not tensor.node.is_input:
                raise GraphError(
                    f"Model input '{tensor.name}' must come from `Input(...)`; it was made by "
                    f"layer '{tensor.node.layer.name}'."
                )
        self.nodes = self._order_nodes()
        self.layers = self._layers_in_keras_order()
        self._compile_plan()

    # -- discovery -----------------------------------------------------------------
    def _order_nodes(self) -> list[Node]:
        """Depth-first from the outputs; raises on cycles and on unreachable inputs."""
        ordered: list[Node] = []
        done: set[int] = set()
        visiting: set[int] = set()
        available = {id(t) for t in self.inputs}

        def visit(tensor: KerasTensor, consumer: Layer | None) -> None:
            node = tensor.node
            if id(node) in done:
                return
            if id(node) in visiting:
                raise GraphError(f"The graph has a cycle through layer '{node.layer.name}'.")
            if node.is_input and id(tensor) not in available:
                used = [n.layer.name for n in ordered]
                raise GraphError(
                    f"Graph disconnected: cannot obtain value for tensor '{tensor.name}' "
                    f"(from input layer '{node.layer.name}') needed by layer "
                    f"'{consumer.name if consumer else '?'}'. Pass it in the model's `inputs`. "
                    f"Layers reached without issue: {used}"
                )
            visiting.add(id(node))
            for parent in node.input_tensors:
                visit(parent, node.layer)
            visiting.discard(id(node))
            done.add(id(node))
            ordered.append(node)

        for tensor in self.inputs:
            visit(tensor, None)
        for tensor in self.outputs:
            visit(tensor, None)
        return ordered

    def _layers_in_keras_order(self) -> list[Layer]:
        """Layers ordered as Keras orders `model.layers` (and so weights and weight files).

        Keras walks the graph depth-first from the outputs, numbering layers when first
        seen, gives each node its distance from the outputs, and lists layers from the
        farthest to the nearest, ties in first-seen order.
        """
        index: dict[int, int] = {}
        post_order: list[Node] = []
        finished: set[int] = set()
        in_graph = {id(n) for n in self.nodes}

        def visit(node: Node) -> None:
            if id(node) in finished:
                return
            index.setdefault(id(node.layer), len(index))
            for parent in node.input_tensors:
                visit(parent.node)
            finished.add(id(node))
            post_order.append(node)

        for tensor in self.outputs:
            visit(tensor.node)
        node_depth: dict[int, int] = {}
        layer_depth: dict[int, int] = {}
        layers: dict[int, Layer] = {}
        for node in reversed(post_order):
            depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
            layer_depth[id(node.layer)] = depth
            layers[id(node.layer)] = node.layer
            node_depth[id(node)] = depth
            for parent in node.input_tensors:
                if id(parent.node) in in_graph:
                    key = id(parent.node)
                    node_depth[key] = max(depth + 1, node_depth.get(key, 0))
        for tensor in self.inputs:
            layer = tensor.node.layer
            if id(layer) not in layer_depth:
                layer_depth[id(layer)], index[id(layer)], layers[id(layer)] = 0, -1, layer
        return sorted(layers.values(), key=lambda la: (-layer_depth[id(la)], index[id(la)]))

    def _compile_plan(self) -> None:
        """Number tensors and turn nodes into index lists for a tight execution loop."""
        slot: dict[int, int] = {}

        def index(tensor: KerasTensor) -> int:
            return slot.setdefault(id(tensor), len(slot))

        self.input_slots = [index(t) for t in self.inputs]
        model_inputs = set(self.input_slots)
        self.steps: list[tuple[Layer, Any, list[int], bool]] = []
        # Per step: does anything upstream need the gradient of this layer's inputs?
        # A layer reading only model inputs can skip computing it (a whole GEMM for Dense).
        self.needs_input_grad: list[bool] = []
        for node in self.nodes:
            if node.is_input:
                index(node.outputs[0])
                continue
            multi = isinstance(node.inputs, list)
            ins = [index(t) for t in node.inputs] if multi else index(node.inputs)
            outs = [index(t) for t in node.outputs]
            self.steps.append((node.layer, ins, outs, multi))
            reads = ins if multi else [ins]
            self.needs_input_grad.append(
                not node.layer.can_skip_input_grad or any(i not in model_inputs for i in reads)
            )
        self.output_slots = [index(t) for t in self.outputs]
        self.n_slots = len(slot)
        self.step_options = self._relu_into_max_pooling()

    def _relu_into_max_pooling(self) -> list[dict[str, bool]]:
        """Forward keywords per step: a relu layer read only by a max pooling defers it.

        max(relu(z)) == relu(max(z)) exactly, and the gradient reaching a window's max
        is zeroed where that max is not positive, so the pooling can apply the relu
        to its output (4x smaller for 2x2 windows) and mask its gradient there, and
        the producer skips both passes over its full-size map. Intermediate values
        are never visible outside the graph unless they are model outputs, which
        are excluded.
        """
        options: list[dict[str, bool]] = [{} for _ in self.steps]
        readers: dict[int, int] = {}
        producer: dict[int, int] = {}
        for k, (_, ins, outs, multi) in enumerate(self.steps):
            for i in ins if multi else [ins]:
                readers[i] = readers.get(i, 0) + 1
            if len(outs) == 1:
                producer[outs[0]] = k
        model_outputs = set(self.output_slots)
        for k, (layer, ins, _, multi) in enumerate(self.steps):
            if multi or not getattr(layer, "accepts_relu_input", False):
                continue
            p = producer.get(ins)
            if p is None or ins in model_outputs or readers[ins] != 1:
                continue
            can_defer = getattr(self.steps[p][0], "can_defer_relu", None)
            if can_defer is not None and can_defer():
                options[p] = {"defer_relu": True}
                options[k] = {"relu_after": True}
        return options

    # -- execution -----------------------------------------------------------------
    def forward(
        self, inputs: Sequence[np.ndarray], training: bool = False, keep_context: bool = False
    ) -> tuple[list[np.ndarray], list[Any] | None]:
        values: list[Any] = [None] * self.n_slots
        for position, array in zip(self.input_slots, inputs, strict=True):
            values[position] = array
        contexts: list[Any] | None = [] if keep_context else None
        for (layer, ins, outs, multi), options in zip(self.steps, self.step_options, strict=True):
            x = [values[i] for i in ins] if multi else values[ins]
            if options:
                y, ctx = layer.forward(x, training, **options)
            else:
                y, ctx = layer.forward(x, training)
            if len(outs) == 1:
                values[outs[0]] = y
            else:
                for o, v in zip(outs, y, strict=True):
                    values[o] = v
            if contexts is not None:
                contexts.append(ctx)
        return [values[o] for o in self.output_slots], contexts

    def backward(
        self,
        contexts: list[Any],
        output_grads: Sequence[np.ndarray | None],
        add_weight_grad: Callable[[Any, np.ndarray], None],
    ) -> list[np.ndarray | None]:
        """Back-propagate; `add_weight_grad(variable, grad)` receives every weight gradient.

        Returns the gradients of the model inputs (None where a layer skipped them).
        """
        grads: list[Any] = [None] * self.n_slots
        for position, grad in zip(self.output_slots, output_grads, strict=True):
            _accumulate(grads, position, grad)
        for (layer, ins, outs, multi), ctx, needs_dx in zip(
            reversed(self.steps), reversed(contexts), reversed(self.needs_input_grad), strict=True
        ):
            if len(outs) == 1:
                dy = grads[outs[0]]
                if dy is None:
                    continue
            else:
                dy = [grads[o] for o in outs]
                if all(g is None for g in dy):
                    continue
            if needs_dx:
                dx, weight_grads = layer.backward(ctx, dy)
            else:
                dx, weight_grads = layer.backward(ctx, dy, input_grad=False)
            for variable, grad in zip(layer._weights, weight_grads, strict=False):
                if grad is not None and variable.trainable:
                    add_weight_grad(variable, grad)
            if dx is None:
                continue
            if multi:
                for i, g in zip(ins, dx, strict=True):
                    _accumulate(grads, i, g)
            else:
                _accumulate(grads, ins, dx)
        return [grads[i] for i in self.input_slots]


def _accumulate(grads: list[Any], position: int, grad: np.ndarray | None) -> None:
    if grad is None:
        return
    current = grads[position]
    grads[position] = grad if current is None else current + grad
