"""Runs that cannot learn or have nothing to learn from stop at once, with Keras' words.

Keras wording matched:
- a loss with no gradient path to y_pred: TensorFlow's Keras stops in the optimizer with
  "No gradients provided for any variable." (`BaseOptimizer._filter_empty_gradients`);
  its torch backend fails in `loss.backward()` ("element 0 of tensors does not require
  grad and does not have a grad_fn"). Both refuse at the first step; evaluate is allowed.
- zero rows: tf.keras' DataHandler said "Expected input data to be non-empty."; Keras 3
  on torch fails with "num_samples should be a positive integer value, but got
  num_samples=0" (fit) or an unrelated error (evaluate, predict).
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from designer.engine import Input, Model, Sequential
from designer.engine import backend as K
from designer.engine.layers import Dense
from designer.engine.losses import Loss


def data(n: int = 16) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((n, 3), dtype=np.float32), rng.random((n, 1), dtype=np.float32)


def const_loss(y_true, y_pred):
    return K.mean(y_true) * 0 + 1.0


def only_targets(y_true, y_pred):
    return K.mean(K.square(y_true), axis=-1)


def numpy_values(y_true, y_pred):
    return np.mean(np.square(np.asarray(y_pred) - y_true), axis=-1)


class ConstantLoss(Loss):
    def call(self, y_true, y_pred):
        return np.ones(len(y_true), np.float32)


@pytest.mark.parametrize(
    ("loss", "name"),
    [
        (const_loss, "const_loss"),
        (only_targets, "only_targets"),
        (numpy_values, "numpy_values"),
        (lambda y_true, y_pred: 1.0, "<lambda>"),
        (ConstantLoss(), "constant_loss"),
    ],
)
def test_loss_that_ignores_predictions_is_refused_at_the_first_step(loss, name) -> None:
    x, y = data()
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", loss)
    before = model.get_weights()
    with pytest.raises(ValueError) as info:
        model.fit(x, y, epochs=3, verbose=0)
    message = str(info.value)
    assert message.startswith("No gradients provided for any variable")
    assert repr(name) in message
    assert "does not depend on the predictions" in message
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="does not depend on the predictions"):
        model.train_on_batch(x, y)


def test_such_a_loss_still_evaluates_as_keras_does() -> None:
    x, y = data()
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", const_loss)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.0)


def test_a_loss_with_a_zero_gradient_path_is_not_refused() -> None:
    """TF gives zero gradients (not None) for y_pred * 0: Keras trains on; so do we."""
    x, y = data()
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", lambda y_true, y_pred: K.mean(y_pred) * 0.0)
    history = model.fit(x, y, epochs=1, verbose=0)
    assert history.history["loss"] == [0.0]


def test_a_metric_that_ignores_predictions_is_allowed() -> None:
    def target_mean(y_true, y_pred):
        return K.mean(y_true)

    x, y = data()
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", "mse", metrics=[target_mean])
    history = model.fit(x, y, epochs=1, verbose=0)
    assert history.history["target_mean"][0] == pytest.approx(float(y.mean()), rel=1e-5)


def test_one_bad_loss_of_two_outputs_is_refused() -> None:
    x, y = data()
    inputs = Input((3,))
    model = Model(inputs, [Dense(1, name="a")(inputs), Dense(1, name="b")(inputs)])
    model.compile("sgd", ["mse", const_loss])
    with pytest.raises(ValueError, match="'const_loss' does not depend"):
        model.fit(x, [y, y], verbose=0)


# -- zero rows --------------------------------------------------------------------------
def compiled() -> Sequential:
    model = Sequential([Dense(1, input_dim=3)])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x, y: m.fit(x[:0], y[:0], verbose=0),
        lambda m, x, y: m.evaluate(x[:0], y[:0], verbose=0),
        lambda m, x, y: m.predict(x[:0], verbose=0),
        lambda m, x, y: m.train_on_batch(x[:0], y[:0]),
        lambda m, x, y: m.test_on_batch(x[:0], y[:0]),
    ],
    ids=["fit", "evaluate", "predict", "train_on_batch", "test_on_batch"],
)
def test_zero_rows_are_refused(call) -> None:
    x, y = data()
    with pytest.raises(ValueError, match=r"Expected input data to be non-empty.*`x`.*\(0, 3\)"):
        call(compiled(), x, y)


def test_zero_rows_before_the_model_is_built() -> None:
    x, y = data()
    model = Sequential([Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="non-empty"):
        model.fit(x[:0], y[:0], verbose=0)


def test_empty_validation_data_is_named() -> None:
    x, y = data()
    with pytest.raises(ValueError, match=r"non-empty.*`validation_data`"):
        compiled().fit(x, y, validation_data=(x[:0], y[:0]), verbose=0)


def test_row_counts_that_differ_in_evaluate_and_validation() -> None:
    x, y = data()
    model = compiled()
    with pytest.raises(ValueError, match=r"'x' sizes: 16.*'y' sizes: 5"):
        model.evaluate(x, y[:5], verbose=0)
    with pytest.raises(ValueError, match=r"'x' sizes: 16.*'y' sizes: 0"):
        model.fit(x, y[:0], verbose=0)
    with pytest.raises(ValueError, match=r"'x' sizes: 4.*'y' sizes: 3"):
        model.fit(x, y, validation_data=(x[:4], y[:3]), verbose=0)


# -- what real Keras does (documentation of the wording above) --------------------------
@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


def test_keras_also_refuses_a_loss_without_a_path_to_the_predictions(keras) -> None:
    x, y = data()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", lambda y_true, y_pred: keras.ops.mean(y_true) * 0 + 1.0)
    with pytest.raises(Exception, match="grad"):
        model.fit(x, y, verbose=0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.0)


def test_keras_also_refuses_to_fit_zero_rows(keras) -> None:
    x, y = data()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError):
        model.fit(x[:0], y[:0], verbose=0)
    with pytest.raises(ValueError, match="cardinality"):
        model.fit(x, y[:5], verbose=0)
