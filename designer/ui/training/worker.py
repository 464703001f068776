"""The training worker: runs the engine's own `fit` on a QThread and reports by signals.

The bridge is an engine Callback: after each batch it checks the stop flag (setting
Keras' `model.stop_training`), waits while paused, and emits progress at most a few
times a second; every epoch end is emitted. Pause and stop are `threading.Event`s,
never queued slots: a slot on a busy worker would not run until training ended.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from designer.engine import callbacks as engine_callbacks
from designer.training.config import TrainingConfig
from designer.training.session import NaNStop, fit_model

BATCH_INTERVAL = 0.1  # seconds between batch reports
SNAPSHOT_INTERVAL = 0.3  # seconds between weight snapshots for the inspector
YIELD_INTERVAL = 0.005  # seconds between handing the GIL to the GUI thread


@dataclass
class TrainingJob:
    """Everything a run needs, prepared on the GUI thread and owned by the worker."""

    model: Any  # compiled engine model built from a snapshot of the design
    layer_of_node: dict[str, Any]  # node id -> layer of `model`, to send weights back
    x: Any
    y: Any
    config: TrainingConfig
    validation_data: tuple[Any, Any] | None = None
    test_data: tuple[Any, Any] | None = None
    initial_epoch: int = 0


@dataclass
class TrainingOutcome:
    status: str  # finished | stopped | nan
    weights: dict[str, list] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)
    last_epoch: int = 0
    message: str = ""
    test_logs: dict[str, float] = field(default_factory=dict)


class ProgressBridge(engine_callbacks.Callback):
    """Engine callback → Qt signals, with pause and stop."""

    def __init__(self, worker: TrainingWorker) -> None:
        super().__init__()
        self.worker = worker
        self._last_report = 0.0
        self._last_snapshot = 0.0
        self._last_yield = 0.0
        self._epoch = 0
        self._started = 0.0

    def on_train_begin(self, logs=None):
        self._started = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        worker = self.worker
        if worker.stop_event.is_set():
            self.model.stop_training = True
            return
        now = time.perf_counter()
        if now - self._last_report >= BATCH_INTERVAL:
            self._last_report = now
            steps = self.params.get("steps") or 0
            worker.batch_ended.emit(
                {
                    "epoch": self._epoch,
                    "batch": batch + 1,
                    "steps": steps,
                    "elapsed": now - self._started,
                    **dict(logs or {}),
                }
            )
        if worker.snapshots_wanted and now - self._last_snapshot >= SNAPSHOT_INTERVAL:
            self._last_snapshot = now
            worker.weights_snapshot.emit(
                {node: layer.get_weights() for node, layer in worker.job.layer_of_node.items()}
            )
        while worker.pause_event.is_set() and not worker.stop_event.is_set():
            time.sleep(0.05)
        if now - self._last_yield >= YIELD_INTERVAL:
            # Tiny models keep the GIL between batches almost all the time; hand it to
            # the GUI thread regularly so the window stays responsive.
            self._last_yield = now
            time.sleep(0)

    def on_epoch_end(self, epoch, logs=None):
        self.worker.epoch_ended.emit(epoch, dict(logs or {}))


class TrainingWorker(QObject):
    batch_ended = Signal(dict)
    epoch_ended = Signal(int, dict)
    weights_snapshot = Signal(dict)  # node id -> copies of the weights, a few times a second
    finished = Signal(object)  # TrainingOutcome
    failed = Signal(str, str)  # message, details

    def __init__(self, job: TrainingJob) -> None:
        super().__init__()
        self.job = job
        self.stop_event = threading.Event()
        self.pause_event = threading.Event()
        # Set (from the GUI thread) while a view shows live weights; read by the worker.
        self.snapshots_wanted = False

    def request_stop(self) -> None:
        self.stop_event.set()

    def set_paused(self, paused: bool) -> None:
        if paused:
            self.pause_event.set()
        else:
            self.pause_event.clear()

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        finally:
            # End the thread's event loop from inside: the GUI may be waiting on it
            # (closing the window) without processing the finished signal yet.
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()

    def _run(self) -> None:
        job = self.job
        try:
            bridge = ProgressBridge(self)
            # A diverging run overflows on purpose-free data; NaNStop reports it in words.
            with np.errstate(over="ignore", invalid="ignore"):
                history, used = fit_model(
                    job.model,
                    job.x,
                    job.y,
                    job.config,
                    job.validation_data,
                    job.initial_epoch,
                    extra_callbacks=[bridge],
                )
            nan = next((c for c in used if isinstance(c, NaNStop) and c.triggered_at), None)
            if nan is not None:
                status = "nan"
                epoch, batch = nan.triggered_at
                message = (
                    f"The loss became NaN/infinite in epoch {epoch + 1}, batch {batch + 1}. "
                    "Training stopped and the last good weights were kept. Try a lower "
                    "learning rate or scaled inputs."
                )
            elif self.stop_event.is_set():
                status, message = "stopped", "Stopped by you; the weights so far are kept."
            elif job.model.stop_training:
                status, message = "finished", "Early stopping ended the run."
            else:
                status, message = "finished", ""
            test_logs = {}
            if job.test_data is not None and status != "nan":
                test_logs = job.model.evaluate(*job.test_data, verbose=0, return_dict=True)
            weights = {node: layer.get_weights() for node, layer in job.layer_of_node.items()}
            epochs = history.epoch if history is not None else []
            self.finished.emit(
                TrainingOutcome(
                    status,
                    weights,
                    dict(history.history if history else {}),
                    (epochs[-1] + 1) if epochs else job.initial_epoch,
                    message,
                    test_logs,
                )
            )
        except Exception as error:
            self.failed.emit(f"Training failed: {error}", traceback.format_exc())
