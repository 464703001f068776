"""Activations: values (Keras formulas and numbers), fast VJPs, Tensor path, registry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from designer.engine import activations as A
from designer.engine import backend as K
from designer.engine.autodiff import Tensor
from tests.helpers.gradcheck import assert_close, check_autodiff, numeric_vjp

# Points away from every kink (0, +-3, 0.5, 5, 6) so finite differences are valid.
X = np.array([[-4.3, -2.9, -1.7, -0.61, -0.13], [0.17, 0.77, 1.9, 3.3, 6.6]])
SELU_A, SELU_S = 1.6732632423543772, 1.0507009873554805
_erf = np.vectorize(math.erf)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# name -> (kwargs, float64 reference formula from the Keras 3 docs/source)
REFERENCE = {
    "linear": ({}, lambda x: x),
    "relu": ({}, lambda x: np.maximum(x, 0)),
    "relu6": ({}, lambda x: np.clip(x, 0, 6)),
    "leaky_relu": ({}, lambda x: np.where(x > 0, x, 0.2 * x)),
    "elu": ({}, lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    "selu": ({}, lambda x: SELU_S * np.where(x > 0, x, SELU_A * (np.exp(x) - 1))),
    "sigmoid": ({}, _sig),
    "hard_sigmoid": ({}, lambda x: np.clip(x + 3, 0, 6) / 6),
    "tanh": ({}, np.tanh),
    "softmax": ({}, _softmax),
    "log_softmax": ({}, lambda x: np.log(_softmax(x))),
    "softplus": ({}, lambda x: np.log1p(np.exp(x))),
    "softsign": ({}, lambda x: x / (1 + np.abs(x))),
    "exponential": ({}, np.exp),
    "silu": ({}, lambda x: x * _sig(x)),
    "gelu": ({}, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    "hard_silu": ({}, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "mish": ({}, lambda x: x * np.tanh(np.log1p(np.exp(x)))),
}
VARIANTS = [  # (function, kwargs, reference)
    (
        A.relu,
        dict(negative_slope=0.1, max_value=5.0, threshold=0.5),
        lambda x: np.where(x > 0.5, np.minimum(x, 5.0), 0) - 0.1 * np.maximum(0.5 - x, 0),
    ),
    (A.relu, dict(max_value=6.0), lambda x: np.clip(x, 0, 6)),
    (A.relu, dict(negative_slope=0.3), lambda x: np.where(x > 0, x, 0.3 * x)),
    (A.leaky_relu, dict(negative_slope=0.05), lambda x: np.where(x > 0, x, 0.05 * x)),
    (A.elu, dict(alpha=2.0), lambda x: np.where(x > 0, x, 2 * (np.exp(x) - 1))),
    (A.softmax, dict(axis=0), lambda x: _softmax(x, 0)),
    (A.log_softmax, dict(axis=0), lambda x: np.log(_softmax(x, 0))),
    (
        A.gelu,
        dict(approximate=True),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
    ),
]
CASES = [(A.get(n), kw, ref) for n, (kw, ref) in REFERENCE.items()] + VARIANTS
IDS = list(REFERENCE) + [f"{f.__name__}-{kw}" for f, kw, _ in VARIANTS]
# gelu's Phi uses a rational erf approximation (|error| < 1.5e-7)
ATOL = {"gelu": 5e-7}


@pytest.mark.parametrize("fn, kw, ref", CASES, ids=IDS)
def test_values_match_the_keras_formula(fn, kw, ref) -> None:
    assert_close(
        fn(X, **kw), ref(X), rtol=1e-7, atol=ATOL.get(fn.__name__, 1e-12), what=fn.__name__
    )


@pytest.mark.parametrize("fn, kw, ref", CASES, ids=IDS)
def test_fast_vjp_matches_finite_differences(fn, kw, ref) -> None:
    dy = np.random.default_rng(3).normal(size=X.shape)
    y = fn(X, **kw)
    dx = A.vjp_for(fn)(X, y, dy, **kw)
    assert_close(
        dx,
        numeric_vjp(lambda v: fn(v, **kw), X, dy),
        rtol=1e-6,
        atol=ATOL.get(fn.__name__, 1e-8) * 4,
        what=f"vjp of {fn.__name__}",
    )


@pytest.mark.parametrize("fn, kw, ref", CASES, ids=IDS)
def test_tensor_input_records_a_differentiable_op(fn, kw, ref) -> None:
    out = fn(Tensor(X), **kw)
    assert isinstance(out, Tensor)
    check_autodiff(lambda t: fn(t, **kw), [X], atol=ATOL.get(fn.__name__, 1e-8) * 4)


@pytest.mark.parametrize("fn, kw, ref", CASES, ids=IDS)
def test_float32_in_float32_out(fn, kw, ref) -> None:
    x = X.astype(np.float32)
    y = fn(x, **kw)
    assert y.dtype == np.float32
    assert A.vjp_for(fn)(x, y, np.ones_like(x), **kw).dtype == np.float32
    assert fn(Tensor(x), **kw).dtype == np.float32


def test_keras_numbers() -> None:
    # From Keras 3.15.1 (torch backend) at /work/kerasenv: activation(x) and the
    # gradient of sum(activation(x) * w), float32.
    x = np.array([[-4.0, -2.5, -0.7, -0.1, 0.2, 0.9, 2.6, 7.0]], np.float32)
    w = np.array([[0.3, -1.2, 0.5, 2.0, -0.7, 1.1, 0.4, -0.9]], np.float32)
    keras = {
        "selu": (
            [-1.725899, -1.613786, -0.885053, -0.1673053, 0.2101402, 0.9456309, 2.731822, 7.354907],
            [
                0.009660214,
                -0.1731763,
                0.4365231,
                3.181588,
                -0.7354907,
                1.155771,
                0.4202804,
                -0.9456309,
            ],
        ),
        "gelu": (
            [
                -0.0001264811,
                -0.01552418,
                -0.1693746,
                -0.04601722,
                0.1158519,
                0.7343459,
                2.587881,
                7.0,
            ],
            [
                -0.0001510888,
                0.04513328,
                0.01169293,
                0.8409536,
                -0.4602278,
                1.160958,
                0.4122618,
                -0.9,
            ],
        ),
        "hard_sigmoid": (
            [0.0, 0.08333334, 0.3833333, 0.4833333, 0.5333334, 0.65, 0.9333333, 1.0],
            [0.0, -0.2, 0.08333334, 0.3333333, -0.1166667, 0.1833333, 0.06666667, 0.0],
        ),
        "softplus": (
            [0.01814993, 0.07888974, 0.4031861, 0.6443967, 0.7981389, 1.241154, 2.671645, 7.000912],
            [
                0.005395863,
                -0.09102982,
                0.1659061,
                0.9500417,
                -0.3848838,
                0.7820445,
                0.3723446,
                -0.8991801,
            ],
        ),
        "mish": (
            [
                -0.07259174,
                -0.1968162,
                -0.2678702,
                -0.05678857,
                0.132599,
                0.7612059,
                2.575262,
                6.999989,
            ],
            [
                -0.01613196,
                0.1316923,
                0.09220806,
                1.071406,
                -0.5072372,
                1.13071,
                0.4145288,
                -0.9000195,
            ],
        ),
        "hard_silu": (
            [-0.0, -0.2083333, -0.2683333, -0.04833334, 0.1066667, 0.585, 2.426666, 7.0],
            [0.0, 0.4, 0.1333333, 0.9333333, -0.3966666, 0.88, 0.5466666, -0.9],
        ),
        "log_softmax": (
            [-11.01686, -9.51686, -7.71686, -7.11686, -6.816861, -6.11686, -4.416861, -0.01686048],
            [0.2999754, -1.20011, 0.4993321, 1.998783, -0.7016427, 1.096692, 0.3818919, -2.374921],
        ),
    }
    for name, (y_ref, dx_ref) in keras.items():
        fn = A.get(name)
        y = fn(x)
        assert_close(y[0], y_ref, rtol=2e-6, atol=5e-7, what=name)
        assert_close(A.vjp_for(fn)(x, y, w)[0], dx_ref, rtol=2e-6, atol=5e-7, what=name)
    y = A.relu(x, negative_slope=0.1, max_value=5.0, threshold=0.5)
    assert_close(y[0], [-0.45, -0.3, -0.12, -0.06, -0.03, 0.9, 2.6, 5.0], rtol=1e-6)


def test_get_serialize_deserialize() -> None:
    assert A.get(None) is A.linear
    assert A.get("tanh") is A.tanh is K.tanh
    assert A.get("swish") is A.silu and A.swish is A.silu
    assert A.get("hard_swish") is A.hard_silu
    custom = lambda x: x * 2  # noqa: E731
    assert A.get(custom) is custom
    for name in A.ALL_OBJECTS_DICT:
        assert A.deserialize(A.serialize(A.get(name))) is A.get(name)
    assert A.serialize(A.swish) == "silu"

    def my_act(x):
        return x

    assert A.serialize(my_act) == "my_act"
    assert A.deserialize("my_act", custom_objects={"my_act": my_act}) is my_act
    assert A.deserialize({"class_name": "function", "config": "relu"}) is A.relu


def test_unknown_name_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"'tanhh'.*Valid names are: .*relu.*tanh"):
        A.get("tanhh")
    with pytest.raises(ValueError, match="Could not interpret activation"):
        A.get(42)


def test_backend_activation_functions_are_the_same_objects() -> None:
    for name in (
        "relu",
        "sigmoid",
        "hard_sigmoid",
        "tanh",
        "softmax",
        "softplus",
        "softsign",
        "elu",
        "selu",
        "exponential",
        "gelu",
        "silu",
        "swish",
        "leaky_relu",
    ):
        assert getattr(K, name) is getattr(A, name), name
        assert A.is_builtin(getattr(K, name))


def test_legacy_relu_alpha_keyword() -> None:
    x = np.array([-2.0, 3.0], np.float32)
    assert K.relu(x, alpha=0.1).tolist() == pytest.approx([-0.2, 3.0])


def test_linear_returns_input_and_casts_ints() -> None:
    x = np.ones(3, np.float32)
    assert A.linear(x) is x
    assert A.linear(np.array([1, 2])).dtype == np.float32
    assert A.relu(np.array([-1, 2])).dtype == np.float32


@pytest.mark.parametrize(
    "custom",
    [
        lambda x: K.tanh(x) * 2,
        lambda x: K.relu(x) - 0.1 * K.relu(-x) + K.square(K.sigmoid(x)),
        lambda x: x - K.mean(x, axis=-1, keepdims=True),  # couples the elements of a row
        lambda x: K.softmax(x * 3.0) * K.exp(-K.abs(x)),
    ],
)
def test_custom_activation_uses_the_autodiff_fallback(custom) -> None:
    vjp = A.vjp_for(custom)
    assert A.vjp_for(custom) is vjp  # cached per function
    dy = np.random.default_rng(5).normal(size=X.shape)
    dx = vjp(X, custom(X), dy)
    assert_close(dx, numeric_vjp(custom, X, dy), rtol=1e-6, atol=1e-8)
    x32 = X.astype(np.float32)
    assert vjp(x32, custom(x32), dy.astype(np.float32)).dtype == np.float32


def test_custom_activation_written_with_numpy_gets_a_clear_error() -> None:
    vjp = A.vjp_for(lambda x: np.tanh(x))
    with pytest.raises(TypeError, match="backend ops"):
        vjp(X, np.tanh(X), np.ones_like(X))


def test_sigmoid_and_softplus_do_not_overflow() -> None:
    x = np.array([-1000.0, -90.0, 0.0, 90.0, 1000.0], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = A.sigmoid(x)
        sp = A.softplus(x)
        e = A.elu(x)
    assert s.tolist() == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.0])
    assert sp[-1] == 1000.0 and sp[0] == 0.0
    assert e[0] == -1.0
