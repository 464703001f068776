"""The model's output over the plane of 2-D inputs: the Boundary tab's background.

As TensorFlow Playground: a grid over the data (with a margin) run through the
model; one output unit gives its value, several give the predicted class.
"""

from __future__ import annotations

from typing import Any

import numpy as np


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


def output_levels(activation: str | None, values: np.ndarray) -> tuple[float, float, float]:
    """(low, high, threshold) of one output unit for its activation: the colour scale."""
    if activation == "tanh":
        return -1.0, 1.0, 0.0
    if activation in ("sigmoid", "softmax", "hard_sigmoid"):
        return 0.0, 1.0, 0.5
    top = float(np.abs(values).max()) or 1.0
    return -top, top, 0.0
