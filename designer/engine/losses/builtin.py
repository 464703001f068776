"""Built-in losses: Keras 3 function forms and classes, all on `numpy_ops.py`.

Function forms (`mean_squared_error(y_true, y_pred)`) return per-sample losses
for ndarrays and, given a Tensor `y_pred`, record one autodiff primitive, so
user losses may call them. y_true is treated as a constant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine.autodiff import Tensor, record

from . import numpy_ops as ops
from .base import KERNELS, LossFunctionWrapper, prepare


def _dispatch(kernel: Callable, y_true: Any, y_pred: Any, **params: Any) -> Any:
    yt, yp, shape = prepare(y_true, y_pred)
    values, back = kernel(yt, yp, **params)
    if isinstance(y_pred, Tensor):
        return record(values, (y_pred,), lambda g: (back(np.asarray(g)).reshape(shape),))
    return values


def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    """mean((y_true - y_pred) ** 2, axis=-1)."""
    return _dispatch(ops.mse, y_true, y_pred)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    """mean(|y_true - y_pred|, axis=-1)."""
    return _dispatch(ops.mae, y_true, y_pred)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Any:
    """100 * mean(|y_true - y_pred| / max(|y_true|, eps), axis=-1)."""
    return _dispatch(ops.mape, y_true, y_pred)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Any:
    """mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)."""
    return _dispatch(ops.msle, y_true, y_pred)


def hinge(y_true: Any, y_pred: Any) -> Any:
    """mean(max(1 - y_true * y_pred, 0), axis=-1); 0/1 labels become -1/+1."""
    return _dispatch(ops.hinge, y_true, y_pred)


def squared_hinge(y_true: Any, y_pred: Any) -> Any:
    """mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1); 0/1 labels become -1/+1."""
    return _dispatch(ops.squared_hinge, y_true, y_pred)


def categorical_hinge(y_true: Any, y_pred: Any) -> Any:
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)."""
    return _dispatch(ops.categorical_hinge, y_true, y_pred)


def kl_divergence(y_true: Any, y_pred: Any) -> Any:
    """sum(t * log(t / p), axis=-1) with both clipped to [eps, 1]."""
    return _dispatch(ops.kl_divergence, y_true, y_pred)


def poisson(y_true: Any, y_pred: Any) -> Any:
    """mean(y_pred - y_true * log(y_pred + eps), axis=-1)."""
    return _dispatch(ops.poisson, y_true, y_pred)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis) (in [-1, 1], lower is closer)."""
    return _dispatch(ops.cosine_similarity, y_true, y_pred, axis=axis)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Any:
    """Quadratic for |error| <= delta, linear beyond; mean over the last axis."""
    return _dispatch(ops.huber, y_true, y_pred, delta=delta)


def log_cosh(y_true: Any, y_pred: Any) -> Any:
    """mean(log(cosh(y_pred - y_true)), axis=-1), computed without overflow."""
    return _dispatch(ops.log_cosh, y_true, y_pred)


def binary_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Any:
    """Mean over `axis` of the elementwise binary crossentropy."""
    return _dispatch(
        ops.binary_crossentropy,
        y_true,
        y_pred,
        from_logits=from_logits,
        label_smoothing=label_smoothing,
        axis=axis,
    )


def categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Any:
    """-sum(y_true * log(y_pred), axis) for one-hot labels."""
    return _dispatch(
        ops.categorical_crossentropy,
        y_true,
        y_pred,
        from_logits=from_logits,
        label_smoothing=label_smoothing,
        axis=axis,
    )


def sparse_categorical_crossentropy(
    y_true: Any,
    y_pred: Any,
    from_logits: bool = False,
    ignore_class: int | None = None,
    axis: int = -1,
) -> Any:
    """Categorical crossentropy with integer class labels."""
    if ignore_class is not None:
        raise NotImplementedError("`ignore_class` is not supported yet.")
    return _dispatch(
        ops.sparse_categorical_crossentropy, y_true, y_pred, from_logits=from_logits, axis=axis
    )


KERNELS.update(
    {
        mean_squared_error: ops.mse,
        mean_absolute_error: ops.mae,
        mean_absolute_percentage_error: ops.mape,
        mean_squared_logarithmic_error: ops.msle,
        hinge: ops.hinge,
        squared_hinge: ops.squared_hinge,
        categorical_hinge: ops.categorical_hinge,
        kl_divergence: ops.kl_divergence,
        poisson: ops.poisson,
        cosine_similarity: ops.cosine_similarity,
        huber: ops.huber,
        log_cosh: ops.log_cosh,
        binary_crossentropy: ops.binary_crossentropy,
        categorical_crossentropy: ops.categorical_crossentropy,
        sparse_categorical_crossentropy: ops.sparse_categorical_crossentropy,
    }
)


class _Builtin(LossFunctionWrapper):
    """A built-in loss class: its function form plus named, serialisable parameters."""

    fn: Callable
    _param_names: tuple[str, ...] = ()

    def __init__(
        self,
        reduction: Any = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **params: Any,
    ) -> None:
        super().__init__(
            type(self).fn,
            reduction=reduction,
            name=name or self._default_name,
            dtype=dtype,
            **params,
        )
        for key, value in params.items():
            setattr(self, key, value)

    def get_config(self) -> dict[str, Any]:
        config = {"name": self.name, "reduction": self.reduction}
        config.update(self._fn_kwargs)
        return config

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


def _simple(cls_name: str, fn: Callable, default_name: str) -> type:
    def __init__(
        self, reduction: Any = "sum_over_batch_size", name: str = default_name, dtype: Any = None
    ) -> None:
        _Builtin.__init__(self, reduction=reduction, name=name, dtype=dtype)

    return type(
        cls_name,
        (_Builtin,),
        {
            "fn": staticmethod(fn),
            "_default_name": default_name,
            "__init__": __init__,
            "__doc__": f"Loss class for `{fn.__name__}`: {fn.__doc__}",
            "__module__": __name__,
        },
    )


MeanSquaredError = _simple("MeanSquaredError", mean_squared_error, "mean_squared_error")
MeanAbsoluteError = _simple("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error")
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error, "mean_absolute_percentage_error"
)
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error, "mean_squared_logarithmic_error"
)
Hinge = _simple("Hinge", hinge, "hinge")
SquaredHinge = _simple("SquaredHinge", squared_hinge, "squared_hinge")
CategoricalHinge = _simple("CategoricalHinge", categorical_hinge, "categorical_hinge")
KLDivergence = _simple("KLDivergence", kl_divergence, "kl_divergence")
Poisson = _simple("Poisson", poisson, "poisson")
LogCosh = _simple("LogCosh", log_cosh, "log_cosh")


class CosineSimilarity(_Builtin):
    """-cosine similarity along `axis` (so minimising it aligns the vectors)."""

    fn = staticmethod(cosine_similarity)
    _default_name = "cosine_similarity"

    def __init__(
        self,
        axis: int = -1,
        reduction: Any = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ) -> None:
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(_Builtin):
    """Huber loss: squared error near 0, absolute error beyond `delta`."""

    fn = staticmethod(huber)
    _default_name = "huber_loss"

    def __init__(
        self,
        delta: float = 1.0,
        reduction: Any = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ) -> None:
        super().__init__(reduction=reduction, name=name, dtype=dtype, delta=delta)


class BinaryCrossentropy(_Builtin):
    """Crossentropy for 0/1 labels; `from_logits=True` when there is no sigmoid."""

    fn = staticmethod(binary_crossentropy)
    _default_name = "binary_crossentropy"

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(_Builtin):
    """Crossentropy for one-hot labels; `from_logits=True` when there is no softmax."""

    fn = staticmethod(categorical_crossentropy)
    _default_name = "categorical_crossentropy"

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: Any = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(_Builtin):
    """Crossentropy for integer labels (one number per sample, not one-hot)."""

    fn = staticmethod(sparse_categorical_crossentropy)
    _default_name = "sparse_categorical_crossentropy"

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: Any = "sum_over_batch_size",
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        axis: int = -1,
    ) -> None:
        if ignore_class is not None:
            raise NotImplementedError("`ignore_class` is not supported yet.")
        super().__init__(
            reduction=reduction, name=name, dtype=dtype, from_logits=from_logits, axis=axis
        )
        self.ignore_class = None

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "ignore_class": None}


BUILTIN_CLASSES: dict[Callable, type] = {
    cls.fn: cls
    for cls in (
        MeanSquaredError,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        Hinge,
        SquaredHinge,
        CategoricalHinge,
        KLDivergence,
        Poisson,
        LogCosh,
        CosineSimilarity,
        Huber,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}
