"""Metrics: Keras numbers, weighting rules, resolve_metric choices and names, registry."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from designer.engine import backend as K
from designer.engine import losses, metrics

CAT_T = [[0, 0, 1], [0, 1, 0]]
CAT_P = [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]


def mean_pred(y_true, y_pred):
    return K.mean(y_pred)


# key -> (metric, [(y_true, y_pred[, sample_weight]), ...] one tuple per batch, Keras result)
# Results from Keras 3.15.1 (torch backend) at /work/kerasenv.
KERAS_CASES = {
    "binacc": (metrics.BinaryAccuracy(), [([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])], 0.75),
    "binacc_sw": (
        metrics.BinaryAccuracy(),
        [([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1])],
        0.5,
    ),
    "catacc": (metrics.CategoricalAccuracy(), [(CAT_T, CAT_P)], 0.5),
    "catacc_sw": (metrics.CategoricalAccuracy(), [(CAT_T, CAT_P, [0.7, 0.3])], 0.3),
    "sparseacc": (
        metrics.SparseCategoricalAccuracy(),
        [([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])],
        0.5,
    ),
    "sparseacc_sw": (
        metrics.SparseCategoricalAccuracy(),
        [([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3])],
        0.3,
    ),
    "topk1": (metrics.TopKCategoricalAccuracy(k=1), [(CAT_T, CAT_P)], 0.5),
    "topk2": (metrics.TopKCategoricalAccuracy(k=2), [(CAT_T, CAT_P)], 1.0),
    "stopk1": (metrics.SparseTopKCategoricalAccuracy(k=1), [([2, 1], CAT_P)], 0.5),
    "rmse": (metrics.RootMeanSquaredError(), [([[0, 1], [0, 0]], [[1, 1], [0, 0]])], 0.5),
    "rmse_sw": (
        metrics.RootMeanSquaredError(),
        [([[0, 1], [0, 0]], [[1, 1], [0, 0]], [1, 0])],
        0.70710677,
    ),
    "mse_metric_2b": (
        metrics.MeanSquaredError(),
        [([[0, 1], [0, 0]], [[1, 1], [0, 0]]), ([[1, 1]], [[0.5, 0]])],
        0.375,
    ),
    "mae_metric_sw": (
        metrics.MeanAbsoluteError(),
        [([[0, 1], [0, 0]], [[1, 1], [0, 0]], [1, 0])],
        0.5,
    ),
    "acc_exact": (metrics.Accuracy(), [([[1], [2], [3], [4]], [[0], [2], [3], [4]])], 0.75),
    "mean_pred": (
        metrics.MeanMetricWrapper(mean_pred),
        [([[1], [0]], [[0.2], [0.4]]), ([[1], [0], [0], [1]], [[1.0]] * 4)],
        0.65,
    ),
    "cos_metric": (
        metrics.CosineSimilarity(),
        [([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])],
        0.49999997,
    ),
    "hinge_metric": (metrics.Hinge(), [([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])], 1.3),
    "bce_metric": (
        metrics.BinaryCrossentropy(),
        [([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])],
        0.81492448,
    ),
    "logcosh_metric": (
        metrics.LogCoshError(),
        [([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])],
        0.1084452,
    ),
}


@pytest.mark.parametrize("key", sorted(KERAS_CASES))
def test_results_match_keras(key) -> None:
    metric, batches, expected = copy.deepcopy(KERAS_CASES[key])
    for batch in batches:
        y_true = np.asarray(batch[0])
        y_pred = np.asarray(batch[1], np.float32)
        sw = np.asarray(batch[2], np.float32) if len(batch) > 2 else None
        metric.update_state(y_true, y_pred, sample_weight=sw)
    result = metric.result()
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-6)
    metric.reset_state()
    assert metric.result() == 0.0


def test_mean_and_sum_follow_keras_weighting() -> None:
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]))
    m.update_state(np.array([[5.0, 6.0], [7.0, 8.0]]))
    assert m.result() == 4.5
    m = metrics.Mean()
    m.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), sample_weight=np.array([1.0, 0.5]))
    assert m.result() == pytest.approx(2.1666667)  # Keras
    s = metrics.Sum()
    s.update_state(np.array([[1.0, 2.0], [3.0, 4.0]]), sample_weight=np.array([1.0, 0.5]))
    assert s.result() == 6.5  # Keras
    m = metrics.Mean()
    assert m(np.array([1.0, 3.0])) == 2.0  # __call__ updates and returns the running result
    assert m(np.array(5.0)) == 3.0  # a scalar counts as one sample


def test_scalar_custom_metric_counts_once_per_batch() -> None:
    m = metrics.get(mean_pred)
    assert m.name == "mean_pred"
    m.update_state(np.zeros((100, 1)), np.full((100, 1), 1.0, np.float32))
    m.update_state(np.zeros((2, 1)), np.full((2, 1), 0.0, np.float32))
    assert m.result() == 0.5


def test_boolean_matches_and_float_values_give_the_same_mean() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (50, 1))
    p = rng.uniform(size=(50, 1)).astype(np.float32)
    fast = metrics.BinaryAccuracy()
    fast.update_state(y, p)
    slow = metrics.Mean()
    slow.update_state(metrics.binary_accuracy(y, p))
    assert fast.result() == pytest.approx(slow.result())
    assert metrics.binary_accuracy(y, p).dtype == np.float32


@pytest.mark.parametrize(
    "identifier, loss, y_true_shape, y_pred_shape, cls",
    [
        ("accuracy", "binary_crossentropy", (None, 1), (None, 1), metrics.BinaryAccuracy),
        ("acc", "mse", (None,), (None, 1), metrics.BinaryAccuracy),
        (
            "accuracy",
            "sparse_categorical_crossentropy",
            (None,),
            (None, 10),
            metrics.SparseCategoricalAccuracy,
        ),
        ("accuracy", None, (None, 1), (None, 10), metrics.SparseCategoricalAccuracy),
        (
            "accuracy",
            "categorical_crossentropy",
            (None, 10),
            (None, 10),
            metrics.CategoricalAccuracy,
        ),
        ("Accuracy", "mse", (None, 3), (None, 3), metrics.CategoricalAccuracy),
        ("accuracy", "hinge", (None,), (None, 1), metrics.SignAccuracy),
        ("accuracy", losses.SquaredHinge(), (None, 1), (None, 1), metrics.SignAccuracy),
        ("acc", losses.hinge, (None, 1), (None, 1), metrics.SignAccuracy),
        ("accuracy", "hinge", (None, 3), (None, 3), metrics.CategoricalAccuracy),
        ("crossentropy", "mse", (None, 1), (None, 1), metrics.BinaryCrossentropy),
        ("ce", "mse", (None,), (None, 4), metrics.SparseCategoricalCrossentropy),
        ("crossentropy", "mse", (None, 4), (None, 4), metrics.CategoricalCrossentropy),
    ],
)
def test_resolve_metric_chooses_like_keras(
    identifier, loss, y_true_shape, y_pred_shape, cls
) -> None:
    metric = metrics.resolve_metric(identifier, loss, y_true_shape, y_pred_shape)
    assert type(metric) is cls
    assert metric.name == identifier  # history keys use what the user typed


@pytest.mark.parametrize(
    "identifier, name, cls",
    [
        ("mse", "mse", metrics.MeanSquaredError),
        ("mae", "mae", metrics.MeanAbsoluteError),
        ("mean_squared_error", "mean_squared_error", metrics.MeanSquaredError),
        ("binary_accuracy", "binary_accuracy", metrics.BinaryAccuracy),
        (
            "top_k_categorical_accuracy",
            "top_k_categorical_accuracy",
            metrics.TopKCategoricalAccuracy,
        ),
        (losses.mean_squared_error, "mean_squared_error", metrics.MeanMetricWrapper),
        (metrics.mae, "mean_absolute_error", metrics.MeanMetricWrapper),
        (metrics.RootMeanSquaredError(), "root_mean_squared_error", metrics.RootMeanSquaredError),
        (metrics.BinaryAccuracy(threshold=0.2, name="ba"), "ba", metrics.BinaryAccuracy),
        (mean_pred, "mean_pred", metrics.MeanMetricWrapper),
    ],
)
def test_resolve_metric_names(identifier, name, cls) -> None:
    metric = metrics.resolve_metric(identifier, "mse", (None, 1), (None, 1))
    assert type(metric) is cls and metric.name == name


def test_sign_accuracy_for_hinge_with_both_label_encodings() -> None:
    pred = np.array([[0.9], [-0.2], [0.1], [-0.7]], np.float32)
    for labels in ([1, -1, -1, -1], [1, 0, 0, 0]):
        m = metrics.resolve_metric("accuracy", "hinge", (None,), (None, 1))
        m.update_state(np.array(labels), pred)
        assert m.result() == 0.75
    # Keras' BinaryAccuracy would compare -1 with (pred > 0.5): meaningless here
    keras_like = metrics.BinaryAccuracy()
    keras_like.update_state(np.array([1, -1, -1, -1]), pred)
    assert keras_like.result() == 0.25


def test_loss_based_metrics_match_their_losses() -> None:
    rng = np.random.default_rng(1)
    yt = rng.uniform(size=(6, 3))
    yp = rng.uniform(0.1, 0.9, size=(6, 3)).astype(np.float32)
    for name in (
        "mse",
        "mae",
        "mape",
        "msle",
        "hinge",
        "squared_hinge",
        "kld",
        "poisson",
        "logcosh",
        "binary_crossentropy",
        "categorical_hinge",
    ):
        metric = metrics.get(name)
        metric.update_state(yt, yp)
        assert metric.result() == pytest.approx(float(losses.get(name)(yt, yp)), rel=1e-5), name


def test_get_errors_and_registry() -> None:
    with pytest.raises(ValueError, match=r"'accuracyy'.*Valid names are: .*binary_accuracy"):
        metrics.get("accuracyy")
    with pytest.raises(ValueError, match="Could not interpret metric"):
        metrics.get(3.5)
    with pytest.raises(ValueError, match="received `None`"):
        metrics.resolve_metric(None, "mse", (None, 1), (None, 1))
    assert isinstance(metrics.get("BinaryAccuracy"), metrics.BinaryAccuracy)
    assert isinstance(metrics.get(metrics.CategoricalAccuracy), metrics.CategoricalAccuracy)
    inst = metrics.Accuracy()
    assert metrics.get(inst) is inst
    again = metrics.deserialize(metrics.serialize(metrics.TopKCategoricalAccuracy(k=3)))
    assert again.k == 3 and again.get_config() == {
        "name": "top_k_categorical_accuracy",
        "dtype": "float32",
        "k": 3,
    }


def test_metrics_survive_deepcopy_and_keep_state_separate() -> None:
    m = metrics.BinaryAccuracy()
    m.update_state(np.array([[1]]), np.array([[0.9]], np.float32))
    clone = copy.deepcopy(m)
    clone.reset_state()
    assert m.result() == 1.0 and clone.result() == 0.0
