"""Built-in metrics (Keras 3): accuracy family, regression and loss-based metrics.

Public accuracy functions return float32 per-sample matches as Keras does;
the metric classes use boolean twins of them (fewer conversions per batch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine import losses
from designer.engine.backend.math_ops import in_top_k
from designer.engine.losses.base import squeeze_or_expand_to_same_rank

from .base import FAST_FUNCTIONS, Mean, MeanMetricWrapper


def _arr(x: Any) -> np.ndarray:
    return x if isinstance(x, np.ndarray) else np.asarray(x)


def _accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = squeeze_or_expand_to_same_rank(_arr(y_true), _arr(y_pred))
    return yt == yp


def _binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    yt, yp = squeeze_or_expand_to_same_rank(_arr(y_true), _arr(y_pred))
    return yt == (yp > threshold)


def _sign_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = squeeze_or_expand_to_same_rank(_arr(y_true), _arr(y_pred))
    return (yt > 0) == (yp > 0)


def _categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    return np.argmax(_arr(y_true), axis=-1) == np.argmax(_arr(y_pred), axis=-1)


def _sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    yt, yp = _arr(y_true), _arr(y_pred)
    if yt.ndim == yp.ndim and yt.shape[-1] == 1:
        yt = yt[..., 0]
    return yt == np.argmax(yp, axis=-1)


def _top_k(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    return in_top_k(_arr(y_pred), np.argmax(_arr(y_true), axis=-1), k)


def _sparse_top_k(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    yt = _arr(y_true)
    return in_top_k(_arr(y_pred), yt.reshape(-1), k).reshape(yt.shape)


def _as_float(fn: Callable, name: str, doc: str) -> Callable:
    def metric_fn(y_true: Any, y_pred: Any, **kwargs: Any) -> np.ndarray:
        return fn(y_true, y_pred, **kwargs).astype(np.float32)

    metric_fn.__name__ = metric_fn.__qualname__ = name
    metric_fn.__doc__ = doc
    FAST_FUNCTIONS[metric_fn] = fn
    return metric_fn


accuracy = _as_float(_accuracy, "accuracy", "1.0 where y_pred equals y_true exactly.")
binary_accuracy = _as_float(
    _binary_accuracy, "binary_accuracy", "1.0 where (y_pred > threshold) equals y_true."
)
sign_accuracy = _as_float(
    _sign_accuracy,
    "sign_accuracy",
    "1.0 where sign(y_pred) matches the label (labels in {-1, 1} or {0, 1}).",
)
categorical_accuracy = _as_float(
    _categorical_accuracy, "categorical_accuracy", "1.0 where argmax(y_pred) == argmax(y_true)."
)
sparse_categorical_accuracy = _as_float(
    _sparse_categorical_accuracy,
    "sparse_categorical_accuracy",
    "1.0 where argmax(y_pred) equals the integer label.",
)
top_k_categorical_accuracy = _as_float(
    _top_k, "top_k_categorical_accuracy", "1.0 where the true class is in the top k scores."
)
sparse_top_k_categorical_accuracy = _as_float(
    _sparse_top_k,
    "sparse_top_k_categorical_accuracy",
    "1.0 where the integer label is in the top k scores.",
)


def _cosine_similarity_metric(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


def _wrapper(cls_name: str, fn: Callable, default_name: str, doc: str, **defaults: Any) -> type:
    """A MeanMetricWrapper subclass with Keras' class name, default name and params."""

    def __init__(self, name: str = default_name, dtype: Any = None, **kwargs: Any) -> None:
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"{cls_name} got unexpected arguments: {sorted(unknown)}")
        params = {**defaults, **kwargs}
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **params)
        for key, value in params.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}

    return type(
        cls_name,
        (MeanMetricWrapper,),
        {
            "__init__": __init__,
            "get_config": get_config,
            "__doc__": doc,
            "__module__": __name__,
        },
    )


Accuracy = _wrapper("Accuracy", accuracy, "accuracy", "How often y_pred equals y_true.")
BinaryAccuracy = _wrapper(
    "BinaryAccuracy",
    binary_accuracy,
    "binary_accuracy",
    "How often (y_pred > threshold) matches 0/1 labels.",
    threshold=0.5,
)
SignAccuracy = _wrapper(
    "SignAccuracy",
    sign_accuracy,
    "sign_accuracy",
    "How often sign(y_pred) matches -1/+1 (or 0/1) labels; our 'accuracy' for hinge losses.",
)
CategoricalAccuracy = _wrapper(
    "CategoricalAccuracy",
    categorical_accuracy,
    "categorical_accuracy",
    "How often argmax matches one-hot labels.",
)
SparseCategoricalAccuracy = _wrapper(
    "SparseCategoricalAccuracy",
    sparse_categorical_accuracy,
    "sparse_categorical_accuracy",
    "How often argmax matches integer labels.",
)
TopKCategoricalAccuracy = _wrapper(
    "TopKCategoricalAccuracy",
    top_k_categorical_accuracy,
    "top_k_categorical_accuracy",
    "How often the one-hot target is among the top k predictions.",
    k=5,
)
SparseTopKCategoricalAccuracy = _wrapper(
    "SparseTopKCategoricalAccuracy",
    sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy",
    "How often the integer target is among the top k predictions.",
    k=5,
)

MeanSquaredError = _wrapper(
    "MeanSquaredError", losses.mean_squared_error, "mean_squared_error", "Mean of squared errors."
)
MeanAbsoluteError = _wrapper(
    "MeanAbsoluteError",
    losses.mean_absolute_error,
    "mean_absolute_error",
    "Mean of absolute errors.",
)
MeanAbsolutePercentageError = _wrapper(
    "MeanAbsolutePercentageError",
    losses.mean_absolute_percentage_error,
    "mean_absolute_percentage_error",
    "Mean absolute percentage error.",
)
MeanSquaredLogarithmicError = _wrapper(
    "MeanSquaredLogarithmicError",
    losses.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error",
    "Mean squared logarithmic error.",
)
CosineSimilarity = _wrapper(
    "CosineSimilarity",
    _cosine_similarity_metric,
    "cosine_similarity",
    "Mean cosine similarity (1 = same direction).",
    axis=-1,
)
LogCoshError = _wrapper("LogCoshError", losses.log_cosh, "logcosh", "Mean log(cosh(error)).")
Hinge = _wrapper("Hinge", losses.hinge, "hinge", "Mean hinge loss.")
SquaredHinge = _wrapper(
    "SquaredHinge", losses.squared_hinge, "squared_hinge", "Mean squared hinge loss."
)
CategoricalHinge = _wrapper(
    "CategoricalHinge",
    losses.categorical_hinge,
    "categorical_hinge",
    "Mean categorical hinge loss.",
)
KLDivergence = _wrapper(
    "KLDivergence", losses.kl_divergence, "kl_divergence", "Mean KL divergence."
)
Poisson = _wrapper("Poisson", losses.poisson, "poisson", "Mean Poisson loss.")
BinaryCrossentropy = _wrapper(
    "BinaryCrossentropy",
    losses.binary_crossentropy,
    "binary_crossentropy",
    "Mean binary crossentropy.",
    from_logits=False,
    label_smoothing=0.0,
)
CategoricalCrossentropy = _wrapper(
    "CategoricalCrossentropy",
    losses.categorical_crossentropy,
    "categorical_crossentropy",
    "Mean categorical crossentropy.",
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
)
SparseCategoricalCrossentropy = _wrapper(
    "SparseCategoricalCrossentropy",
    losses.sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy",
    "Mean sparse categorical crossentropy.",
    from_logits=False,
    axis=-1,
)


class RootMeanSquaredError(Mean):
    """sqrt of the mean squared error over all samples seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        yp = _arr(y_pred)
        yt = _arr(y_true).astype(yp.dtype if yp.dtype.kind == "f" else np.float32, copy=False)
        yt, yp = squeeze_or_expand_to_same_rank(yt, yp)
        d = yp - yt
        super().update_state(d * d, sample_weight)

    def result(self) -> float:
        return float(np.sqrt(super().result()))
