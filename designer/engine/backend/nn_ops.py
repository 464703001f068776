"""Neural-network ops for `backend`: crossentropies, L2 normalisation, bias_add.

The crossentropies follow Keras 3's torch backend numerics (clip predictions to
[eps, 1 - eps]; categorical ones renormalise probabilities first) with the
Keras backend signature `(target, output, from_logits=False)`. They are
compositions of differentiable ops, so they work inside custom losses; the
`losses` module has separate hand-written kernels for the training fast path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine import activations
from designer.engine.autodiff import Tensor, value_of

from . import array_ops as A
from . import math_ops as M
from .config import epsilon


def check_sparse_labels(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """Integer class indices, or a ValueError naming the first bad label."""
    idx = labels.astype(np.intp, copy=False)
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        bad = idx[(idx < 0) | (idx >= num_classes)].flat[0]
        raise ValueError(
            f"Received a label value of {bad} which is outside the valid range "
            f"of [0, {num_classes}). A model with {num_classes} output classes "
            "needs integer labels 0 to "
            f"{num_classes - 1} (or one-hot labels with categorical_crossentropy)."
        )
    return idx


def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> Any:
    """Elementwise binary crossentropy (no reduction)."""
    out_v = np.asarray(value_of(output))
    t = M.to_array(value_of(target)).astype(
        out_v.dtype if out_v.dtype.kind == "f" else np.float32, copy=False
    )
    if np.shape(t) != out_v.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={np.shape(t)}, output.shape={out_v.shape}"
        )
    if from_logits:
        return M.maximum(output, 0.0) - output * t + M.log1p(M.exp(-M.abs(output)))
    eps = epsilon()
    o = M.clip(output, eps, 1.0 - eps)
    return -(t * M.log(o) + (1.0 - t) * M.log(1.0 - o))


def categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Any:
    """Crossentropy between one-hot (or soft) targets and predictions along `axis`."""
    out_v = np.asarray(value_of(output))
    t = M.to_array(value_of(target)).astype(out_v.dtype, copy=False)
    if t.shape != out_v.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={t.shape}, output.shape={out_v.shape}"
        )
    if from_logits:
        log_prob = activations.log_softmax(output, axis=axis)
    else:
        eps = epsilon()
        probs = output / M.sum(output, axis, keepdims=True)
        log_prob = M.log(M.clip(probs, eps, 1.0 - eps))
    return -M.sum(t * log_prob, axis)


def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> Any:
    """Crossentropy with integer targets; labels outside [0, classes) raise ValueError."""
    out_v = np.asarray(value_of(output))
    t = np.asarray(value_of(target))
    if t.ndim == out_v.ndim and t.shape[axis] == 1:
        t = np.squeeze(t, axis=axis)
    expected = out_v.shape[: axis % out_v.ndim] + out_v.shape[axis % out_v.ndim + 1 :]
    if t.shape != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until "
            f"the last dimension: target.shape={t.shape}, output.shape={out_v.shape}"
        )
    classes = out_v.shape[axis]
    onehot = np.moveaxis(
        np.eye(classes, dtype=out_v.dtype)[check_sparse_labels(t, classes)], -1, axis
    )
    return categorical_crossentropy(onehot, output, from_logits=from_logits, axis=axis)


def l2_normalize(x: Any, axis: Any = None) -> Any:
    """x / sqrt(max(sum(x**2), 1e-12)) along `axis` (all axes when None)."""
    ss = M.sum(M.square(x), axis, keepdims=True)
    return x / M.sqrt(M.maximum(ss, 1e-12))


def bias_add(x: Any, bias: Any, data_format: str | None = None) -> Any:
    """Add a per-channel bias (channel axis from `data_format`)."""
    from .config import normalize_data_format

    fmt = normalize_data_format(data_format)
    b = bias if isinstance(bias, Tensor) else M.to_array(value_of(bias))
    nd = np.ndim(value_of(x))
    if fmt == "channels_first" and nd > 2:
        bshape = np.shape(value_of(b))
        b = A.reshape(b, (1,) + tuple(bshape) + (1,) * (nd - 1 - len(bshape)))
    return x + b
