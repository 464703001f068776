"""Run progress in words: the bar and "Epoch 3/20 · batch 5/8 · 0:12 elapsed · ETA 0:40",
the reason Start cannot run, and the outcome line of a finished run."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from designer.training.runs import RunRecord
from designer.ui.training.runs_list import format_duration

PROGRESS_STEPS = 1000
PAUSED = "Paused · "
WARN_COLOR = "#8a5300"


def _number(value: Any) -> str:
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


def format_test_logs(logs: dict[str, float]) -> str:
    """'Test: loss 0.12 · accuracy 0.95' (loss first)."""
    keys = sorted(logs, key=lambda k: (k != "loss", k))
    return "Test: " + " · ".join(f"{k.replace('_', ' ')} {_number(logs[k])}" for k in keys)


def outcome_text(run: RunRecord) -> tuple[str, str]:
    """(line, kind) saying how a run ended; kind is ok | warn | error."""
    epochs = len(run.epochs)
    plural = "s" if epochs != 1 else ""
    took = format_duration(run.duration)
    if run.status == "nan":
        return f"⚠ NaN: {run.message}", "error"
    if run.status == "failed":
        return f"✖ {run.message}", "error"
    if run.status == "interrupted":
        return f"⚠ {run.message} ({epochs} epoch{plural} logged)", "warn"
    if run.status == "stopped":
        return (
            f"■ Stopped after {epochs} epoch{plural} ({took}); the weights so far are kept.",
            "warn",
        )
    if run.message:  # early stopping
        return f"✓ {run.message.rstrip('.')} after {epochs} epoch{plural} ({took}).", "ok"
    return f"✓ Finished: {epochs} epoch{plural} in {took}.", "ok"


class ProgressTracker:
    """Turns the worker's batch and epoch reports into (fraction done, "Epoch 3/20 · …").

    Pure Python and O(1) per report: the panel calls it for every report and shows the
    newest result on its timer.
    """

    def __init__(self, epochs: int = 1, initial_epoch: int = 0) -> None:
        self.epochs = max(1, epochs)
        self.initial_epoch = initial_epoch
        self.steps = 0
        self.started_at = time.perf_counter()
        self.pending: tuple[float, str] | None = None

    def batch(self, info: dict) -> None:
        epoch, batch = info.get("epoch", 0), info.get("batch", 0)
        self.steps = info.get("steps") or self.steps
        done = epoch - self.initial_epoch + (batch / self.steps if self.steps else 0.0)
        where = self._where(epoch) + (f" · batch {batch}/{self.steps}" if self.steps else "")
        self.pending = (done / self.epochs, where)

    def epoch(self, epoch: int) -> None:
        self.pending = ((epoch + 1 - self.initial_epoch) / self.epochs, self._where(epoch))

    def _where(self, epoch: int) -> str:
        return f"Epoch {epoch + 1}/{self.initial_epoch + self.epochs}"

    def text(self, fraction: float, where: str) -> str:
        elapsed = time.perf_counter() - self.started_at
        text = f"{where} · {format_duration(elapsed)} elapsed"
        if 0.0 < fraction < 1.0:
            text += f" · ETA {format_duration(elapsed / fraction - elapsed)}"
        return text


class ProgressView(QStackedWidget):
    """The bar and its line while Start can run; the reason in its place when it cannot,
    with a button for the one-click fix when there is one."""

    fix_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setObjectName("trainingProgress")
        self.bar.setAccessibleName("Training progress")
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.label = QLabel("Not started")
        self.label.setObjectName("progressLabel")
        self.label.setAccessibleName("Progress")
        self.label.setMinimumWidth(60)
        self.page = QWidget()
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.page)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.bar, 1)
        self._layout.addWidget(self.label)
        self.reason = QLabel()
        self.reason.setObjectName("startReason")
        self.reason.setAccessibleName("Why training cannot start")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {WARN_COLOR};")
        self.fix_button = QToolButton()
        self.fix_button.setObjectName("startFixButton")
        self.fix_button.clicked.connect(self.fix_requested)
        self.fix_button.hide()
        self.reason_page = QWidget()
        reason_row = QHBoxLayout(self.reason_page)
        reason_row.setContentsMargins(0, 0, 0, 0)
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.fix_button)
        self.addWidget(self.page)
        self.addWidget(self.reason_page)

    def set_horizontal(self, horizontal: bool) -> None:
        """Bar and line side by side (wide dock) or the line under the bar (side panel)."""
        self._layout.setDirection(
            QBoxLayout.Direction.LeftToRight if horizontal else QBoxLayout.Direction.TopToBottom
        )

    def show_reason(self, problem: str, details: str = "", fix: str = "") -> None:
        """Say why Start cannot run ("" hides it); `fix` labels the one-click fix button."""
        self.reason.setText(f"⚠ {problem}" if problem else "")
        self.reason.setToolTip(details or problem)
        self.fix_button.setText(fix)
        self.fix_button.setVisible(bool(problem and fix))
        self.setCurrentWidget(self.reason_page if problem else self.page)

    def begin(self, text: str) -> None:
        self.bar.setValue(0)
        self.label.setText(text)

    def show_progress(self, fraction: float, text: str, paused: bool) -> None:
        self.bar.setValue(round(min(1.0, max(0.0, fraction)) * PROGRESS_STEPS))
        self.label.setText((PAUSED if paused else "") + text)

    def set_paused(self, paused: bool) -> None:
        text = self.label.text().removeprefix(PAUSED)
        self.label.setText((PAUSED if paused else "") + text)

    def end(self, completed: bool) -> None:
        """The run ended: a full bar when it ran to the end; no ETA either way."""
        if completed:
            self.bar.setValue(PROGRESS_STEPS)
        self.label.setText(self.label.text().removeprefix(PAUSED).split(" · ETA")[0])
