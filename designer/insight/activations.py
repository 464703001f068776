"""Every layer's output for one input: what the Activations tab draws.

Vectors are drawn as bars; image-shaped outputs (a convolution's feature maps) as
one picture per channel, so `feature_maps` says which is which.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.insight.trace import sample_batch

MAX_CHANNELS = 36
"""At most this many feature maps of one output are drawn."""


def layer_outputs(model: Any, x: Any) -> list[tuple[str, str, np.ndarray]]:
    """(layer name, type, output for this one sample) for every layer call, in order."""
    return [
        (layer.name, type(layer).__name__, np.asarray(made[0])[0])
        for layer, _, made in model.layer_calls(sample_batch(model, x))
    ]


def feature_maps(values: np.ndarray) -> np.ndarray | None:
    """(h, w, c) or (h, w) outputs as (c, h, w) maps; None for vectors."""
    if values.ndim == 3 and min(values.shape[:2]) > 1:
        return np.moveaxis(values, -1, 0)[:MAX_CHANNELS]
    if values.ndim == 2 and min(values.shape) > 1:
        return values[None]
    return None
