"""Elementwise math, reductions and comparisons for `backend` (Keras 2 `K.` names).

Each op takes ndarrays, Python scalars or Tensors. With any Tensor input it
records one autodiff primitive; otherwise it is plain NumPy. Comparisons,
argmax/argmin and any/all return plain arrays: they carry no gradient.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, binary_op, coerce_pair, record, value_of

from .config import floatx


def to_array(x: Any) -> np.ndarray:
    """ndarray view of any input; Python floats and float lists become floatx."""
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, Tensor):
        return x.value
    arr = np.asarray(x)
    if arr.dtype == np.float64 and not isinstance(x, (np.ndarray, np.generic)):
        arr = arr.astype(floatx())
    return arr


def to_float(x: Any) -> np.ndarray:
    """Like `to_array`, but ints and bools become floatx (for float-valued ops)."""
    arr = to_array(x)
    return arr if arr.dtype.kind == "f" else arr.astype(floatx())


def _operand(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x.value
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, np.generic):
        return x.item()
    return to_array(x)


def _unary(name: str, fwd: Callable, vjp: Callable, doc: str) -> Callable[[Any], Any]:
    """Build an op from `fwd(x)` and `vjp(g, x, y)`."""

    def op(x: Any) -> Any:
        if isinstance(x, Tensor):
            xv = to_float(x.value)
            y = fwd(xv)
            return record(y, (x,), lambda g: (vjp(g, xv, y),))
        return fwd(to_float(x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _nondiff(name: str, fwd: Callable, doc: str, float_input: bool = True) -> Callable:
    """An op with zero gradient: returns a constant Tensor for Tensor input."""

    def op(x: Any) -> Any:
        conv = to_float if float_input else to_array
        y = fwd(conv(x))
        return Tensor(y) if isinstance(x, Tensor) else y

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _binary(name: str, fwd: Callable, da: Callable, db: Callable, doc: str) -> Callable:
    def op(a: Any, b: Any) -> Any:
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            return binary_op(a, b, fwd, da, db)
        return _floatx_result(fwd, _operand(a), _operand(b))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


def _floatx_result(fwd: Callable, a: Any, b: Any) -> Any:
    """Apply `fwd`; float64 that came only from Python scalars becomes floatx."""
    a, b = coerce_pair(a, b)
    out = np.asarray(fwd(a, b))
    if out.dtype == np.float64 and not (
        (isinstance(a, np.ndarray) and a.dtype == np.float64)
        or (isinstance(b, np.ndarray) and b.dtype == np.float64)
    ):
        out = out.astype(floatx())
    return out


def _safe_div(num: np.ndarray, den: np.ndarray, where: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(num, den).shape, dtype=np.result_type(num, den))
    return np.divide(num, den, out=out, where=where)


square = _unary("square", np.square, lambda g, x, y: g * (2 * x), "x ** 2.")
exp = _unary("exp", np.exp, lambda g, x, y: g * y, "e ** x.")
log = _unary("log", np.log, lambda g, x, y: g / x, "Natural logarithm.")
log1p = _unary("log1p", np.log1p, lambda g, x, y: g / (1 + x), "log(1 + x), exact for small x.")
abs = _unary("abs", np.abs, lambda g, x, y: g * np.sign(x), "|x|.")
sin = _unary("sin", np.sin, lambda g, x, y: g * np.cos(x), "Sine.")
cos = _unary("cos", np.cos, lambda g, x, y: -g * np.sin(x), "Cosine.")
sqrt = _unary(
    "sqrt",
    lambda x: np.sqrt(np.maximum(x, 0)),
    lambda g, x, y: _safe_div(0.5 * g, y, y > 0),
    "sqrt(max(x, 0)); negative inputs give 0 as in Keras 2, with zero gradient.",
)
sign = _nondiff("sign", np.sign, "-1, 0 or 1 (zero gradient).")
round = _nondiff("round", np.round, "Round half to even (zero gradient).")


def pow(x: Any, a: Any) -> Any:
    """x ** a (either may be a Tensor)."""
    if isinstance(x, Tensor) or isinstance(a, Tensor):
        return (x if isinstance(x, Tensor) else Tensor(to_array(x))) ** a
    return np.power(to_float(x), _operand(a))


def _max_grad(g: Any, a: Any, b: Any, out: Any, first: bool) -> Any:
    """Ties split the gradient in half, like torch.maximum/minimum."""
    a, b = np.asarray(a), np.asarray(b)
    win = (a == out) if first else (b == out)
    return np.where(a == b, 0.5 * g, g * win)


maximum = _binary(
    "maximum",
    np.maximum,
    lambda g, a, b, o: _max_grad(g, a, b, o, True),
    lambda g, a, b, o: _max_grad(g, a, b, o, False),
    "Elementwise max of two inputs.",
)
minimum = _binary(
    "minimum",
    np.minimum,
    lambda g, a, b, o: _max_grad(g, a, b, o, True),
    lambda g, a, b, o: _max_grad(g, a, b, o, False),
    "Elementwise min of two inputs.",
)


def clip(x: Any, min_value: Any, max_value: Any) -> Any:
    """Clamp to [min_value, max_value]; None means unbounded (Keras 2 rules)."""
    lo = -np.inf if min_value is None else _operand(min_value)
    hi = np.inf if max_value is None else _operand(max_value)
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and hi < lo:
        hi = lo
    if isinstance(x, Tensor):
        xv = x.value
        y = np.clip(xv, lo, hi).astype(xv.dtype, copy=False)
        return record(y, (x,), lambda g: (g * ((xv >= lo) & (xv <= hi)),))
    xv = to_array(x)
    return np.clip(xv, lo, hi).astype(xv.dtype, copy=False)


def where(condition: Any, x: Any, y: Any) -> Any:
    """x where condition else y (Keras 3 `ops.where`); condition has no gradient."""
    cond = np.asarray(value_of(condition)).astype(bool, copy=False)
    if not (isinstance(x, Tensor) or isinstance(y, Tensor)):
        return _floatx_result(lambda a, b: np.where(cond, a, b), _operand(x), _operand(y))
    return binary_op(
        x,
        y,
        lambda a, b: np.where(cond, a, b),
        lambda g, a, b, o: np.where(cond, g, 0).astype(g.dtype, copy=False),
        lambda g, a, b, o: np.where(cond, 0, g).astype(g.dtype, copy=False),
    )


def switch(condition: Any, then_expression: Any, else_expression: Any) -> Any:
    """Keras 2 `switch`: a scalar condition picks a branch (callables allowed);
    a tensor condition selects elementwise, padded with trailing axes."""
    cond = np.asarray(value_of(condition))
    if cond.ndim == 0:
        chosen = then_expression if bool(cond) else else_expression
        return chosen() if callable(chosen) else chosen
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    expr_ndim = np.ndim(value_of(then_expression))
    if cond.ndim > expr_ndim:
        raise ValueError(
            "Rank of `condition` should be less than or equal to rank of "
            f"`then_expression` and `else_expression`. ndim(condition)={cond.ndim}, "
            f"ndim(then_expression)={expr_ndim}"
        )
    cond = cond.reshape(cond.shape + (1,) * (expr_ndim - cond.ndim))
    return where(cond, then_expression, else_expression)


# --- reductions -------------------------------------------------------------


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    return autodiff.norm_axis(axis, ndim)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Sum over `axis` (None: all axes)."""
    if isinstance(x, Tensor):
        return autodiff.reduce_sum(x, axis, keepdims)
    xv = to_array(x)
    return np.asarray(np.sum(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Mean over `axis`; bool/int input is averaged in floatx."""
    if isinstance(x, Tensor):
        return autodiff.reduce_mean(x, axis, keepdims)
    xv = to_float(x)
    return np.asarray(np.mean(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))


def _extremum(x: Any, axis: Any, keepdims: bool, fn: Callable) -> Any:
    if not isinstance(x, Tensor):
        xv = to_array(x)
        return np.asarray(fn(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))
    xv = x.value
    axes = _axes(axis, xv.ndim)
    out_k = fn(xv, axis=axes, keepdims=True)
    out = out_k if keepdims else np.squeeze(out_k, axis=axes)

    def back(g: np.ndarray) -> tuple[np.ndarray]:
        mask = (xv == out_k).astype(g.dtype)  # ties share the gradient (torch amax)
        mask /= np.sum(mask, axis=axes, keepdims=True)
        return (mask * autodiff.keep_reduced(g, axes, keepdims),)

    return record(out, (x,), back)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Maximum over `axis`."""
    return _extremum(x, axis, keepdims, np.max)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Minimum over `axis`."""
    return _extremum(x, axis, keepdims, np.min)


def prod(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Product over `axis` (gradient exact even with zeros in the input)."""
    if not isinstance(x, Tensor):
        xv = to_array(x)
        return np.asarray(np.prod(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))
    xv = x.value
    axes = _axes(axis, xv.ndim)
    out = np.prod(xv, axis=axes, keepdims=keepdims)

    def back(g: np.ndarray) -> tuple[np.ndarray]:
        # product of all the *other* elements = exclusive prefix * exclusive suffix
        rest = [i for i in range(xv.ndim) if i not in axes]
        moved = np.transpose(xv, [*rest, *axes])
        flat = moved.reshape((*moved.shape[: len(rest)], -1))
        ones = np.ones((*flat.shape[:-1], 1), dtype=flat.dtype)
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
        right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]
        others = np.transpose((left * right).reshape(moved.shape), np.argsort([*rest, *axes]))
        return (others * autodiff.keep_reduced(g, axes, keepdims),)

    return record(out, (x,), back)


def var(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Population variance over `axis`."""
    if not isinstance(x, Tensor):
        xv = to_float(x)
        return np.asarray(np.var(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))
    centered = x - autodiff.reduce_mean(x, axis, True)
    return autodiff.reduce_mean(centered * centered, axis, keepdims)


def std(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Population standard deviation over `axis`."""
    if not isinstance(x, Tensor):
        xv = to_float(x)
        return np.asarray(np.std(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))
    return sqrt(var(x, axis, keepdims))


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """log(sum(exp(x))) over `axis`, shifted by the max for stability."""
    xv = to_float(x)
    axes = _axes(axis, xv.ndim)
    m = np.max(xv, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = log(sum(exp(x - m), axes, keepdims=True)) + m
    if keepdims:
        return out
    shape = np.squeeze(m, axis=axes).shape
    return autodiff.reshape(out, shape) if isinstance(out, Tensor) else out.reshape(shape)


# --- non-differentiable results ---------------------------------------------


def _plain2(fn: Callable, name: str, doc: str) -> Callable:
    def op(x: Any, y: Any) -> np.ndarray:
        a, b = coerce_pair(_operand(x), _operand(y))
        return fn(a, b)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


equal = _plain2(np.equal, "equal", "Elementwise x == y (bool array, no gradient).")
not_equal = _plain2(np.not_equal, "not_equal", "Elementwise x != y (bool array).")
greater = _plain2(np.greater, "greater", "Elementwise x > y (bool array).")
greater_equal = _plain2(np.greater_equal, "greater_equal", "Elementwise x >= y (bool array).")
less = _plain2(np.less, "less", "Elementwise x < y (bool array).")
less_equal = _plain2(np.less_equal, "less_equal", "Elementwise x <= y (bool array).")


def argmax(x: Any, axis: int = -1) -> np.ndarray:
    """Index of the maximum along `axis` (no gradient)."""
    return np.argmax(to_array(x), axis=axis)


def argmin(x: Any, axis: int = -1) -> np.ndarray:
    """Index of the minimum along `axis` (no gradient)."""
    return np.argmin(to_array(x), axis=axis)


def any(x: Any, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    """Logical OR over `axis` (no gradient)."""
    xv = to_array(x)
    return np.asarray(np.any(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))


def all(x: Any, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    """Logical AND over `axis` (no gradient)."""
    xv = to_array(x)
    return np.asarray(np.all(xv, axis=_axes(axis, xv.ndim), keepdims=keepdims))


def in_top_k(predictions: Any, targets: Any, k: int) -> np.ndarray:
    """Whether each target index is among the row's top-k scores (ties count in)."""
    p = to_array(predictions)
    t = np.asarray(to_array(targets)).astype(np.intp).reshape(-1)
    p2 = p.reshape(-1, p.shape[-1])
    target_score = p2[np.arange(p2.shape[0]), t]
    better = np.sum(p2 > target_score[:, None], axis=-1)
    return better.reshape(p.shape[:-1]) < k


_ = builtins  # builtins stays importable here for code that needs the shadowed names
