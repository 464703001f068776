"""Regularizers: Keras 3 penalty values and finite-difference checked gradients."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import regularizers

X = np.array(
    [[0.5, -1.0, 2.0, 0.1], [1.5, 0.25, -0.75, 0.0], [0.3, 0.3, -0.2, 1.0]], dtype=np.float32
)

# Values computed by Keras 3.15 (torch backend) on X.
KERAS_VALUES = {
    "l1": (regularizers.L1(0.01), 0.07899999618530273),
    "l2": (regularizers.L2(0.02), 0.18710000813007355),
    "l1l2": (regularizers.L1L2(0.01, 0.02), 0.2660999894142151),
    "orth_rows": (regularizers.OrthogonalRegularizer(0.1, "rows"), 0.02650691382586956),
    "orth_cols": (regularizers.OrthogonalRegularizer(0.1, "columns"), 0.024191053584218025),
}


@pytest.mark.parametrize("key", list(KERAS_VALUES))
def test_penalty_matches_keras(key: str) -> None:
    reg, expected = KERAS_VALUES[key]
    assert reg(X) == pytest.approx(expected, rel=1e-6)


def test_penalty_formulas() -> None:
    assert regularizers.L1(0.3)(X) == pytest.approx(0.3 * np.abs(X).sum(), rel=1e-6)
    assert regularizers.L2(0.3)(X) == pytest.approx(0.3 * (X**2).sum(), rel=1e-6)
    both = regularizers.L1L2(l1=0.1, l2=0.2)(X)
    assert both == pytest.approx(0.1 * np.abs(X).sum() + 0.2 * (X**2).sum(), rel=1e-6)
    assert isinstance(both, float)


def _numeric_gradient(reg: regularizers.Regularizer, x: np.ndarray, h: float = 1e-6
                      ) -> np.ndarray:
    x = x.astype(np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (reg(up) - reg(down)) / (2 * h)
    return grad


@pytest.mark.parametrize("key", list(KERAS_VALUES))
def test_gradient_matches_finite_differences(key: str) -> None:
    reg, _ = KERAS_VALUES[key]
    x = X.astype(np.float64)
    x[1, 3] = 0.02  # keep away from L1's kink at 0
    analytic = reg.gradient(x)
    assert analytic.shape == x.shape
    np.testing.assert_allclose(analytic, _numeric_gradient(reg, x), rtol=1e-5, atol=1e-8)


def test_gradient_is_float32_for_float32_weights() -> None:
    for reg, _ in KERAS_VALUES.values():
        assert reg.gradient(X).dtype == np.float32


def test_l1_gradient_at_zero_is_zero() -> None:
    assert regularizers.L1(0.5).gradient(np.zeros(3, np.float32)).tolist() == [0, 0, 0]


def test_legacy_function_forms_and_defaults() -> None:
    assert regularizers.l1().get_config() == {"l1": 0.01}
    assert regularizers.l2(0.5).get_config() == {"l2": 0.5}
    assert regularizers.l1_l2().get_config() == {"l1": 0.01, "l2": 0.01}  # Keras 2 defaults
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}  # Keras 3 class defaults


def test_get_strings_dicts_instances_classes() -> None:
    assert isinstance(regularizers.get("l1"), regularizers.L1)
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    l1_l2 = regularizers.get("l1_l2")
    assert isinstance(l1_l2, regularizers.L1L2)
    assert (l1_l2.l1, l1_l2.l2) == (0.01, 0.01)
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    from_dict = regularizers.get({"class_name": "L2", "config": {"l2": 0.1}})
    assert isinstance(from_dict, regularizers.L2)
    assert from_dict.l2 == 0.1
    inst = regularizers.L1(0.2)
    assert regularizers.get(inst) is inst
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    assert regularizers.get(None) is None


def test_get_unknown_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"Could not interpret regularizer identifier: 'l3'.*l1"):
        regularizers.get("l3")


def test_invalid_factors_raise_in_keras_words() -> None:
    with pytest.raises(ValueError, match="Invalid value for argument l2"):
        regularizers.L2(-1.0)
    with pytest.raises(ValueError, match="Invalid value for argument l1"):
        regularizers.L1(float("nan"))
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="rank 2"):
        regularizers.OrthogonalRegularizer()(np.ones(3))


@pytest.mark.parametrize("key", list(KERAS_VALUES))
def test_serialize_round_trip(key: str) -> None:
    reg, _ = KERAS_VALUES[key]
    clone = regularizers.deserialize(regularizers.serialize(reg))
    assert type(clone) is type(reg)
    assert clone.get_config() == reg.get_config()


def test_plain_function_regularizer_is_differentiated() -> None:
    from designer.engine import backend as K

    def my_reg(weights):  # the Keras docs' custom regularizer
        return 0.01 * K.sum(K.abs(weights)) + 0.1 * K.sum(K.square(weights))

    reg = regularizers.get(my_reg)
    assert isinstance(reg, regularizers.FunctionRegularizer)
    assert reg(X) == pytest.approx(0.01 * np.abs(X).sum() + 0.1 * (X**2).sum(), rel=1e-5)
    grad = reg.gradient(X)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, 0.01 * np.sign(X) + 0.2 * X, rtol=1e-5, atol=1e-7)


def test_plain_numpy_function_regularizer_explains_what_to_do() -> None:
    reg = regularizers.get(lambda w: 0.01 * np.sum(np.abs(w)))
    assert reg(X) == pytest.approx(0.01 * np.abs(X).sum(), rel=1e-5)  # the value still works
    with pytest.raises(TypeError, match=r"write it with `keras\.backend` ops"):
        reg.gradient(X)
