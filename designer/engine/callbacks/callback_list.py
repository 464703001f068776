"""`CallbackList`: one per fit/evaluate/predict, it fans each hook out to the callbacks.

Batch hooks run every batch, so `CallbackList` precomputes which callbacks actually
override each batch hook and calls only those; with no listener a batch hook is a
single empty-list check. Kept apart from `Callback`, as Keras keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from designer.engine.callbacks.base import Callback

__all__ = ["CallbackList", "pythonify_logs"]

_BATCH_HOOKS = (
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
    "on_batch_begin",
    "on_batch_end",
)


def pythonify_logs(logs: dict[str, Any] | None) -> dict[str, Any]:
    """A new dict, sorted by key, nested dicts flattened, numbers as Python floats."""
    result: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            result.update(pythonify_logs(value))
            continue
        if isinstance(value, (np.generic, np.ndarray)) and np.size(value) == 1:
            value = float(np.asarray(value).reshape(()))
        elif isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        result[key] = value
    return result


def _flatten(callbacks: Any) -> list[Callback]:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    out: list[Callback] = []
    for cb in callbacks:
        out.extend(_flatten(cb) if isinstance(cb, (list, tuple)) else [cb])
    return out


class CallbackList(Callback):
    """Calls each hook on every callback; adds History/ProgbarLogger when asked (as fit does).

    `params` are typically `verbose`, `epochs` and `steps` (batches per epoch).
    """

    def __init__(
        self,
        callbacks: Iterable[Callback] | Callback | None = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        super().__init__()
        self.callbacks: list[Callback] = _flatten(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    "Expected a `Callback` instance in `callbacks`. "
                    f"Received: {cb!r} of type {type(cb)}"
                )
        self._dispatch: dict[str, list[Callable[..., Any]]] | None = None
        self._add_default_callbacks(add_history, add_progbar)
        self.set_model(model)
        self.set_params(params)

    def _add_default_callbacks(self, add_history: bool, add_progbar: bool) -> None:
        from designer.engine.callbacks.history import History
        from designer.engine.callbacks.progbar import ProgbarLogger

        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)

    def append(self, callback: Callback) -> None:
        """Add a callback (it gets the list's model and params)."""
        self.callbacks.append(callback)
        if self._model is not None:
            callback.set_model(self._model)
        if self.params:
            callback.set_params(self.params)
        self._dispatch = None

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params
        if params:
            for cb in self.callbacks:
                cb.set_params(params)
        self._dispatch = None

    def set_model(self, model: Any) -> None:
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    # ----------------------------------------------------------- batch dispatch
    def _batch_listeners(self, hook: str) -> list[Callable[..., Any]]:
        if self._dispatch is None:
            self._dispatch = {
                name: [getattr(cb, name) for cb in self.callbacks if cb._overrides(name)]
                for name in _BATCH_HOOKS
            }
        return self._dispatch[hook]

    def _refresh_dispatch(self) -> None:
        self._dispatch = None  # a callback's needs may change at begin (ProgbarLogger)

    @property
    def wants_train_batch_logs(self) -> bool:
        """Whether any callback listens to `on_train_batch_end` (else logs may be skipped)."""
        return bool(self._batch_listeners("on_train_batch_end"))

    def _call_batch(self, hook: str, batch: int, logs: dict[str, Any] | None) -> None:
        listeners = self._batch_listeners(hook)
        if listeners:
            logs = pythonify_logs(logs)
            for fn in listeners:
                fn(batch, logs)

    def on_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_batch("on_predict_batch_end", batch, logs)

    # ----------------------------------------------------------- epoch / run hooks
    def _call_all(self, hook: str, *args: Any, logs: dict[str, Any] | None = None) -> None:
        logs = pythonify_logs(logs)  # one dict shared by all, as Keras (so learning_rate
        for cb in self.callbacks:  # added by ReduceLROnPlateau reaches History)
            getattr(cb, hook)(*args, logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_epoch_end", epoch, logs=logs)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_train_begin", logs=logs)
        self._refresh_dispatch()

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_train_end", logs=logs)

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_test_begin", logs=logs)
        self._refresh_dispatch()

    def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_test_end", logs=logs)

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_predict_begin", logs=logs)
        self._refresh_dispatch()

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        self._call_all("on_predict_end", logs=logs)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)
