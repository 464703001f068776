"""Starts, pauses, stops and finishes training runs; the GUI side of the worker thread.

Copy in, copy out: the run trains a model built from a snapshot of the design with the
document's weights; the data arrays are passed read-only. Weights come back by signal
and are applied on the GUI thread. While a run is going the document is locked, so the
design, data and compile settings cannot change under it.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot

from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord
from designer.training.session import ModelSetupError, build_trainable_model
from designer.ui.document import Document
from designer.ui.training.worker import TrainingJob, TrainingOutcome, TrainingWorker

LOCK_REASON = "Training is running: stop or wait for it to change the design."


class TrainingError(ValueError):
    """A run that cannot start; the message says why."""


def _read_only(array: Any) -> np.ndarray:
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


class TrainingController(QObject):
    started = Signal(object)  # RunRecord
    batch_ended = Signal(dict)
    epoch_ended = Signal(int, dict)
    paused_changed = Signal(bool)
    weights_snapshot = Signal(dict)  # live weights during a run (when requested)
    finished = Signal(object)  # RunRecord
    failed = Signal(str, str)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runs: list[RunRecord] = []
        self.next_epoch = 0  # where "Continue" resumes (initial_epoch)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._run: RunRecord | None = None
        self._started_at = 0.0
        self.paused = False
        self.live_weights = False  # views that show weights during a run set this
        document.design_reset.connect(self._on_design_reset)

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def current_run(self) -> RunRecord | None:
        """The run being trained now (None between runs)."""
        return self._run if self._thread is not None else None

    # -- starting ----------------------------------------------------------------------------
    def start(
        self,
        x: Any,
        y: Any,
        config: TrainingConfig,
        validation_data: tuple[Any, Any] | None = None,
        test_data: tuple[Any, Any] | None = None,
        continue_training: bool = False,
    ) -> RunRecord:
        """Begin a run on the worker thread; raises TrainingError when it cannot start."""
        if self.running:
            raise TrainingError("A training run is already going.")
        problems = config.check()
        if problems:
            raise TrainingError(" ".join(problems))
        if x is None or y is None:
            raise TrainingError("There is no data to train on: load or generate a data set.")
        try:
            model, layer_of_node = build_trainable_model(
                self.document.design,
                self.document.weights,
                self.document.compile_settings,
                seed=config.seed,
            )
        except ModelSetupError as error:
            raise TrainingError(str(error)) from None
        initial_epoch = self.next_epoch if continue_training else 0
        job = TrainingJob(
            model,
            layer_of_node,
            _read_only(x),
            _read_only(y),
            config,
            None if validation_data is None else tuple(map(_read_only, validation_data)),
            None if test_data is None else tuple(map(_read_only, test_data)),
            initial_epoch,
        )
        self._run = RunRecord(f"Run {len(self.runs) + 1}", config.to_dict())
        self.runs.append(self._run)
        self._launch(job)
        return self._run

    def _launch(self, job: TrainingJob) -> None:
        self._thread = QThread(self)
        self._thread.setObjectName("trainingThread")
        self._worker = TrainingWorker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.batch_ended.connect(self._on_batch)
        self._worker.epoch_ended.connect(self._on_epoch)
        self._worker.weights_snapshot.connect(self._on_snapshot)
        self._worker.snapshots_wanted = self.live_weights
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self.document.set_locked(LOCK_REASON)
        self.paused = False
        self._started_at = time.perf_counter()
        self._thread.start()
        self.started.emit(self._run)

    # -- control (thread-safe flags) -------------------------------------------------------------
    def pause(self) -> None:
        if self._worker is not None and not self.paused:
            self.paused = True
            self._worker.set_paused(True)
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if self._worker is not None and self.paused:
            self.paused = False
            self._worker.set_paused(False)
            self.paused_changed.emit(False)

    def stop(self) -> None:
        """Ask the run to end after the current batch (weights so far are kept)."""
        if self._worker is not None:
            self._worker.request_stop()
            self._worker.set_paused(False)

    def stop_and_wait(self, timeout_ms: int = 60_000) -> bool:
        """Stop the run and wait for its weights while the window keeps painting.

        User input is held back meanwhile, so nothing can change the design before the
        run's result is applied. True when the run has ended.
        """
        if self._thread is None:
            return True
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        self.failed.connect(loop.quit)
        timer = QTimer(loop)
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(timeout_ms)
        self.stop()
        if self._thread is not None:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.finished.disconnect(loop.quit)
        self.failed.disconnect(loop.quit)
        return self._thread is None

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop and wait for the thread (closing the window); True when it ended."""
        if self._thread is None:
            return True
        self.stop()
        thread = self._thread
        ended = thread.wait(timeout_ms)
        if ended:
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()  # deliver finished() so weights come back
        return ended

    # -- reports from the worker ------------------------------------------------------------
    @Slot(dict)
    def _on_batch(self, info: dict) -> None:
        self.batch_ended.emit(info)

    def set_live_weights(self, wanted: bool) -> None:
        """Ask for weight snapshots during runs (the inspector is open)."""
        self.live_weights = wanted
        if self._worker is not None:
            self._worker.snapshots_wanted = wanted

    @Slot(dict)
    def _on_snapshot(self, weights: dict) -> None:
        self.weights_snapshot.emit(weights)

    @Slot(int, dict)
    def _on_epoch(self, epoch: int, logs: dict) -> None:
        if self._run is not None:
            self._run.add_epoch(epoch, logs)
        self.epoch_ended.emit(epoch, logs)

    @Slot(object)
    def _on_finished(self, outcome: TrainingOutcome) -> None:
        self._finish()
        run = self._run
        run.status, run.message = outcome.status, outcome.message
        run.test_logs = dict(outcome.test_logs)
        self.next_epoch = outcome.last_epoch
        # One undoable step: Ctrl+Z goes back to the weights before the run, and no
        # earlier redo can overwrite the result any more.
        self.document.apply_run(outcome.weights, run.name)
        self.finished.emit(run)

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._finish()
        if self._run is not None:
            self._run.status, self._run.message = "failed", message
        self.failed.emit(message, details)

    def _finish(self) -> None:
        if self._run is not None:
            self._run.duration = time.perf_counter() - self._started_at
        thread, self._thread = self._thread, None
        worker, self._worker = self._worker, None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if worker is not None:
            worker.deleteLater()
        self.paused = False
        self.document.set_locked("")

    @Slot()
    def _on_design_reset(self) -> None:
        self.next_epoch = 0
