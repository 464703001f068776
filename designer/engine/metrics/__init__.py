"""Metrics with the Keras 3 API, and `resolve_metric` for `model.compile`.

Per batch the trainer calls `metric.update_state(y_true, y_pred, sample_weight)`;
per epoch `metric.result()` (a float) and `metric.reset_state()`.
"""

from __future__ import annotations

from typing import Any

from designer.engine import losses as _losses
from designer.engine.losses.base import _snake
from designer.engine.registry import REFUSE, FunctionRegistry

from .base import Mean, MeanMetricWrapper, Metric, Sum
from .builtin import (
    Accuracy,
    BinaryAccuracy,
    BinaryCrossentropy,
    CategoricalAccuracy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    KLDivergence,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    RootMeanSquaredError,
    SignAccuracy,
    SparseCategoricalAccuracy,
    SparseCategoricalCrossentropy,
    SparseTopKCategoricalAccuracy,
    SquaredHinge,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sign_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)

# loss functions usable as metrics (Keras exports them from keras.metrics too)
mean_squared_error = mse = MSE = _losses.mean_squared_error
mean_absolute_error = mae = MAE = _losses.mean_absolute_error
mean_absolute_percentage_error = mape = MAPE = _losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = msle = MSLE = _losses.mean_squared_logarithmic_error
hinge = _losses.hinge
squared_hinge = _losses.squared_hinge
categorical_hinge = _losses.categorical_hinge
kl_divergence = kld = KLD = kullback_leibler_divergence = _losses.kl_divergence
poisson = _losses.poisson
log_cosh = logcosh = _losses.log_cosh
binary_crossentropy = _losses.binary_crossentropy
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy

_CLASSES = [
    Mean,
    Sum,
    MeanMetricWrapper,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    SignAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    CosineSimilarity,
    LogCoshError,
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    KLDivergence,
    Poisson,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
]
ALL_OBJECTS_DICT: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update(
    {
        "mse": MeanSquaredError,
        "MSE": MeanSquaredError,
        "mae": MeanAbsoluteError,
        "MAE": MeanAbsoluteError,
        "mape": MeanAbsolutePercentageError,
        "MAPE": MeanAbsolutePercentageError,
        "msle": MeanSquaredLogarithmicError,
        "MSLE": MeanSquaredLogarithmicError,
        "rmse": RootMeanSquaredError,
        "kld": KLDivergence,
        "KLD": KLDivergence,
        "kullback_leibler_divergence": KLDivergence,
        "logcosh": LogCoshError,
        "log_cosh": LogCoshError,
        "bce": BinaryCrossentropy,
        "BCE": BinaryCrossentropy,
        "acc": Accuracy,
    }
)


def _function(name: str) -> Any:
    """A metric function by name, for a MeanMetricWrapper config: loss functions too."""
    return getattr(_losses, name, None) or globals().get(name)


REGISTRY = FunctionRegistry(
    "metric",
    "keras.metrics",
    ALL_OBJECTS_DICT,
    base=Metric,
    hidden=("Mean", "Sum", "MeanMetricWrapper", "mean", "sum", "mean_metric_wrapper"),
    default=REFUSE,
    adapt=lambda identifier: MeanMetricWrapper(identifier) if callable(identifier) else None,
    expected="a metric name ({names}), a Metric or a function(y_true, y_pred)",
    wrapper=MeanMetricWrapper,
    functions=_function,
)


def get(identifier: Any) -> Metric:
    """A `Metric` for a name, a Metric class or instance, a config dict or a
    function `fn(y_true, y_pred)` (wrapped in a MeanMetricWrapper named after it)."""
    return REGISTRY.get(identifier)


def _is_single_unit_hinge(loss: Any, y_pred_shape: tuple) -> bool:
    if not y_pred_shape or y_pred_shape[-1] != 1 or loss is None:
        return False
    try:
        loss_obj = _losses.get(loss)
    except (ValueError, TypeError):
        return False
    return isinstance(loss_obj, (_losses.Hinge, _losses.SquaredHinge))


def resolve_metric(identifier: Any, loss: Any, y_true_shape: tuple, y_pred_shape: tuple) -> Metric:
    """The metric `compile(metrics=[...])` means, named as the user typed it.

    'accuracy'/'acc' are chosen as Keras 3 does: BinaryAccuracy when the output
    has one unit, SparseCategoricalAccuracy when labels are integers (one fewer
    axis, or one column against several outputs), else CategoricalAccuracy;
    'crossentropy'/'ce' likewise pick the binary/sparse/categorical metric.

    Deliberate difference from Keras: with a `hinge` or `squared_hinge` loss and
    a single output unit, 'accuracy' compares signs (label > 0 vs prediction > 0,
    labels in {-1, +1} or {0, 1}) instead of thresholding at 0.5, because Keras'
    number is meaningless for -1/+1 targets and tanh outputs.
    """
    if identifier is None:
        raise ValueError("Expected a metric, received `None`.")
    y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
    key = identifier.lower() if isinstance(identifier, str) else None
    if key in ("accuracy", "acc"):
        binary, sparse = _losses.is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        if binary and _is_single_unit_hinge(loss, y_pred_shape):
            return SignAccuracy(name=identifier)
        if binary:
            return BinaryAccuracy(name=identifier)
        if sparse:
            return SparseCategoricalAccuracy(name=identifier)
        return CategoricalAccuracy(name=identifier)
    if key in ("crossentropy", "ce"):
        binary, sparse = _losses.is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        cls = (
            BinaryCrossentropy
            if binary
            else SparseCategoricalCrossentropy
            if sparse
            else CategoricalCrossentropy
        )
        return cls(name=identifier)
    metric = get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier
    return metric


def serialize(metric: Any) -> Any:
    """A Keras-style config dict for a Metric, or the name of a metric function."""
    return REGISTRY.serialize(metric)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Metric:
    """Inverse of `serialize` (custom functions/classes via `custom_objects`)."""
    return REGISTRY.deserialize(config, custom_objects)


__all__ = [
    "ALL_OBJECTS_DICT",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Accuracy",
    "Any",
    "BinaryAccuracy",
    "BinaryCrossentropy",
    "CategoricalAccuracy",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "KLDivergence",
    "LogCoshError",
    "Mean",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanMetricWrapper",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Metric",
    "Poisson",
    "RootMeanSquaredError",
    "SignAccuracy",
    "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy",
    "SquaredHinge",
    "Sum",
    "TopKCategoricalAccuracy",
    "accuracy",
    "binary_accuracy",
    "binary_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "categorical_hinge",
    "deserialize",
    "get",
    "hinge",
    "kl_divergence",
    "kld",
    "kullback_leibler_divergence",
    "log_cosh",
    "logcosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "resolve_metric",
    "serialize",
    "sign_accuracy",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy",
    "squared_hinge",
    "top_k_categorical_accuracy",
]
