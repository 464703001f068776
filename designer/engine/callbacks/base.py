"""`Callback`: every Keras hook, each doing nothing until a subclass overrides it.

`CallbackList` (in `callback_list`) fans each hook out to a run's callbacks; it asks
`Callback._overrides` which batch hooks a callback really uses.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Callback"]

# A callback that only overrides the legacy hook still hears train batches.
_LEGACY_OF = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


class Callback:
    """Base class: override any hook; `self.model` and `self.params` are set by fit."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self._model: Any = None

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def set_model(self, model: Any) -> None:
        self._model = model

    @property
    def model(self) -> Any:
        return self._model

    def _overrides(self, hook: str) -> bool:
        """Whether this callback does something in `hook` (used to skip batch hooks)."""
        if hook in vars(self):  # e.g. LambdaCallback's per-instance functions
            return True
        if getattr(type(self), hook) is not getattr(Callback, hook):
            return True
        legacy = _LEGACY_OF.get(hook)
        return legacy is not None and self._overrides(legacy)

    # Legacy train-batch hooks (Keras 1/2); the default train-batch hooks call them.
    def on_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called before a training batch (legacy alias of `on_train_batch_begin`)."""

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called after a training batch (legacy alias of `on_train_batch_end`)."""

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Called at the start of an epoch (0-based)."""

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Called at the end of an epoch with its metrics (and `val_` metrics)."""

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called before an evaluation batch."""

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called after an evaluation batch."""

    def on_predict_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called before a prediction batch."""

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """Called after a prediction batch."""

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Called once when `fit` starts."""

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        """Called once when `fit` ends (also after early stopping)."""

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Called when evaluation (or fit's validation) starts."""

    def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        """Called when evaluation ends."""

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Called when prediction starts."""

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        """Called when prediction ends."""
