"""compile/fit/evaluate/predict as a script uses them, including every bad input."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import Input, Model, Sequential, callbacks, optimizers
from designer.engine.layers import Dense, Dropout
from designer.engine.utils import to_categorical


def sum_data(n: int = 250, d: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    return x, ((x.sum(axis=1) > d / 2) * 2 - 1)


def tutorial_model() -> Sequential:
    model = Sequential([Dense(20, input_dim=5, activation="tanh"), Dense(1, activation="tanh")])
    model.compile("adam", "hinge", metrics=["accuracy"])
    return model


def test_fit_returns_history_with_keras_keys_and_learns() -> None:
    np.random.seed(0)
    x, y = sum_data()
    model = tutorial_model()
    history = model.fit(x, y, epochs=150, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 150
    assert history.history["accuracy"][-1] > 0.9
    assert history.epoch == list(range(150))
    assert model.history is history


def test_weights_are_float32_after_training() -> None:
    x, y = sum_data()
    model = tutorial_model()
    model.fit(x, y, epochs=2, verbose=0)
    assert all(w.dtype == np.float32 for w in model.get_weights())
    assert model.predict(x, verbose=0).dtype == np.float32


def test_validation_split_takes_the_last_rows_before_shuffling() -> None:
    x, y = sum_data(100)
    model = tutorial_model()
    model.fit(x, y, epochs=1, validation_split=0.25, verbose=0)
    loss_on_tail = model.evaluate(x[75:], y[75:], verbose=0)
    history_val = model.history.history["val_loss"][0]
    assert abs(loss_on_tail[0] - history_val) < 1e-5


def test_evaluate_returns_scalar_without_metrics_and_list_with() -> None:
    x, y = sum_data(64)
    model = Sequential([Dense(1, input_dim=5)])
    model.compile("sgd", "mse")
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    model.compile("sgd", "mse", metrics=["mae"])
    loss, mae = model.evaluate(x, y, verbose=0)
    pred = model.predict(x, verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred[:, 0] - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(pred[:, 0] - y)), rtol=1e-5)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae"}


def test_predict_matches_manual_forward_and_batches_do_not_matter() -> None:
    model = Sequential([Dense(3, input_dim=4, activation="relu"), Dense(2, activation="softmax")])
    x = np.random.default_rng(1).normal(size=(70, 4)).astype(np.float32)
    w1, b1, w2, b2 = model.get_weights()
    hidden = np.maximum(x @ w1 + b1, 0)
    logits = hidden @ w2 + b2
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0), expected, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x), expected, rtol=1e-5)


def test_train_on_batch_does_one_sgd_step_by_the_rule() -> None:
    model = Sequential([Dense(1, input_dim=2, use_bias=False)])
    model.set_weights([np.array([[0.5], [-0.25]], np.float32)])
    model.compile(optimizers.SGD(learning_rate=0.1), "mse")
    x = np.array([[1.0, 2.0], [3.0, -1.0]], np.float32)
    y = np.array([[1.0], [0.0]], np.float32)
    w = model.get_weights()[0]
    grad = 2 * x.T @ (x @ w - y) / len(x)
    loss = model.train_on_batch(x, y)
    np.testing.assert_allclose(loss, np.mean((x @ w - y) ** 2), rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[0], w - 0.1 * grad, rtol=1e-6)
    assert model.test_on_batch(x, y) < loss


def test_stop_training_is_honoured_after_the_current_batch() -> None:
    x, y = sum_data(320)
    batches: list[int] = []

    class StopAtThird(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)
            if batch == 2:
                self.model.stop_training = True

    model = tutorial_model()
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0, callbacks=[StopAtThird()])
    assert batches == [0, 1, 2]
    assert len(history.history["loss"]) == 1


def test_early_stopping_restores_best_weights_through_fit() -> None:
    x, y = sum_data(200)
    model = tutorial_model()
    stop = callbacks.EarlyStopping(
        monitor="loss", patience=1, restore_best_weights=True, min_delta=10.0
    )
    history = model.fit(x, y, epochs=20, verbose=0, callbacks=[stop])
    assert len(history.history["loss"]) == 2


def test_initial_epoch_continues_numbering() -> None:
    x, y = sum_data(64)
    model = tutorial_model()
    history = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [3, 4]


def test_sparse_and_categorical_crossentropy_train_a_softmax_classifier() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(3, 4)) * 3
    labels = rng.integers(0, 3, 300)
    x = centres[labels] + rng.normal(size=(300, 4))
    for loss, y in (
        ("sparse_categorical_crossentropy", labels),
        ("categorical_crossentropy", to_categorical(labels)),
    ):
        model = Sequential(
            [Dense(8, input_dim=4, activation="relu"), Dense(3, activation="softmax")]
        )
        model.compile("adam", loss, metrics=["accuracy"])
        history = model.fit(x, y, epochs=30, verbose=0)
        assert history.history["accuracy"][-1] > 0.9


def test_two_output_model_reports_per_output_losses() -> None:
    inputs = Input(shape=(3,))
    hidden = Dense(4, activation="relu")(inputs)
    a = Dense(1, name="reg")(hidden)
    b = Dense(2, activation="softmax", name="cls")(hidden)
    model = Model(inputs, [a, b])
    model.compile(
        "adam",
        loss=["mse", "sparse_categorical_crossentropy"],
        metrics={"cls": ["accuracy"]},
        loss_weights=[1.0, 0.5],
    )
    x = np.random.default_rng(0).normal(size=(40, 3))
    history = model.fit(x, [x[:, :1], (x[:, 0] > 0).astype(int)], epochs=2, verbose=0)
    assert "cls_accuracy" in history.history and "loss" in history.history


def test_dropout_is_active_in_fit_and_not_in_predict() -> None:
    model = Sequential([Dense(8, input_dim=3), Dropout(0.5), Dense(1)])
    model.compile("sgd", "mse")
    x = np.ones((5, 3), np.float32)
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_class_weight_scales_the_loss() -> None:
    x, y = sum_data(64)
    y01 = (y > 0).astype(np.float32)
    model = Sequential([Dense(1, input_dim=5, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    plain = model.test_on_batch(x, y01)
    weighted = model.evaluate(x, y01, sample_weight=np.full(64, 2.0), verbose=0)
    np.testing.assert_allclose(weighted, 2 * plain, rtol=1e-5)


def test_custom_loss_and_metric_written_with_backend_ops_train() -> None:
    from designer.engine import backend as K

    def my_mse(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    def mean_pred(y_true, y_pred):
        return K.mean(y_pred)

    x, y = sum_data(128)
    custom = Sequential([Dense(8, input_dim=5, activation="tanh"), Dense(1)])
    builtin = Sequential([Dense(8, input_dim=5, activation="tanh"), Dense(1)])
    builtin.set_weights(custom.get_weights())
    custom.compile("adam", my_mse, metrics=[mean_pred])
    builtin.compile("adam", "mse")
    history = custom.fit(x, y, epochs=5, shuffle=False, verbose=0)
    reference = builtin.fit(x, y, epochs=5, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], reference.history["loss"], rtol=1e-5)
    for a, b in zip(custom.get_weights(), builtin.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert "mean_pred" in history.history


# -- bad input: one clear message, nothing half-applied ------------------------------
def test_fit_before_compile() -> None:
    model = Sequential([Dense(1, input_dim=5)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.ones((4, 5)), np.ones(4), verbose=0)


def test_wrong_feature_shape_names_expected_and_received() -> None:
    model = tutorial_model()
    with pytest.raises(ValueError, match=r"expected shape \(None, 5\).*\(10, 4\)"):
        model.fit(np.ones((10, 4)), np.ones(10), verbose=0)


def test_row_counts_that_differ() -> None:
    model = tutorial_model()
    with pytest.raises(ValueError, match=r"'x' sizes: 10.*'y' sizes: 9"):
        model.fit(np.ones((10, 5)), np.ones(9), verbose=0)


def test_nan_in_data_is_located() -> None:
    model = tutorial_model()
    x = np.ones((10, 5))
    x[3, 2] = np.nan
    with pytest.raises(ValueError, match="row 3, column 2"):
        model.fit(x, np.ones(10), verbose=0)
    with pytest.raises(ValueError, match="target"):
        model.fit(np.ones((10, 5)), np.full(10, np.inf), verbose=0)


def test_label_out_of_range_for_sparse_loss() -> None:
    model = Sequential([Dense(10, input_dim=4, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    before = model.get_weights()
    with pytest.raises(ValueError, match="12"):
        model.fit(np.ones((5, 4)), np.array([1, 2, 12, 3, 4]), verbose=0)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_unknown_names_list_the_valid_ones() -> None:
    model = Sequential([Dense(1, input_dim=2)])
    with pytest.raises(ValueError, match="hinge"):
        model.compile("adam", "hingee")
    with pytest.raises(ValueError, match="adam"):
        model.compile("adamm", "mse")
    with pytest.raises(ValueError, match=r"initializer|glorot"):
        Dense(2, kernel_initializer="glorot_unifrom")


def test_non_numeric_and_ragged_data() -> None:
    model = tutorial_model()
    with pytest.raises(ValueError, match="numeric"):
        model.fit(np.array([["a"] * 5] * 3), np.ones(3), verbose=0)
    with pytest.raises(ValueError):
        model.fit([[1, 2, 3, 4, 5], [1, 2]], np.ones(2), verbose=0)


def test_bad_batch_size() -> None:
    model = tutorial_model()
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(np.ones((4, 5)), np.ones(4), batch_size=0, verbose=0)


def test_verbose_progress_bar_prints_keras_style(capsys) -> None:
    x, y = sum_data(64)
    model = tutorial_model()
    model.fit(x, y, epochs=2, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "2/2" in out and "loss:" in out and "accuracy:" in out


def test_predict_runs_large_batches_in_slices_with_the_same_outputs(monkeypatch) -> None:
    from designer.engine import Sequential, layers
    from designer.engine.models import training

    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 6, 6, 1)).astype(np.float32)
    model = Sequential([layers.Conv2D(3, 3, activation="relu", input_shape=(6, 6, 1)),
                        layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(2)])
    whole = model.predict(x, batch_size=50, verbose=0)
    monkeypatch.setattr(training, "INFERENCE_ROWS", 7)
    sliced = model.predict(x, batch_size=50, verbose=0)
    assert sliced.shape == (50, 2)
    np.testing.assert_allclose(sliced, whole, rtol=1e-6, atol=1e-6)
