"""`Loss` base class, reductions and the fast/fallback training path.

Training calls `loss.value_and_grad(y_true, y_pred, sample_weight)` once per
batch: it returns the reduced loss and d(loss)/d(y_pred). Built-in losses run a
hand-written NumPy kernel (see `numpy_ops.py`); any other loss (a `Loss`
subclass with its own `call`, or a wrapped user function) is differentiated by
`autodiff`, so it must be written with `backend` ops.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, value_of
from designer.engine.backend.config import floatx

Kernel = Callable[..., tuple[np.ndarray, Callable[[np.ndarray], np.ndarray]]]

# function form -> kernel; filled by `builtin.py` (keeps base free of cycles)
KERNELS: dict[Callable, Kernel] = {}

_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction: Any) -> Any:
    if reduction not in _REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of "
            f"{set(_REDUCTIONS)}. Received: reduction={reduction!r}"
        )
    return reduction


def _reshape(x: Any, shape: tuple[int, ...]) -> Any:
    return autodiff.reshape(x, shape) if isinstance(x, Tensor) else x.reshape(shape)


def squeeze_or_expand_to_same_rank(x1: Any, x2: Any, expand_rank_1: bool = True) -> tuple[Any, Any]:
    """Keras' rule: when ranks differ by one and the longer has a trailing 1,
    squeeze it (or expand a rank-1 partner), so (n,) labels meet (n, 1) outputs."""
    s1, s2 = np.shape(value_of(x1)), np.shape(value_of(x2))
    if len(s1) == len(s2):
        return x1, x2
    if len(s1) == len(s2) + 1 and s1[-1] == 1:
        if len(s2) == 1 and expand_rank_1:
            x2 = _reshape(x2, (*s2, 1))
        else:
            x1 = _reshape(x1, s1[:-1])
    if len(s2) == len(s1) + 1 and s2[-1] == 1:
        if len(s1) == 1 and expand_rank_1:
            x1 = _reshape(x1, (*s1, 1))
        else:
            x2 = _reshape(x2, s2[:-1])
    return x1, x2


def prepare(
    y_true: Any, y_pred: Any, dtype: Any = None, match_rank: bool = True
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """Arrays for a kernel: y_pred in a float dtype, y_true cast to it, ranks matched.

    Returns (y_true, y_pred, original y_pred shape) so gradients can be reshaped back.
    """
    yp = value_of(y_pred)
    if not isinstance(yp, np.ndarray):
        yp = np.asarray(yp)
    if dtype is not None:
        yp = yp.astype(dtype, copy=False)
    elif yp.dtype.kind != "f":
        yp = yp.astype(floatx())
    yt = value_of(y_true)
    yt = (yt if isinstance(yt, np.ndarray) else np.asarray(yt)).astype(yp.dtype, copy=False)
    shape = yp.shape
    if match_rank:
        yt, yp = squeeze_or_expand_to_same_rank(yt, yp)
    return yt, yp, shape


def reduce_with_grad(
    values: np.ndarray, sample_weight: Any, reduction: Any
) -> tuple[Any, np.ndarray]:
    """Weighted reduction of per-sample losses, and its gradient w.r.t. `values`.

    "sum_over_batch_size"/"mean" divide by the number of elements of the weighted
    losses (not by the sum of weights), as Keras does. With "none" (or an
    already-scalar loss) the value is returned unreduced and the gradient is that
    of its sum.
    """
    dt = values.dtype
    weights = None
    weighted = values
    if sample_weight is not None:
        sw = np.asarray(value_of(sample_weight), dtype=dt)
        vals, weights = squeeze_or_expand_to_same_rank(values, sw)
        if weights.ndim < vals.ndim:  # (n,) weights on (n, t) losses: per sample
            weights = weights.reshape(weights.shape + (1,) * (vals.ndim - weights.ndim))
        weighted = vals * weights
    if reduction in (None, "none") or weighted.ndim == 0 or weighted.shape == (0,):
        value, scale = weighted, 1.0
    else:
        if reduction == "sum":
            div = 1.0
        elif reduction == "mean_with_sample_weight" and weights is not None:
            div = float(np.sum(sw))
        else:
            div = float(weighted.size)
        total = np.sum(weighted)
        value = total / dt.type(div) if div else total * dt.type(0)  # divide_no_nan
        scale = 1.0 / div if div else 0.0
    if weights is None:
        grad = np.full(values.shape, scale, dtype=dt)
    else:
        g = np.broadcast_to(weights * dt.type(scale), weighted.shape)
        grad = autodiff.unbroadcast(g, vals.shape).reshape(values.shape)
    return value, grad


def no_gradient_message(name: str) -> str:
    """Keras (TensorFlow backend) stops such a run with "No gradients provided for any
    variable."; we say why, since the cause is always the loss function."""
    return (
        f"No gradients provided for any variable: the value of loss {name!r} does not "
        "depend on the predictions (y_pred), so no weight can learn. Expected a loss "
        "computed from y_pred with backend ops, e.g. K.mean(K.square(y_pred - y_true)). "
        "Received a loss that is a constant, uses only y_true, or reaches y_pred only "
        "through steps without a gradient (NumPy functions, float(), argmax, comparisons)."
    )


class Loss:
    """Base class: subclasses implement `call(y_true, y_pred)` -> per-sample losses.

    Custom subclasses must use `backend` ops in `call` so that `value_and_grad`
    can differentiate them. `dtype=None` computes in y_pred's float dtype.
    """

    def __init__(
        self, name: str | None = None, reduction: Any = "sum_over_batch_size", dtype: Any = None
    ) -> None:
        self.name = name or _snake(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = None if dtype is None else np.dtype(dtype)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """The reduced loss (a float32 scalar for float32 predictions)."""
        yt, yp, _ = prepare(y_true, y_pred, self.dtype, match_rank=False)
        values = np.asarray(value_of(self.call(yt, yp)))
        if values.dtype != yp.dtype:
            values = values.astype(yp.dtype)
        value, _ = reduce_with_grad(values, sample_weight, self.reduction)
        return np.asarray(value, dtype=yp.dtype)[()]

    def value_and_grad(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> tuple[float, np.ndarray]:
        """(reduced loss as a float, d loss / d y_pred in y_pred's shape and dtype).

        Called once per training batch. This base version differentiates `call`
        with autodiff; built-ins override it with their kernels. With
        reduction="none" the float is the sum and the gradient is that of the sum.
        """
        yt, yp, shape = prepare(y_true, y_pred, self.dtype, match_rank=False)
        leaf = Tensor(yp)
        try:
            out = self.call(yt, leaf)
        except TypeError as exc:
            raise TypeError(
                f"Loss {self.name!r} could not be differentiated: custom losses must be "
                "written with backend ops (`from designer.engine import backend as K`; "
                f"K.mean, K.square, ...), not NumPy functions. Original error: {exc}"
            ) from exc
        values = np.asarray(value_of(out), dtype=yp.dtype)
        value, grad_values = reduce_with_grad(values, sample_weight, self.reduction)
        if isinstance(out, Tensor):
            autodiff.backward(out, grad_values)
        if leaf.grad is None:  # no recorded path from y_pred to the loss
            raise ValueError(no_gradient_message(self.name))
        grad = np.asarray(leaf.grad, dtype=yp.dtype).reshape(shape)
        return float(np.sum(value)), grad

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


class LossFunctionWrapper(Loss):
    """A `Loss` around a plain `fn(y_true, y_pred, **kwargs)` -> per-sample losses.

    Built-in functions take their hand-written kernel; others are differentiated
    by autodiff (write them with `backend` ops).
    """

    def __init__(
        self,
        fn: Callable,
        reduction: Any = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype
        )
        self.fn = fn
        self._fn_kwargs = kwargs
        self._kernel = KERNELS.get(fn)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        if self._kernel is None:
            return super().__call__(y_true, y_pred, sample_weight)
        yt, yp, _ = prepare(y_true, y_pred, self.dtype)
        values, _ = self._kernel(yt, yp, **self._fn_kwargs)
        value, _ = reduce_with_grad(values, sample_weight, self.reduction)
        return np.asarray(value, dtype=yp.dtype)[()]

    def value_and_grad(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> tuple[float, np.ndarray]:
        if self._kernel is None:
            return super().value_and_grad(y_true, y_pred, sample_weight)
        yt, yp, shape = prepare(y_true, y_pred, self.dtype)
        values, back = self._kernel(yt, yp, **self._fn_kwargs)
        value, grad_values = reduce_with_grad(values, sample_weight, self.reduction)
        return float(np.sum(value)), back(grad_values).reshape(shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["fn"] = getattr(self.fn, "__name__", repr(self.fn))
        config.update(self._fn_kwargs)
        return config

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", self.fn)
        return f"<LossFunctionWrapper({name}, kwargs={self._fn_kwargs})>"


def _snake(name: str) -> str:
    """Keras' `to_snake_case`: 'MeanSquaredError' -> 'mean_squared_error'."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
