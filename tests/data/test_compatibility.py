"""Advice when prepared data and the model disagree, each with a fix a button can apply."""

from __future__ import annotations

import numpy as np
import pytest

from designer.data.compatibility import canonical_loss, check_data
from designer.engine import losses

X784 = np.zeros((6, 784), np.float32)
LABELS = np.array([0, 1, 2, 3, 4, 9])
ONE_HOT = np.eye(10, dtype=np.float32)[LABELS]


def errors(advice):
    return [a for a in advice if a.severity == "error"]


def test_matching_data_gives_no_advice() -> None:
    assert check_data((None, 784), (None, 10), "categorical_crossentropy", X784, ONE_HOT) == []
    assert check_data((784,), (10,), "sparse_categorical_crossentropy", X784, LABELS) == []
    x = np.random.default_rng(0).random((6, 5)).astype(np.float32)
    pm1 = np.array([-1, 1, 1, -1, 1, 1])
    assert check_data((None, 5), (None, 1), "hinge", x, pm1) == []
    assert check_data((None, 5), (None, 1), "hinge", x, (pm1 + 1) // 2) == []  # 0/1 is fine
    assert check_data((None, 5), (None, 1), "mse", x, x[:, 0]) == []


def test_reshape_offered_when_sizes_match() -> None:
    images = np.zeros((6, 28, 28), np.float32)
    (advice,) = check_data(
        (None, 28, 28, 1), (None, 10), "categorical_crossentropy", images, ONE_HOT
    )
    assert advice.fixes == (
        {"action": "reshape", "value": (28, 28, 1)},
        {"action": "input_shape", "value": (28, 28)},
    )
    assert "(28, 28, 1)" in advice.message and "(28, 28)" in advice.message
    (advice,) = check_data((None, 100), None, None, X784, None)
    # Sizes differ: no reshape, but the design's Input can take the samples' shape.
    assert advice.fix == {"action": "input_shape", "value": (784,)}
    assert "784 values" in advice.message


def test_integer_labels_with_categorical_crossentropy() -> None:
    (advice,) = check_data((None, 784), (None, 10), "categorical_crossentropy", X784, LABELS)
    assert advice.fixes == (
        {"action": "one_hot"},
        {"action": "loss", "value": "sparse_categorical_crossentropy"},
    )
    assert "expects one-hot targets of width 10" in advice.message


def test_labels_beyond_the_output_classes() -> None:
    advice = errors(check_data((784,), (None, 5), "sparse_categorical_crossentropy", X784, LABELS))
    assert advice[0].fix == {"action": "units", "value": 10}
    assert "Labels go up to 9" in advice[0].message and "5 unit" in advice[0].message


def test_one_hot_width_differs_from_units() -> None:
    (advice,) = check_data((784,), (None, 8), "categorical_crossentropy", X784, ONE_HOT)
    assert advice.fix == {"action": "units", "value": 10}
    (advice,) = check_data((784,), (None, 10), "sparse_categorical_crossentropy", X784, ONE_HOT)
    assert advice.fixes[0] == {"action": "integer"}


def test_plus_minus_one_with_binary_crossentropy() -> None:
    x = np.zeros((4, 5), np.float32)
    (advice,) = check_data((None, 5), (None, 1), "binary_crossentropy", x, np.array([-1, 1, 1, -1]))
    assert advice.fixes == ({"action": "integer"}, {"action": "loss", "value": "hinge"})
    assert "-1/+1" in advice.message


def test_multiclass_labels_with_binary_losses() -> None:
    (advice,) = check_data((784,), (None, 1), "binary_crossentropy", X784, LABELS)
    assert advice.fixes[0] == {"action": "loss", "value": "sparse_categorical_crossentropy"}
    assert {"action": "units", "value": 10} in advice.fixes
    (advice,) = check_data((784,), (None, 1), "hinge", X784, LABELS)
    assert "two classes" in advice.message


def test_regression_loss_with_labels_and_many_units() -> None:
    (advice,) = check_data((784,), (None, 10), "mean_squared_error", X784, LABELS)
    assert advice.fixes[0] == {"action": "one_hot"}


def test_continuous_targets_with_a_classification_loss() -> None:
    y = np.linspace(-3, 3, 6).astype(np.float32)
    (advice,) = check_data((784,), (None, 1), "binary_crossentropy", X784, y)
    assert advice.fix == {"action": "loss", "value": "mean_squared_error"}


def test_scaling_hint_for_raw_pixels() -> None:
    pixels = np.full((6, 784), 255, np.uint8)
    (advice,) = check_data((784,), (None, 10), "categorical_crossentropy", pixels, ONE_HOT)
    assert advice.severity == "info" and advice.fix == {"action": "scaling", "value": "divide_255"}


def test_length_mismatch() -> None:
    advice = check_data((784,), (None, 10), "categorical_crossentropy", X784, ONE_HOT[:5])
    assert "6 input samples but 5 targets" in advice[0].message


@pytest.mark.parametrize(
    ("loss", "name"),
    [
        ("mse", "mean_squared_error"),
        ("CategoricalCrossentropy", "categorical_crossentropy"),
        (losses.SparseCategoricalCrossentropy(), "sparse_categorical_crossentropy"),
        (losses.hinge, "hinge"),
        ("crossentropy", "crossentropy"),
        (lambda y_true, y_pred: y_pred, None),
    ],
)
def test_loss_names(loss: object, name: str | None) -> None:
    assert canonical_loss(loss) == name


def test_keras_auto_crossentropy_picks_by_shape() -> None:
    (advice,) = check_data((784,), (None, 5), "crossentropy", X784, LABELS)
    assert advice.fix == {"action": "units", "value": 10}
