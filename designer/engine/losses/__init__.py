"""Losses with the Keras 3 API: classes, function forms, aliases and `get`.

Per batch, training calls `loss.value_and_grad(y_true, y_pred, sample_weight)`
on the object `get` returns (always a `Loss`); evaluation calls
`loss(y_true, y_pred, sample_weight=...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from designer.engine.registry import FunctionRegistry

from .base import Loss, LossFunctionWrapper, reduce_with_grad, squeeze_or_expand_to_same_rank
from .builtin import (
    BUILTIN_CLASSES,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    binary_crossentropy,
    categorical_crossentropy,
    categorical_hinge,
    cosine_similarity,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)

# Keras' legacy aliases (same function objects)
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy

_CLASSES = [Loss, LossFunctionWrapper, *BUILTIN_CLASSES.values()]
ALL_OBJECTS_DICT: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({fn.__name__: fn for fn in BUILTIN_CLASSES})
ALL_OBJECTS_DICT.update(
    {
        "mse": mse,
        "MSE": mse,
        "mae": mae,
        "MAE": mae,
        "mape": mape,
        "MAPE": mape,
        "msle": msle,
        "MSLE": msle,
        "kld": kld,
        "KLD": kld,
        "kullback_leibler_divergence": kld,
        "logcosh": log_cosh,
        "bce": bce,
        "BCE": bce,
        "huber_loss": huber,
    }
)


def _from_function(fn: Callable, name: str | None = None) -> Loss:
    cls = BUILTIN_CLASSES.get(fn)
    if cls is not None:
        return cls(name=name or fn.__name__)
    return LossFunctionWrapper(fn, name=name)


REGISTRY = FunctionRegistry(
    "loss",
    "keras.losses",
    ALL_OBJECTS_DICT,
    base=Loss,
    hidden=("Loss", "LossFunctionWrapper"),
    make=lambda obj, name: obj() if isinstance(obj, type) else _from_function(obj, name),
    adapt=lambda identifier: _from_function(identifier) if callable(identifier) else None,
    expected="a loss name ({names}), a Loss instance or a function(y_true, y_pred)",
    wrapper=LossFunctionWrapper,
    functions=ALL_OBJECTS_DICT.get,
)


def get(identifier: Any) -> Loss | None:
    """A `Loss` for a name/alias, config dict, Loss instance or class, or function.

    Built-in functions (`losses.mean_squared_error`) map to their fast class;
    other callables are wrapped (their gradient comes from autodiff).
    """
    return REGISTRY.get(identifier)


def resolve_loss(identifier: Any, y_true_shape: tuple, y_pred_shape: tuple) -> Loss | None:
    """`get`, plus Keras' shape-based choice for 'crossentropy'/'ce'."""
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        binary, sparse = is_binary_or_sparse_categorical(y_true_shape, y_pred_shape)
        fn = (
            binary_crossentropy
            if binary
            else sparse_categorical_crossentropy
            if sparse
            else categorical_crossentropy
        )
        return _from_function(fn, identifier)
    return get(identifier)


def is_binary_or_sparse_categorical(y_true_shape: tuple, y_pred_shape: tuple) -> tuple[bool, bool]:
    """Keras 3's test: binary when the output has one unit; sparse when labels
    have one fewer axis, or one column against several outputs."""
    yt, yp = tuple(y_true_shape), tuple(y_pred_shape)
    t_last = yt[-1] if yt else None
    p_last = yp[-1] if yp else None
    is_binary = p_last == 1
    is_sparse = len(yt) < len(yp) or (t_last == 1 and p_last is not None and p_last > 1)
    return is_binary, is_sparse


def serialize(loss: Any) -> Any:
    """A Keras-style config dict for a Loss, or the name of a loss function."""
    return REGISTRY.serialize(loss)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Inverse of `serialize` (custom functions/classes via `custom_objects`)."""
    return REGISTRY.deserialize(config, custom_objects)


__all__ = [
    "ALL_OBJECTS_DICT",
    "BCE",
    "BUILTIN_CLASSES",
    "KLD",
    "MAE",
    "MAPE",
    "MSE",
    "MSLE",
    "Any",
    "BinaryCrossentropy",
    "Callable",
    "CategoricalCrossentropy",
    "CategoricalHinge",
    "CosineSimilarity",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "bce",
    "binary_crossentropy",
    "categorical_crossentropy",
    "categorical_hinge",
    "cosine_similarity",
    "deserialize",
    "get",
    "hinge",
    "huber",
    "is_binary_or_sparse_categorical",
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
    "reduce_with_grad",
    "resolve_loss",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "squeeze_or_expand_to_same_rank",
]
