"""History: the per-epoch logs that `fit` returns (`history.history["loss"]`)."""

from __future__ import annotations

from typing import Any

from designer.engine.callbacks.base import Callback

__all__ = ["History"]


class History(Callback):
    """Records every epoch's logs; `fit` returns it and sets `model.history` to it."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.epoch = []
        if self.model is not None:
            self.model.history = self

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self
