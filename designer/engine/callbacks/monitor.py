"""Shared logic of the callbacks that watch one metric (EarlyStopping, ModelCheckpoint,
ReduceLROnPlateau): which direction is better, and what counts as an improvement."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any

from designer.engine.callbacks.base import Callback

__all__ = ["MonitorCallback"]

# Metric names that improve upwards / downwards when the model cannot tell (Keras reads
# a metric object's `_direction`; these mirror the built-in metrics' directions).
_UP_WORDS = ("acc", "auc", "precision", "recall", "f1", "fbeta", "fmeasure", "iou",
             "r2", "cosine_similarity", "true_positives", "true_negatives")
_DOWN_WORDS = ("loss", "error", "crossentropy", "hinge", "divergence", "poisson", "logcosh",
               "mse", "mae", "mape", "msle", "rmse", "false_positives", "false_negatives")


def _iter_metrics(model: Any) -> list[Any]:
    found: list[Any] = []
    stack = list(getattr(model, "metrics", None) or [])
    while stack:
        m = stack.pop()
        found.append(m)
        inner = getattr(m, "metrics", None)
        if isinstance(inner, (list, tuple)):
            stack.extend(inner)
    return found


class MonitorCallback(Callback):
    """Base for callbacks that compare `logs[monitor]` with the best value so far."""

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: Any = None,
                 min_delta: float = 0) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{self.__class__.__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op: Callable[[Any, Any], bool] | None = None

    def _set_monitor_op(self) -> None:
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            for m in _iter_metrics(self.model):
                direction = getattr(m, "_direction", None)
                if getattr(m, "name", None) == name and direction in ("up", "down"):
                    self.monitor_op = operator.gt if direction == "up" else operator.lt
            if self.monitor_op is None:
                lowered = name.lower()
                if any(w in lowered for w in _DOWN_WORDS):
                    self.monitor_op = operator.lt
                elif any(w in lowered for w in _UP_WORDS):
                    self.monitor_op = operator.gt
            if self.monitor_op is None:
                raise ValueError(
                    f"{self.__class__.__name__} callback received monitor={self.monitor}, "
                    "but Keras isn't able to automatically determine whether that metric "
                    "should be maximized or minimized. Pass `mode='max'` in order to monitor "
                    "based on the highest metric value, or pass `mode='min'` in order to use "
                    "the lowest value."
                )
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value: Any, reference_value: Any) -> bool:
        if reference_value is None:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
