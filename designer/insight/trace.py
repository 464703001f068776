"""Follow one input through every layer, as the weights tutorial does by hand.

For a Dense layer the step shows the weighted sum (x · W), the bias added and the
activation applied; every other layer shows its input and output. The numbers come
from the engine's own layers run on that one sample (`Model.layer_calls`).
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


def sample_batch(model: Any, x: Any) -> list[np.ndarray]:
    """One sample (or a list, one per model input) as a batch of one per input."""
    tensors = model.inputs
    parts = x if isinstance(x, (list, tuple)) and len(tensors) > 1 else [x]
    return [_sample(part, t.shape) for part, t in zip(parts, tensors, strict=True)]


def trace_input(model: Any, x: Any) -> list[LayerStep]:
    """One `LayerStep` per layer call, in execution order, for one input sample."""
    steps = []
    for layer, given, made in model.layer_calls(sample_batch(model, x)):
        step = LayerStep(
            layer.name,
            type(layer).__name__,
            [g[0] for g in given],
            np.asarray(made[0])[0],
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
