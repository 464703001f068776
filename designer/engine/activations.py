"""Activation functions (Keras 3 names, defaults and numerics) with fast backward.

Each built-in works on ndarrays (plain NumPy, no graph) and on autodiff Tensors
(recording itself as one primitive). `vjp_for(fn)` gives layers the matching
hand-written backward `(x, y, dy) -> dx`, reusing the output `y` where that is
cheaper; any other callable gets an autodiff fallback, so custom activations
written with `backend` ops train too. `backend` re-exports these very function
objects (`K.tanh is activations.tanh`), so both spellings hit the fast path.
"""

from __future__ import annotations

import math
import weakref
from typing import Any, Callable

import numpy as np

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, record

Vjp = Callable[..., np.ndarray]

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _as_float(x: Any) -> np.ndarray:
    """Activations always compute in a float dtype (ints and scalars -> floatx)."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return x
    return np.asarray(x, dtype=autodiff.default_float)


def _apply(fwd: Callable, vjp: Vjp, x: Any, **kw: Any) -> Any:
    if isinstance(x, Tensor):
        xv = _as_float(x.value)
        y = fwd(xv, **kw)
        return record(y, (x,), lambda g: (vjp(xv, y, g, **kw),))
    return fwd(_as_float(x), **kw)


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
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
           + t * (-1.453152027 + t * 1.061405429))))
    half_erfc = 0.5 * poly * np.exp(-z * z)
    return np.where(x >= 0, 1.0 - half_erfc, half_erfc)


# --- forward kernels and their vector-Jacobian products (x, y, dy) -> dx ----

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


# --- public functions (the objects users and layers compare against) --------

def linear(x: Any) -> Any:
    """Identity; what `activation=None` means."""
    if isinstance(x, Tensor):
        return x
    return _as_float(x)


def relu(
    x: Any,
    negative_slope: float = 0.0,
    max_value: float | None = None,
    threshold: float = 0.0,
    *,
    alpha: float | None = None,
) -> Any:
    """max(x, 0), with Keras' optional leak, cap and threshold.

    `alpha` is the Keras 1/2 (`K.relu`) spelling of `negative_slope`.
    """
    if alpha is not None:
        negative_slope = alpha
    return _apply(_relu_f, _relu_b, x, negative_slope=negative_slope,
                  max_value=max_value, threshold=threshold)


def relu6(x: Any) -> Any:
    """min(max(x, 0), 6)."""
    return _apply(_relu6_f, _relu6_b, x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """x if x > 0 else negative_slope * x."""
    return _apply(_leaky_f, _leaky_b, x, negative_slope=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _apply(_elu_f, _elu_b, x, alpha=alpha)


def selu(x: Any) -> Any:
    """scale * elu(x, alpha) with the self-normalising constants."""
    return _apply(_selu_f, _selu_b, x)


def sigmoid(x: Any) -> Any:
    """1 / (1 + exp(-x)), computed without overflow."""
    return _apply(_sigmoid_f, _sigmoid_b, x)


def hard_sigmoid(x: Any) -> Any:
    """Keras 3 definition: relu6(x + 3) / 6 (Keras 2 used 0.2 * x + 0.5)."""
    return _apply(_hard_sigmoid_f, _hard_sigmoid_b, x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent."""
    return _apply(_tanh_f, _tanh_b, x)


def softmax(x: Any, axis: int = -1) -> Any:
    """exp(x) / sum(exp(x)) along `axis` (max-shifted for stability)."""
    return _apply(_softmax_f, _softmax_b, x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """log(softmax(x)) computed stably."""
    return _apply(_log_softmax_f, _log_softmax_b, x, axis=axis)


def softplus(x: Any) -> Any:
    """log(exp(x) + 1), stable for large |x|."""
    return _apply(_softplus_f, _softplus_b, x)


def softsign(x: Any) -> Any:
    """x / (|x| + 1)."""
    return _apply(_softsign_f, _softsign_b, x)


def exponential(x: Any) -> Any:
    """exp(x)."""
    return _apply(_exponential_f, _exponential_b, x)


def silu(x: Any) -> Any:
    """x * sigmoid(x) (also called swish)."""
    return _apply(_silu_f, _silu_b, x)


swish = silu


def gelu(x: Any, approximate: bool = False) -> Any:
    """x * Phi(x); the tanh approximation when `approximate=True` (Keras 3 default False)."""
    return _apply(_gelu_f, _gelu_b, x, approximate=approximate)


def hard_silu(x: Any) -> Any:
    """x * hard_sigmoid(x) (also called hard_swish)."""
    return _apply(_hard_silu_f, _hard_silu_b, x)


hard_swish = hard_silu


def mish(x: Any) -> Any:
    """x * tanh(softplus(x))."""
    return _apply(_mish_f, _mish_b, x)


_BUILTIN_VJPS: dict[Callable, Vjp] = {
    linear: _linear_b,
    relu: _relu_b,
    relu6: _relu6_b,
    leaky_relu: _leaky_b,
    elu: _elu_b,
    selu: _selu_b,
    sigmoid: _sigmoid_b,
    hard_sigmoid: _hard_sigmoid_b,
    tanh: _tanh_b,
    softmax: _softmax_b,
    log_softmax: _log_softmax_b,
    softplus: _softplus_b,
    softsign: _softsign_b,
    exponential: _exponential_b,
    silu: _silu_b,
    gelu: _gelu_b,
    hard_silu: _hard_silu_b,
    mish: _mish_b,
}

ALL_OBJECTS_DICT: dict[str, Callable] = {fn.__name__: fn for fn in _BUILTIN_VJPS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


def _valid_names() -> str:
    return ", ".join(sorted(ALL_OBJECTS_DICT))


def get(identifier: Any) -> Callable:
    """None -> linear, a name -> the function, a callable -> itself."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        fn = ALL_OBJECTS_DICT.get(identifier)
        if fn is None:
            raise ValueError(
                f"Could not interpret activation function identifier: "
                f"{identifier!r}. Valid names are: {_valid_names()}."
            )
        return fn
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret activation function identifier: {identifier!r}. "
        f"Expected a name ({_valid_names()}), a callable or None."
    )


def serialize(fn: Callable) -> str:
    """The registry name of a built-in, else the function's `__name__`."""
    for name, obj in ALL_OBJECTS_DICT.items():
        if obj is fn and name not in ("swish", "hard_swish"):
            return name
    return getattr(fn, "__name__", type(fn).__name__)


def deserialize(config: Any, custom_objects: dict[str, Callable] | None = None) -> Callable:
    """Inverse of `serialize`; also accepts Keras' `{"class_name": "function", "config": name}`."""
    if isinstance(config, dict):
        config = config.get("config", config.get("class_name"))
    if custom_objects and config in custom_objects:
        return custom_objects[config]
    return get(config)


def is_builtin(fn: Callable) -> bool:
    return fn in _BUILTIN_VJPS


_fallback_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def vjp_for(fn: Callable) -> Vjp:
    """The backward `(x, y, dy) -> dx` for activation `fn`.

    Built-ins get their hand-written VJP (keyword arguments such as
    `max_value=` or `axis=` are accepted and must match the forward call).
    Other callables get an autodiff fallback that re-runs `fn` on a Tensor, so it
    must be built from `backend`/`activations` ops; it is cached per function.
    """
    builtin = _BUILTIN_VJPS.get(fn)
    if builtin is not None:
        return builtin
    try:
        cached = _fallback_cache.get(fn)
    except TypeError:  # not weak-referenceable
        cached = None
    if cached is not None:
        return cached

    def fallback(x: np.ndarray, y: np.ndarray, dy: np.ndarray, **kw: Any) -> np.ndarray:
        try:
            _, pullback = autodiff.vjp(lambda t: fn(t, **kw), (x,))
        except TypeError as exc:
            name = getattr(fn, "__name__", repr(fn))
            raise TypeError(
                f"Activation {name!r} could not be differentiated: custom activations must "
                "be written with backend ops (`from designer.engine import backend as K`; "
                f"K.tanh, K.exp, ...), not NumPy functions. Original error: {exc}"
            ) from exc
        return pullback(dy)[0].astype(dy.dtype, copy=False)

    try:
        _fallback_cache[fn] = fallback
    except TypeError:
        pass
    return fallback
