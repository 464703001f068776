"""Hand-written NumPy kernels for the built-in losses (the per-batch fast path).

Plain NumPy, no graph and no Numba (the Numba loops live in `engine/kernels/`).

A kernel takes rank-matched arrays `(y_true, y_pred, **params)` (y_true already
in y_pred's dtype) and returns `(per_sample_losses, back)`, where
`back(g)` maps the upstream gradient of the per-sample losses to
d/d(y_pred). Formulas follow Keras 3 (torch backend): where Keras clips
(crossentropies, KL, MSLE) the gradient is zero outside the clip range, as in
torch. Python-float constants keep float32 inputs in float32.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from designer.engine.activations.numpy_ops import _sigmoid
from designer.engine.backend.config import epsilon
from designer.engine.backend.nn_ops import check_sparse_labels

Back = Callable[[np.ndarray], np.ndarray]
_LOG2 = math.log(2.0)


def _gx(g: np.ndarray, scale: float, axis: int = -1) -> np.ndarray:
    """Upstream per-sample gradient with the reduced axis put back, times `scale`."""
    g = g[..., None] if axis == -1 else np.expand_dims(g, axis)  # the common case, cheaply
    return g * scale if scale != 1.0 else g


def _hinge_labels(y_true: np.ndarray) -> np.ndarray:
    """Keras 3: if every label is 0 or 1, map to -1/+1; otherwise leave as is."""
    if np.all((y_true == 0) | (y_true == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def mse(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    d = yp - yt
    k = d.shape[-1]
    return np.mean(d * d, axis=-1), lambda g: d * _gx(g, 2.0 / k)


def mae(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    d = yp - yt
    k = d.shape[-1]
    return np.mean(np.abs(d), axis=-1), lambda g: np.sign(d) * _gx(g, 1.0 / k)


def mape(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    d = yp - yt
    inv = 1.0 / np.maximum(np.abs(yt), epsilon())
    k = d.shape[-1]
    loss = 100.0 * np.mean(np.abs(d) * inv, axis=-1)
    return loss, lambda g: np.sign(d) * inv * _gx(g, 100.0 / k)


def msle(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    eps = epsilon()
    a = np.maximum(yp, eps) + 1.0
    d = np.log(a) - np.log(np.maximum(yt, eps) + 1.0)
    k = d.shape[-1]
    return np.mean(d * d, axis=-1), lambda g: (d / a) * (yp > eps) * _gx(g, 2.0 / k)


def hinge(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    yt = _hinge_labels(yt)
    m = 1.0 - yt * yp
    k = m.shape[-1]
    loss = np.mean(np.maximum(m, 0.0), axis=-1)
    return loss, lambda g: yt * (m > 0) * _gx(g, -1.0 / k)


def squared_hinge(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    yt = _hinge_labels(yt)
    h = np.maximum(1.0 - yt * yp, 0.0)
    k = h.shape[-1]
    return np.mean(h * h, axis=-1), lambda g: yt * h * _gx(g, -2.0 / k)


def categorical_hinge(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    pos = np.sum(yt * yp, axis=-1)
    other = (1.0 - yt) * yp
    neg = np.max(other, axis=-1)
    z = neg - pos + 1.0

    def back(g: np.ndarray) -> np.ndarray:
        at_max = other == neg[..., None]  # ties share the max's gradient, as torch.amax
        share = (1.0 - yt) * at_max / np.sum(at_max, axis=-1, keepdims=True, dtype=yp.dtype)
        return (share - yt) * _gx(g * (z > 0), 1.0)

    return np.maximum(z, 0.0), back


def kl_divergence(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    eps = epsilon()
    t = np.clip(yt, eps, 1.0)
    p = np.clip(yp, eps, 1.0)
    loss = np.sum(t * np.log(t / p), axis=-1)
    return loss, lambda g: (t / p) * ((yp >= eps) & (yp <= 1.0)) * _gx(g, -1.0)


def poisson(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    q = yp + epsilon()
    k = yp.shape[-1]
    loss = np.mean(yp - yt * np.log(q), axis=-1)
    return loss, lambda g: (1.0 - yt / q) * _gx(g, 1.0 / k)


def cosine_similarity(yt: np.ndarray, yp: np.ndarray, axis: int = -1) -> tuple[np.ndarray, Back]:
    eps = epsilon()
    norm_p = np.sqrt(np.sum(yp * yp, axis=axis, keepdims=True))
    inv_p = 1.0 / np.maximum(norm_p, eps)  # = min(rsqrt(sum x^2), 1/eps), Keras' normalize
    inv_t = 1.0 / np.maximum(np.sqrt(np.sum(yt * yt, axis=axis, keepdims=True)), eps)
    up, ut = yp * inv_p, yt * inv_t
    loss = -np.sum(ut * up, axis=axis)

    def back(g: np.ndarray) -> np.ndarray:
        u = ut * _gx(g, -1.0, axis)
        radial = np.sum(u * up, axis=axis, keepdims=True) * (norm_p > eps)
        return inv_p * (u - up * radial)

    return loss, back


def huber(yt: np.ndarray, yp: np.ndarray, delta: float = 1.0) -> tuple[np.ndarray, Back]:
    e = yp - yt
    a = np.abs(e)
    k = e.shape[-1]
    loss = np.mean(np.where(a <= delta, 0.5 * e * e, delta * a - 0.5 * delta * delta), axis=-1)
    return loss.astype(yp.dtype, copy=False), lambda g: np.clip(e, -delta, delta) * _gx(g, 1.0 / k)


def log_cosh(yt: np.ndarray, yp: np.ndarray) -> tuple[np.ndarray, Back]:
    x = yp - yt
    k = x.shape[-1]
    loss = np.mean(x + np.logaddexp(-2.0 * x, 0.0) - _LOG2, axis=-1)
    return loss, lambda g: np.tanh(x) * _gx(g, 1.0 / k)


def binary_crossentropy(
    yt: np.ndarray,
    yp: np.ndarray,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> tuple[np.ndarray, Back]:
    if label_smoothing:
        yt = yt * (1.0 - label_smoothing) + 0.5 * label_smoothing
    k = yp.shape[axis]
    if from_logits:
        per = np.maximum(yp, 0.0) - yp * yt + np.log1p(np.exp(-np.abs(yp)))
        return np.mean(per, axis=axis), lambda g: (_sigmoid(yp) - yt) * _gx(g, 1.0 / k, axis)
    eps = epsilon()
    o = np.clip(yp, eps, 1.0 - eps)
    per = yt * np.log(o)
    per += (1.0 - yt) * np.log(1.0 - o)

    def back(g: np.ndarray) -> np.ndarray:
        inside = (yp >= eps) & (yp <= 1.0 - eps)
        return (o - yt) / (o * (1.0 - o)) * inside * _gx(g, 1.0 / k, axis)

    return np.mean(per, axis=axis) * -1.0, back


def _smooth(yt: np.ndarray, label_smoothing: float) -> np.ndarray:
    if not label_smoothing:
        return yt
    return yt * (1.0 - label_smoothing) + label_smoothing / yt.shape[-1]


def categorical_crossentropy(
    yt: np.ndarray,
    yp: np.ndarray,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> tuple[np.ndarray, Back]:
    if yt.shape != yp.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={yt.shape}, output.shape={yp.shape}. For integer labels "
            "use sparse_categorical_crossentropy."
        )
    yt = _smooth(yt, label_smoothing)
    if from_logits:
        shifted = yp - np.max(yp, axis=axis, keepdims=True)
        e = np.exp(shifted)
        se = np.sum(e, axis=axis, keepdims=True)
        loss = -np.sum(yt * (shifted - np.log(se)), axis=axis)

        def back_logits(g: np.ndarray) -> np.ndarray:
            p = e / se
            return (p * np.sum(yt, axis=axis, keepdims=True) - yt) * _gx(g, 1.0, axis)

        return loss, back_logits
    eps = epsilon()
    s = np.sum(yp, axis=axis, keepdims=True)
    q = yp / s
    c = np.clip(q, eps, 1.0 - eps)
    loss = -np.sum(yt * np.log(c), axis=axis)

    def back(g: np.ndarray) -> np.ndarray:
        h = (yt / c) * ((q >= eps) & (q <= 1.0 - eps)) * _gx(g, -1.0, axis)  # dL/dq
        return (h - np.sum(h * q, axis=axis, keepdims=True)) / s

    return loss, back


def sparse_categorical_crossentropy(
    yt: np.ndarray, yp: np.ndarray, from_logits: bool = False, axis: int = -1
) -> tuple[np.ndarray, Back]:
    if yt.ndim == yp.ndim and yt.shape[axis] == 1:
        yt = np.squeeze(yt, axis=axis)
    moved = axis % yp.ndim != yp.ndim - 1
    if moved:
        yp = np.moveaxis(yp, axis, -1)
    if yt.shape != yp.shape[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the "
            f"last dimension: target.shape={yt.shape}, output.shape={yp.shape}"
        )
    classes = yp.shape[-1]
    labels = check_sparse_labels(yt, classes).reshape(-1)
    p2 = yp.reshape(-1, classes)
    rows = np.arange(p2.shape[0])
    if from_logits:
        shifted = p2 - np.max(p2, axis=-1, keepdims=True)
        e = np.exp(shifted)
        se = np.sum(e, axis=-1)
        loss = np.log(se) - shifted[rows, labels]

        def back2(g: np.ndarray) -> np.ndarray:
            g = np.reshape(g, -1)
            grad = e * (g / se)[:, None]
            grad[rows, labels] -= g
            return grad
    else:
        eps = epsilon()
        s = np.sum(p2, axis=-1)
        q = p2[rows, labels] / s
        c = np.clip(q, eps, 1.0 - eps)
        loss = -np.log(c)

        def back2(g: np.ndarray) -> np.ndarray:
            gq = -np.reshape(g, -1) / c * ((q >= eps) & (q <= 1.0 - eps)) / s  # dL/dq / s
            grad = np.repeat((-gq * q)[:, None], classes, axis=1)
            grad[rows, labels] += gq
            return grad

    out_shape = yp.shape[:-1]

    def back(g: np.ndarray) -> np.ndarray:
        grad = back2(g).reshape(yp.shape)
        return np.moveaxis(grad, -1, axis) if moved else grad

    return loss.reshape(out_shape), back
