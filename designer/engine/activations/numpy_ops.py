"""Forward kernels and hand-written VJPs `(x, y, dy, **params) -> dx` of the activations.

Plain NumPy on float arrays (no graph, no Numba: the Numba loops live in
`engine/kernels/`); Python-float constants keep float32 in float32.
Backward passes reuse the output `y` where that is cheaper (tanh, sigmoid,
softmax, elu, exponential).
"""

from __future__ import annotations

import math

import numpy as np

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp(-|x|) never overflows; both branches keep full relative precision.
    e = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + e)
    return np.where(x >= 0, r, e * r)


def _phi(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF via erfc (Abramowitz & Stegun 7.1.26, |err| < 1.5e-7).

    NumPy has no erf; computing the tail directly keeps relative precision for
    very negative x (gelu(-5) stays accurate).
    """
    z = np.abs(x) * _INV_SQRT_2
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    half_erfc = 0.5 * poly * np.exp(-z * z)
    return np.where(x >= 0, 1.0 - half_erfc, half_erfc)


def _linear_f(x):
    return x


def _linear_b(x, y, dy):
    return dy


def _relu_f(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return np.maximum(x, 0)
    pos = np.where(x > threshold, x, 0) if threshold != 0 else np.maximum(x, 0)
    if max_value is not None:
        pos = np.clip(pos, 0, max_value)
    if negative_slope != 0.0:
        pos = pos - negative_slope * np.maximum(threshold - x, 0)
    return pos.astype(x.dtype, copy=False)


def _relu_b(x, y, dy, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return dy * (x > 0)
    d = x > threshold
    if max_value is not None:
        d &= x <= max_value
    d = d.astype(dy.dtype)
    if negative_slope != 0.0:
        d += negative_slope * (x < threshold)
    return dy * d


def _relu6_f(x):
    return np.clip(x, 0, 6)


def _relu6_b(x, y, dy):
    return dy * ((x > 0) & (x < 6))


def _leaky_f(x, negative_slope=0.2):
    return np.where(x > 0, x, x * negative_slope)


def _leaky_b(x, y, dy, negative_slope=0.2):
    return np.where(x > 0, dy, dy * negative_slope)


def _elu_f(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_b(x, y, dy, alpha=1.0):
    return np.where(x > 0, dy, dy * (y + alpha))


def _selu_f(x):
    return _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0)))


def _selu_b(x, y, dy):
    return np.where(x > 0, _SELU_SCALE * dy, dy * (y + _SELU_SCALE * _SELU_ALPHA))


def _sigmoid_f(x):
    return _sigmoid(x)


def _sigmoid_b(x, y, dy):
    d = 1.0 - y
    d *= y
    d *= dy
    return d


def _hard_sigmoid_f(x):
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _hard_sigmoid_b(x, y, dy):
    return dy * ((x > -3) & (x < 3)) / 6.0


def _tanh_f(x):
    return np.tanh(x)


def _tanh_b(x, y, dy):
    d = y * y
    np.subtract(1.0, d, out=d)
    d *= dy
    return d


def _softmax_f(x, axis=-1):
    e = x - np.max(x, axis=axis, keepdims=True)
    np.exp(e, out=e)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _softmax_b(x, y, dy, axis=-1):
    d = dy * y
    s = np.sum(d, axis=axis, keepdims=True)
    d -= y * s
    return d


def _log_softmax_f(x, axis=-1):
    s = x - np.max(x, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _log_softmax_b(x, y, dy, axis=-1):
    return dy - np.exp(y) * np.sum(dy, axis=axis, keepdims=True)


def _softplus_f(x):
    return np.logaddexp(x, 0)


def _softplus_b(x, y, dy):
    return dy * _sigmoid(x)


def _softsign_f(x):
    return x / (1.0 + np.abs(x))


def _softsign_b(x, y, dy):
    d = 1.0 + np.abs(x)
    d *= d
    return dy / d


def _exponential_f(x):
    return np.exp(x)


def _exponential_b(x, y, dy):
    return dy * y


def _silu_f(x):
    return x * _sigmoid(x)


def _silu_b(x, y, dy):
    s = _sigmoid(x)
    return dy * (s + y * (1.0 - s))


def _gelu_f(x, approximate=False):
    if approximate:
        u = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
        return 0.5 * x * (1.0 + np.tanh(u))
    return (x * _phi(x)).astype(x.dtype, copy=False)


def _gelu_b(x, y, dy, approximate=False):
    if approximate:
        t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3))
        du = _SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x)
        return dy * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * x * x)
    return (dy * (_phi(x) + x * pdf)).astype(dy.dtype, copy=False)


def _hard_silu_f(x):
    return x * np.clip(x / 6.0 + 0.5, 0.0, 1.0)


def _hard_silu_b(x, y, dy):
    d = np.where(x < -3, 0.0, np.where(x > 3, 1.0, x / 3.0 + 0.5))
    return dy * d.astype(dy.dtype, copy=False)


def _mish_f(x):
    return x * np.tanh(np.logaddexp(x, 0))


def _mish_b(x, y, dy):
    t = np.tanh(np.logaddexp(x, 0))
    return dy * (t + x * (1.0 - t * t) * _sigmoid(x))
