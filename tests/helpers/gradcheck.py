"""Central finite differences in float64, to check hand-written and autodiff gradients.

Usage:
    g = numeric_grad(lambda x: np.sum(f(x)), x)           # d f / d x for scalar f
    check_vjp(f, x, lambda x, dy: my_backward(x, dy))     # any-shaped f, random dy
    check_autodiff(lambda a, b: K.sum(a * b), [a, b], argnums=(0, 1))

Everything is converted to float64 first; with eps=1e-6 the truncation error is
~1e-12 and the rounding error ~1e-10, so tolerances around 1e-6 are safe for
smooth functions. Keep inputs away from kinks (relu at 0, clip bounds, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def _f64(x: Any) -> np.ndarray:
    return np.array(x, dtype=np.float64)


def numeric_grad(f: Callable[[np.ndarray], Any], x: Any, eps: float = 1e-6) -> np.ndarray:
    """d sum(f(x)) / dx by central differences (x is copied to float64)."""
    return numeric_vjp(f, x, None, eps)


def numeric_vjp(f: Callable[[np.ndarray], Any], x: Any, seed: Any, eps: float = 1e-6) -> np.ndarray:
    """d sum(f(x) * seed) / dx: the vector-Jacobian product, numerically.

    Outputs are differenced elementwise before summing, so large unrelated
    outputs do not swamp the difference with rounding error.
    """
    x = _f64(x)
    seed = None if seed is None else _f64(seed)
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = np.array(f(x), dtype=np.float64)
        flat[i] = old - eps
        minus = np.array(f(x), dtype=np.float64)
        flat[i] = old
        diff = plus - minus
        gflat[i] = np.sum(diff if seed is None else diff * seed) / (2.0 * eps)
    return grad


def assert_close(
    actual: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-8, what: str = "gradient"
) -> None:
    """np.testing-style check with a message that shows the worst element."""
    actual, expected = _f64(actual), _f64(expected)
    if actual.shape != expected.shape:
        raise AssertionError(f"{what}: shape {actual.shape} != expected {expected.shape}")
    err = np.abs(actual - expected)
    bound = atol + rtol * np.abs(expected)
    if np.any(err > bound) or not np.all(np.isfinite(actual)):
        i = np.unravel_index(np.argmax(err - bound), err.shape) if err.size else ()
        raise AssertionError(
            f"{what} mismatch: max abs error {err.max():.3g} at {i} "
            f"(got {actual[i]!r}, expected {expected[i]!r});\nactual={actual}\n"
            f"expected={expected}"
        )


def check_grad(
    f: Callable[[np.ndarray], Any],
    x: Any,
    grad: Any,
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> None:
    """Assert that `grad` is d sum(f(x)) / dx."""
    assert_close(grad, numeric_grad(f, x, eps), rtol, atol)


def check_vjp(
    f: Callable[[np.ndarray], Any],
    x: Any,
    vjp: Callable[[np.ndarray, np.ndarray], Any],
    seed: Any = None,
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    rng: np.random.Generator | None = None,
) -> None:
    """Assert `vjp(x, seed)` == d sum(f(x) * seed) / dx (random seed by default)."""
    x = _f64(x)
    out_shape = np.shape(f(x.copy()))
    if seed is None:
        seed = (rng or np.random.default_rng(0)).normal(size=out_shape)
    seed = _f64(seed)
    assert_close(vjp(x.copy(), seed.copy()), numeric_vjp(f, x, seed, eps), rtol, atol, what="vjp")


def check_autodiff(
    fn: Callable[..., Any],
    args: Sequence[Any],
    argnums: Sequence[int] = (0,),
    seed: Any = None,
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> None:
    """Assert that `autodiff.vjp` of `fn` matches finite differences for each argnum."""
    from designer.engine import autodiff

    args = [_f64(a) if i in argnums else a for i, a in enumerate(args)]
    value, pullback = autodiff.vjp(fn, args, argnums)
    if seed is None:
        seed = np.random.default_rng(1).normal(size=np.shape(value))
    grads = pullback(_f64(seed))
    for i, grad in zip(argnums, grads, strict=True):

        def f_i(v: np.ndarray, i: int = i) -> Any:
            call = list(args)
            call[i] = v
            return autodiff.value_of(fn(*call))

        assert_close(
            grad,
            numeric_vjp(f_i, args[i], seed, eps),
            rtol,
            atol,
            what=f"autodiff gradient of argument {i}",
        )
