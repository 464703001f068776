"""Follow one input through every layer, as the weights tutorial does by hand.

For a Dense layer the step shows the weighted sum (x · W), the bias added and the
activation applied; every other layer shows its input and output. The numbers come
from the engine's own layers run on that one sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from designer.engine import activations


@dataclass
class LayerStep:
    layer_name: str
    layer_type: str
    inputs: list[np.ndarray]  # one sample each (batch axis removed)
    output: np.ndarray
    weighted_sum: np.ndarray | None = None  # Dense: x · W
    bias: np.ndarray | None = None  # Dense: b
    pre_activation: np.ndarray | None = None  # Dense: x · W + b
    activation: str | None = None


def _sample(x: Any, shape: tuple) -> np.ndarray:
    array = np.asarray(x, dtype=np.float32)
    if array.shape == tuple(shape[1:]):
        array = array[None]
    return array


def trace_input(model: Any, x: Any) -> list[LayerStep]:
    """One `LayerStep` per layer call, in execution order, for one input sample."""
    graph = model.graph
    inputs = x if isinstance(x, (list, tuple)) and len(graph.inputs) > 1 else [x]
    values: list[Any] = [None] * graph.n_slots
    for slot, tensor, value in zip(graph.input_slots, graph.inputs, inputs, strict=True):
        values[slot] = _sample(value, tensor.shape)
    steps = []
    for layer, ins, outs, multi in graph.steps:
        given = [values[i] for i in ins] if multi else values[ins]
        y, _ = layer.forward(given, False)
        outputs = y if len(outs) > 1 else [y]
        for slot, value in zip(outs, outputs, strict=True):
            values[slot] = value
        step = LayerStep(
            layer.name,
            type(layer).__name__,
            [g[0] for g in (given if multi else [given])],
            np.asarray(outputs[0])[0],
        )
        if type(layer).__name__ == "Dense":
            kernel = layer.kernel.value
            x_row = step.inputs[0].reshape(-1, kernel.shape[0])
            step.weighted_sum = (x_row @ kernel).reshape(step.output.shape)
            step.bias = None if layer.bias is None else layer.bias.value.copy()
            step.pre_activation = step.weighted_sum + (0 if step.bias is None else step.bias)
            step.activation = activations.serialize(layer.activation)
        steps.append(step)
    return steps


def layer_outputs(model: Any, x: Any) -> list[tuple[str, str, np.ndarray]]:
    """(layer name, type, output for this one sample) for every layer: the activations view."""
    return [(s.layer_name, s.layer_type, s.output) for s in trace_input(model, x)]


def decision_grid(
    model: Any, x: np.ndarray, resolution: int = 100, margin: float = 0.1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model's first output over the plane of 2-D inputs `x` (TensorFlow Playground).

    Returns the grid's x and y coordinates and the outputs, shape (resolution, resolution).
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"A decision boundary needs 2-D inputs; the data has shape {x.shape}.")
    low, high = x.min(axis=0), x.max(axis=0)
    pad = (high - low) * margin + 1e-6
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution, dtype=np.float32)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution, dtype=np.float32)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    out = model.predict(grid, batch_size=4096, verbose=0)
    out = out[0] if isinstance(out, list) else out
    out = out.reshape(len(grid), -1)
    values = out[:, 0] if out.shape[1] == 1 else out.argmax(axis=1).astype(np.float32)
    return xs, ys, values.reshape(resolution, resolution)
