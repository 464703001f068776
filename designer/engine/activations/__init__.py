"""Activation functions (Keras 3 names, defaults and numerics) with fast backward.

Each built-in works on ndarrays (plain NumPy, no graph) and on autodiff Tensors
(recording itself as one primitive). `vjp_for(fn)` gives layers the matching
hand-written backward `(x, y, dy) -> dx`, reusing the output `y` where that is
cheaper; any other callable gets an autodiff fallback, so custom activations
written with `backend` ops train too. `backend` re-exports these very function
objects (`K.tanh is activations.tanh`), so both spellings hit the fast path.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, record
from designer.engine.registry import Registry

from . import numpy_ops as ops

Vjp = Callable[..., np.ndarray]


def _as_float(x: Any) -> np.ndarray:
    """Activations always compute in a float dtype (ints and scalars -> floatx)."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return x
    return np.asarray(x, dtype=autodiff.get_default_float())


def _apply(fwd: Callable, vjp: Vjp, x: Any, **kw: Any) -> Any:
    if isinstance(x, Tensor):
        xv = _as_float(x.value)
        y = fwd(xv, **kw)
        return record(y, (x,), lambda g: (vjp(xv, y, g, **kw),))
    return fwd(_as_float(x), **kw)


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
    return _apply(
        ops._relu_f,
        ops._relu_b,
        x,
        negative_slope=negative_slope,
        max_value=max_value,
        threshold=threshold,
    )


def relu6(x: Any) -> Any:
    """min(max(x, 0), 6)."""
    return _apply(ops._relu6_f, ops._relu6_b, x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """x if x > 0 else negative_slope * x."""
    return _apply(ops._leaky_f, ops._leaky_b, x, negative_slope=negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _apply(ops._elu_f, ops._elu_b, x, alpha=alpha)


def selu(x: Any) -> Any:
    """scale * elu(x, alpha) with the self-normalising constants."""
    return _apply(ops._selu_f, ops._selu_b, x)


def sigmoid(x: Any) -> Any:
    """1 / (1 + exp(-x)), computed without overflow."""
    return _apply(ops._sigmoid_f, ops._sigmoid_b, x)


def hard_sigmoid(x: Any) -> Any:
    """Keras 3 definition: relu6(x + 3) / 6 (Keras 2 used 0.2 * x + 0.5)."""
    return _apply(ops._hard_sigmoid_f, ops._hard_sigmoid_b, x)


def tanh(x: Any) -> Any:
    """Hyperbolic tangent."""
    return _apply(ops._tanh_f, ops._tanh_b, x)


def softmax(x: Any, axis: int = -1) -> Any:
    """exp(x) / sum(exp(x)) along `axis` (max-shifted for stability)."""
    return _apply(ops._softmax_f, ops._softmax_b, x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """log(softmax(x)) computed stably."""
    return _apply(ops._log_softmax_f, ops._log_softmax_b, x, axis=axis)


def softplus(x: Any) -> Any:
    """log(exp(x) + 1), stable for large |x|."""
    return _apply(ops._softplus_f, ops._softplus_b, x)


def softsign(x: Any) -> Any:
    """x / (|x| + 1)."""
    return _apply(ops._softsign_f, ops._softsign_b, x)


def exponential(x: Any) -> Any:
    """exp(x)."""
    return _apply(ops._exponential_f, ops._exponential_b, x)


def silu(x: Any) -> Any:
    """x * sigmoid(x) (also called swish)."""
    return _apply(ops._silu_f, ops._silu_b, x)


swish = silu


def gelu(x: Any, approximate: bool = False) -> Any:
    """x * Phi(x); the tanh approximation when `approximate=True` (Keras 3 default False)."""
    return _apply(ops._gelu_f, ops._gelu_b, x, approximate=approximate)


def hard_silu(x: Any) -> Any:
    """x * hard_sigmoid(x) (also called hard_swish)."""
    return _apply(ops._hard_silu_f, ops._hard_silu_b, x)


hard_swish = hard_silu


def mish(x: Any) -> Any:
    """x * tanh(softplus(x))."""
    return _apply(ops._mish_f, ops._mish_b, x)


_BUILTIN_VJPS: dict[Callable, Vjp] = {
    linear: ops._linear_b,
    relu: ops._relu_b,
    relu6: ops._relu6_b,
    leaky_relu: ops._leaky_b,
    elu: ops._elu_b,
    selu: ops._selu_b,
    sigmoid: ops._sigmoid_b,
    hard_sigmoid: ops._hard_sigmoid_b,
    tanh: ops._tanh_b,
    softmax: ops._softmax_b,
    log_softmax: ops._log_softmax_b,
    softplus: ops._softplus_b,
    softsign: ops._softsign_b,
    exponential: ops._exponential_b,
    silu: ops._silu_b,
    gelu: ops._gelu_b,
    hard_silu: ops._hard_silu_b,
    mish: ops._mish_b,
}

ALL_OBJECTS_DICT: dict[str, Callable] = {fn.__name__: fn for fn in _BUILTIN_VJPS}
ALL_OBJECTS_DICT["swish"] = silu
ALL_OBJECTS_DICT["hard_swish"] = hard_silu


REGISTRY = Registry(
    "activation function",
    "keras.activations",
    ALL_OBJECTS_DICT,
    default=linear,
    make=lambda fn, name: fn,
    adapt=lambda identifier: identifier if callable(identifier) else None,
    expected="a name ({names}), a callable or None",
)


def get(identifier: Any) -> Callable:
    """None -> linear, a name -> the function, a callable -> itself."""
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return REGISTRY.get(identifier)


def serialize(fn: Callable) -> str:
    """The registry name of a built-in, else the function's `__name__`."""
    return REGISTRY.name_of(fn) or getattr(fn, "__name__", type(fn).__name__)


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

    with contextlib.suppress(TypeError):  # not weak-referenceable: no cache
        _fallback_cache[fn] = fallback
    return fallback
