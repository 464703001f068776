"""Stateful metric base classes: `Metric`, `Mean`, `Sum`, `MeanMetricWrapper`.

State is kept in Python floats (exact counts, no float32 drift over long
epochs). `update_state` runs once per batch, so the common cases (no sample
weight, boolean matches) take a single NumPy reduction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine.autodiff import value_of
from designer.engine.losses.base import _snake, squeeze_or_expand_to_same_rank


class Metric:
    """Accumulates statistics over batches: `update_state`, `result`, `reset_state`."""

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or _snake(type(self).__name__)
        self.dtype = "float32" if dtype is None else str(np.dtype(dtype))
        self._direction = "up"

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError

    def reset_state(self) -> None:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> float:
        """Update with one batch and return the running result (Keras semantics)."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r}>"


def _samplewise(
    values: np.ndarray, sample_weight: Any, reduce_fn: Callable
) -> tuple[np.ndarray, np.ndarray]:
    """Keras' `reduce_to_samplewise_values` for the weighted case."""
    sw = np.asarray(value_of(sample_weight), dtype=np.float64)
    values, sw = squeeze_or_expand_to_same_rank(values, sw)
    if values.ndim > sw.ndim:
        values = reduce_fn(values, axis=tuple(range(sw.ndim, values.ndim)))
    sw = np.broadcast_to(sw, values.shape)
    values = values * sw
    if sw.ndim > 1:
        sw = reduce_fn(sw, axis=tuple(range(1, sw.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sw


class Sum(Metric):
    """The (weighted) sum of all values seen."""

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = np.asarray(value_of(values))
        if sample_weight is not None:
            values, _ = _samplewise(values.astype(np.float64), sample_weight, np.sum)
        self.total += float(np.sum(values))

    def result(self) -> float:
        return float(self.total)

    def reset_state(self) -> None:
        self.total = 0.0


class Mean(Metric):
    """The (weighted) mean of per-sample values: each sample counts once
    (trailing axes are averaged first); a scalar counts as one sample."""

    def __init__(self, name: str = "mean", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        values = np.asarray(value_of(values))
        if sample_weight is not None:
            v, sw = _samplewise(values.astype(np.float64), sample_weight, np.mean)
            self.total += float(np.sum(v))
            self.count += float(np.sum(sw))
            return
        if values.ndim == 0:
            self.total += float(values)
            self.count += 1.0
            return
        per_sample = values.size // values.shape[0] if values.shape[0] else 1
        if values.dtype == np.bool_:
            self.total += np.count_nonzero(values) / per_sample
        else:
            self.total += float(np.sum(values, dtype=np.float64)) / per_sample
        self.count += values.shape[0]

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over all samples seen.

    `fn` returns per-sample values (or one value per batch, counted once).
    Custom functions receive y_true and y_pred unchanged, as in Keras, and may
    use `backend` ops (they get plain arrays, so no autodiff is involved).
    """

    def __init__(
        self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(
            name=name or _snake(getattr(fn, "__name__", "mean_metric_wrapper")), dtype=dtype
        )
        self._fn = fn
        self._fn_kwargs = kwargs
        self._fast = FAST_FUNCTIONS.get(fn, fn)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        values = self._fast(value_of(y_true), value_of(y_pred), **self._fn_kwargs)
        super().update_state(values, sample_weight)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["fn"] = getattr(self._fn, "__name__", repr(self._fn))
        config.update(self._fn_kwargs)
        return config


# public function -> faster equivalent (e.g. returning bool matches); filled by builtin.py
FAST_FUNCTIONS: dict[Callable, Callable] = {}
