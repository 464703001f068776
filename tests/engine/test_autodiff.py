"""The reverse-mode engine: operator gradients, broadcasting, fan-out, API."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, backward, value_and_grad, vjp
from tests.helpers.gradcheck import assert_close, check_autodiff, numeric_grad

rng = np.random.default_rng(0)


def r(*shape: int) -> np.ndarray:
    return rng.normal(size=shape)


def pos(*shape: int) -> np.ndarray:
    return rng.uniform(0.5, 2.0, size=shape)


@pytest.mark.parametrize(
    "fn, args, argnums",
    [
        (lambda a, b: a + b, [r(3, 4), r(4)], (0, 1)),
        (lambda a, b: a - b, [r(3, 1), r(1, 4)], (0, 1)),
        (lambda a, b: a * b, [r(2, 3, 4), r(3, 1)], (0, 1)),
        (lambda a, b: a / b, [r(3, 4), pos(3, 4)], (0, 1)),
        (lambda a, b: a**b, [pos(3, 4), r(4)], (0, 1)),
        (lambda a: a**3, [r(3, 4)], (0,)),
        (lambda a: 2.0**a, [r(3)], (0,)),
        (lambda a: 1.5 - a, [r(3)], (0,)),
        (lambda a: 2.0 / a, [pos(3)], (0,)),
        (lambda a: -a + abs(a), [r(5)], (0,)),
        (lambda a, b: a @ b, [r(3, 4), r(4, 2)], (0, 1)),
        (lambda a, b: a @ b, [r(4), r(4, 2)], (0, 1)),
        (lambda a, b: a @ b, [r(3, 4), r(4)], (0, 1)),
        (lambda a, b: a @ b, [r(4), r(4)], (0, 1)),
        (lambda a, b: a @ b, [r(2, 3, 4), r(4, 5)], (0, 1)),
        (lambda a, b: a @ b, [r(2, 1, 3, 4), r(5, 4, 2)], (0, 1)),
        (lambda a: a[1:, ::2], [r(3, 4)], (0,)),
        (lambda a: a[[0, 0, 2]], [r(3, 4)], (0,)),
        (lambda a: a[:, np.array([1, 1, 3])] * 2, [r(3, 4)], (0,)),
        (lambda a: a[np.array([True, False, True])], [r(3, 2)], (0,)),
        (lambda a: a.reshape(2, 6).T, [r(3, 4)], (0,)),
        (lambda a: a.transpose(1, 2, 0), [r(2, 3, 4)], (0,)),
        (lambda a: a.sum(axis=0), [r(3, 4)], (0,)),
        (lambda a: a.sum(axis=(0, 2), keepdims=True), [r(2, 3, 4)], (0,)),
        (lambda a: a.mean(axis=-1), [r(3, 4)], (0,)),
        (lambda a: a.mean(), [r(3, 4)], (0,)),
    ],
)
def test_operator_gradients_match_finite_differences(fn, args, argnums) -> None:
    check_autodiff(fn, args, argnums)


def test_fan_out_accumulates_and_diamond_graph() -> None:
    x = r(4)

    def f(a):
        b = a * a  # used twice below: gradients add up
        c = b + a
        return (b * c).sum() + (c * 3.0).sum()

    check_autodiff(f, [x])
    # d/dx [x^2 (x^2 + x) + 3(x^2 + x)] = 4x^3 + 3x^2 + 6x + 3
    _, (g,) = value_and_grad(f, [x])
    assert_close(g, 4 * x**3 + 3 * x**2 + 6 * x + 3)


def test_ndarray_on_the_left_defers_to_tensor() -> None:
    a, w = r(3), r(3)
    out = w * Tensor(a)
    assert isinstance(out, Tensor)
    out = np.float64(2.0) + Tensor(a)
    assert isinstance(out, Tensor)
    check_autodiff(lambda t: w - t / (w * w + 1.0), [a])


def test_comparisons_return_plain_arrays() -> None:
    t = Tensor(np.array([1.0, -2.0, 3.0]))
    for result in (t > 0, t >= 1, t < 0, t <= 1, t == 3.0, t != 1.0):
        assert type(result) is np.ndarray
        assert result.dtype == np.bool_
    assert (t > 0).tolist() == [True, False, True]


def test_float32_stays_float32_with_python_scalars_and_int_arrays() -> None:
    x = np.ones((2, 3), np.float32)
    labels = np.array([[1, 0, 2], [0, 1, 1]])  # int64, as labels usually are
    value, (g,) = value_and_grad(lambda t: ((t * 2.5 - labels) ** 2).mean() + 1.0, [x])
    assert value.dtype == np.float32
    assert g.dtype == np.float32


def test_value_and_grad_argnums_and_seed() -> None:
    a, b, c = r(3, 2), r(2), r(3, 2)
    fn = lambda x, y, z: x * y + z  # noqa: E731
    value, grads = value_and_grad(fn, [a, b, c], argnums=(0, 1))
    assert_close(value, a * b + c)
    assert_close(grads[0], np.broadcast_to(b, a.shape))
    assert_close(grads[1], a.sum(axis=0))
    seed = r(3, 2)
    _, grads = value_and_grad(fn, [a, b, c], argnums=(1, 2), seed=seed)
    assert_close(grads[0], (a * seed).sum(axis=0))
    assert_close(grads[1], seed)


def test_vjp_pullback_can_be_called_twice() -> None:
    x = r(3)
    _, pullback = vjp(lambda t: t * t, [x])
    g1 = pullback(np.ones(3))[0]
    g2 = pullback(np.ones(3))[0]  # leaves are reset: no double counting
    assert_close(g1, 2 * x)
    assert_close(g2, 2 * x)


def test_unused_input_gets_zero_gradient_and_constant_output() -> None:
    a, b = r(3), r(3)
    _, grads = value_and_grad(lambda x, y: x * 2.0, [a, b], argnums=(0, 1))
    assert_close(grads[1], np.zeros(3))
    value, (g,) = value_and_grad(lambda x: np.float64(3.0), [a])
    assert value == 3.0
    assert_close(g, np.zeros(3))


def test_leaf_grads_accumulate_across_backward_calls() -> None:
    x = Tensor(np.array([1.0, 2.0]))
    y = (x * x).sum()
    backward(y)
    backward(y)
    assert_close(x.grad, 2 * 2 * x.value)


def test_deep_graph_does_not_hit_recursion_limit() -> None:
    def f(t):
        for _ in range(3000):
            t = t * 1.0001
        return t.sum()

    x = r(2)
    _, (g,) = value_and_grad(f, [x])
    assert_close(g, np.full(2, 1.0001**3000), rtol=1e-9)


def test_numpy_reductions_dispatch_to_tensor_methods() -> None:
    x = r(3, 4)
    _, (g,) = value_and_grad(lambda t: np.mean(t * t), [x])
    assert_close(g, 2 * x / x.size)
    check_autodiff(lambda t: np.sum(t, axis=1), [x])


def test_tensor_properties() -> None:
    t = Tensor(np.zeros((2, 3), np.float32))
    assert t.shape == (2, 3) and t.ndim == 2 and t.dtype == np.float32 and t.size == 6
    assert t.T.shape == (3, 2)
    assert len(t) == 2
    assert Tensor(1.5).dtype == np.float32  # bare Python floats become floatx
    assert np.asarray(t).shape == (2, 3)


def test_astype_passes_gradient_back_in_the_source_dtype() -> None:
    x = r(3)
    value, (g,) = value_and_grad(lambda t: (t.astype(np.float32) * 2.0).sum(), [x])
    assert value.dtype == np.float32
    assert g.dtype == np.float64
    assert_close(g, np.full(3, 2.0))


def test_unbroadcast() -> None:
    g = np.ones((2, 3, 4))
    assert autodiff.unbroadcast(g, (3, 1)).tolist() == [[8.0]] * 3
    assert autodiff.unbroadcast(g, ()).shape == ()
    assert autodiff.unbroadcast(g, (2, 3, 4)) is g


def test_gradcheck_helper_catches_a_wrong_gradient() -> None:
    x = r(3)
    with pytest.raises(AssertionError, match="mismatch"):
        assert_close(2.1 * x, numeric_grad(lambda v: np.sum(v * v), x))
