"""Keras 3's text progress bar (`Progbar`) and the callback that prints it during fit.

verbose=1 redraws one line in place per epoch, at most every `interval` seconds:

    8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.5000 - loss: 0.6931

verbose=2 prints one line per epoch (`8/8 - 0s - 2ms/step - ...`), verbose=0 nothing.
Colours (ANSI) are used only when stdout is a terminal; elsewhere the not-yet-done
part of the bar is drawn with a lighter line so progress stays visible.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from designer.engine.callbacks.base import Callback

__all__ = ["Progbar", "ProgbarLogger", "print_msg"]

_DONE, _TODO_PLAIN = "━", "─"


def print_msg(message: str, line_break: bool = True) -> None:
    """Write to the current `sys.stdout` (looked up each time, so capture works)."""
    message = f"{message}\n" if line_break else message
    stream = sys.stdout
    if stream is None:  # pythonw without a console
        return
    try:
        stream.write(message)
    except UnicodeEncodeError:  # a console without UTF-8: fall back to Keras 2's bar
        message = message.replace(_DONE, "=").replace(_TODO_PLAIN, ".")
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(message.encode(encoding, errors="ignore").decode(encoding))
    stream.flush()


def _is_terminal() -> bool:
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


class Progbar:
    """A progress bar: `update(current, values)` or `add(n, values)`.

    Metrics are averaged over the steps seen unless named in `stateful_metrics`
    (or, with `stateless_metrics` given, only those named there are averaged).
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
        stateless_metrics: Iterable[str] | None = None,
    ) -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided."
            )
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = None if stateless_metrics is not None else set(
            stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._ansi = _is_terminal() or "ipykernel" in sys.modules
        self._dynamic_display = (self._ansi or "posix" in sys.modules
                                 or "PYCHARM_HOSTED" in os.environ)
        self._seen_so_far = 0
        self._values: dict[str, list[Any]] = {}
        self._values_order: list[str] = []
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Show progress `current` with `values` (pairs or a dict of metric values)."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        items = values.items() if isinstance(values, dict) else (values or [])
        for k, v in items:
            if k not in self._values_order:
                self._values_order.append(k)
            stateless = (k not in self.stateful_metrics if self.stateful_metrics is not None
                         else k in (self.stateless_metrics or ()))
            if stateless and not finalize:
                base = max(current - self._seen_so_far, 1)
                if k in self._values:
                    self._values[k][0] += v * base
                    self._values[k][1] += base
                else:
                    self._values[k] = [v * base, base]
            else:
                self._values[k] = [v, 1]
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._print_bar(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize and self.target:
            digits = int(math.log10(self.target)) + 1
            info = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s"
            info += f" -{self._format_time(time_per_unit, self.unit_name)}"
            info += self._format_values()
            print_msg(info)
        self._last_update = now

    def _print_bar(self, current: int, now: float, time_per_unit: float,
                   finalize: bool) -> None:
        bold, green, grey, reset = ("\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m") if (
            self._ansi) else ("", "", "", "")
        message = "\r" if self._dynamic_display else "\n"
        if self.target:
            digits = int(math.log10(self.target)) + 1
            count = f"{current:{digits}d}/{self.target}"
            done = min(int(self.width * current / self.target), self.width)
            todo = _DONE if self._ansi else _TODO_PLAIN
            bar = f"{bold}{count}{reset} "
            plain = f"{count} {_DONE * done}{todo * (self.width - done)}"
            if done:
                bar += f"{green}{_DONE * done}{reset}"
            bar += f"{grey}{todo * (self.width - done)}{reset}"
        else:
            bar = plain = f"{current:7d}/Unknown"
        if self.target and not finalize:
            eta = time_per_unit * (self.target - current)
            if eta > 3600:
                eta_text = f"{int(eta // 3600)}:{int(eta % 3600 // 60):02d}:{int(eta % 60):02d}"
            elif eta > 60:
                eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}"
            else:
                eta_text = f"{int(eta)}s"
        else:
            eta_text = f"{now - self._start:.0f}s"
        rest = self._format_time(time_per_unit, self.unit_name) + self._format_values()
        message += f"{bar} {bold}{eta_text}{reset}{rest}"
        total_width = len(plain) + 1 + len(eta_text) + len(rest)
        if self._dynamic_display and self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        print_msg(message, line_break=False)
        self._prev_total_width = total_width

    def _format_values(self) -> str:
        info = ""
        for k in self._values_order:
            total, count = self._values[k]
            try:
                avg = float(np.mean(total)) / max(1, count)
            except (TypeError, ValueError):
                info += f" - {k}: {total}"
                continue
            info += f" - {k}: {avg:.4f}" if abs(avg) > 1e-3 else f" - {k}: {avg:.4e}"
        return info

    def add(self, n: int, values: Any = None) -> None:
        """Advance by `n` steps."""
        self.update(self._seen_so_far + n, values)

    @staticmethod
    def _format_time(time_per_unit: float, unit_name: str) -> str:
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" {time_per_unit:.0f}s/{unit_name}"
        if time_per_unit >= 1e-3:
            return f" {time_per_unit * 1e3:.0f}ms/{unit_name}"
        return f" {time_per_unit * 1e6:.0f}us/{unit_name}"

    def _estimate_step_duration(self, current: int, now: float) -> float:
        # The first step (compilation in Keras, warm-up here) is left out of the average.
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_unit = (now - self._time_after_first_step) / (current - 1)
        else:
            per_unit = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_unit


class ProgbarLogger(Callback):
    """Prints "Epoch i/n" and a `Progbar` per epoch, as Keras' fit does for `verbose`."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose)
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def _overrides(self, hook: str) -> bool:
        # Per-batch work is only needed to redraw the bar or to count unknown steps.
        if hook in ("on_train_batch_end", "on_predict_batch_end"):
            return self.verbose == 1 or self.target is None
        if hook == "on_test_batch_end":
            return not self._called_in_fit and (self.verbose == 1 or self.target is None)
        return super()._overrides(hook)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._called_in_fit = True

    def on_test_begin(self, logs: dict[str, Any] | None = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs: dict[str, Any] | None = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs: dict[str, Any] | None = None) -> None:
        self._finalize_progbar(logs)

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> Progbar:
        if self.progbar is None:
            # Logs already hold running means, so every value is shown as given.
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                                   stateless_metrics=set())
        return self.progbar

    def _update_progbar(self, batch: int, logs: dict[str, Any] | None) -> None:
        progbar = self._maybe_init_progbar()
        self.seen = batch + 1  # one-based
        if self.verbose == 1:
            progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize_progbar(self, logs: dict[str, Any] | None) -> None:
        progbar = self._maybe_init_progbar()
        if self.target is None:  # learnt from the first epoch, as Keras
            self.target = progbar.target = self.seen
        progbar.update(self.target, list((logs or {}).items()), finalize=True)
