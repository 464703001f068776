"""Loading and preparing data off the GUI thread, with throttled progress and a cancel flag.

A `Job` runs one task `task(progress, cancelled)` on its own QThread. Cancelling is a
`threading.Event` the data loaders poll between chunks (never a queued slot: a slot on
a busy worker would only run after the load). The runner abandons a cancelled job at
once, so the panel is back to its previous state immediately; the thread finishes in
the background and its late result is ignored.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from designer.data.errors import LoadCancelled
from designer.data.progress import CancelledFn, ProgressFn

Task = Callable[[ProgressFn, CancelledFn], Any]
PROGRESS_INTERVAL = 0.05  # seconds between progress reports


class Job(QObject):
    """One task on a worker thread; reports carry the job so stale ones can be ignored."""

    progressed = Signal(object, float)
    succeeded = Signal(object, object)  # job, result
    failed = Signal(object, object, str)  # job, exception, traceback text
    cancelled = Signal(object)
    done = Signal()

    def __init__(self, task: Task, tag: str) -> None:
        super().__init__()
        self.task = task
        self.tag = tag
        self._cancel = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, fraction: float) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_report >= PROGRESS_INTERVAL:
            self._last_report = now
            self.progressed.emit(self, float(fraction))

    @Slot()
    def run(self) -> None:
        try:
            result = self.task(self._report, self.is_cancelled)
        except LoadCancelled:
            self.cancelled.emit(self)
        except Exception as error:  # shown by the panel: a banner, or a dialog with details
            if self.is_cancelled():
                self.cancelled.emit(self)
            else:
                self.failed.emit(self, error, traceback.format_exc())
        else:
            if self.is_cancelled():
                self.cancelled.emit(self)
            else:
                self.succeeded.emit(self, result)
        # Back to the GUI thread, so the job can be deleted there after its thread ends.
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        self.done.emit()


class JobRunner(QObject):
    """Runs one job at a time; `cancel()` abandons it at once (its result is ignored)."""

    started = Signal(str)  # tag
    progressed = Signal(float)
    succeeded = Signal(str, object)  # tag, result
    failed = Signal(str, object, str)  # tag, exception, traceback text
    cancelled = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self._threads: list[tuple[QThread, Job]] = []

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def tag(self) -> str:
        return self._job.tag if self._job is not None else ""

    def start(self, task: Task, tag: str) -> None:
        """Run `task` on a new thread (a running job is abandoned first)."""
        if self._job is not None:
            self._abandon()
        job = Job(task, tag)
        thread = QThread(self)
        thread.setObjectName(f"dataThread_{tag}")
        job.moveToThread(thread)
        thread.started.connect(job.run)
        job.progressed.connect(self._on_progressed)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.done.connect(thread.quit)
        thread.finished.connect(self._reap)
        self._threads.append((thread, job))
        self._job = job
        thread.start()
        self.started.emit(tag)
        self.busy_changed.emit(True)

    def cancel(self) -> None:
        """Stop the current job (it notices at its next check) and forget it now."""
        if self._job is None:
            return
        tag = self._job.tag
        self._abandon()
        self.cancelled.emit(tag)
        self.busy_changed.emit(False)

    def _abandon(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.cancel()

    def _finish(self, job: Job) -> bool:
        """True when `job` is the current one (and it is now over)."""
        if job is not self._job:
            return False
        self._job = None
        self.busy_changed.emit(False)
        return True

    @Slot(object, float)
    def _on_progressed(self, job: Job, fraction: float) -> None:
        if job is self._job:
            self.progressed.emit(fraction)

    @Slot(object, object)
    def _on_succeeded(self, job: Job, result: Any) -> None:
        if self._finish(job):
            self.succeeded.emit(job.tag, result)

    @Slot(object, object, str)
    def _on_failed(self, job: Job, error: Exception, details: str) -> None:
        if self._finish(job):
            self.failed.emit(job.tag, error, details)

    @Slot(object)
    def _on_cancelled(self, job: Job) -> None:
        if self._finish(job):
            self.cancelled.emit(job.tag)

    @Slot()
    def _reap(self) -> None:
        """Delete threads (and their jobs) that have ended."""
        for pair in list(self._threads):
            thread, _ = pair
            if thread.isFinished():
                self._threads.remove(pair)
                thread.deleteLater()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel and wait for every thread (closing the window); True when all ended."""
        if self._job is not None:
            self._abandon()
            self.busy_changed.emit(False)
        ended = True
        for thread, job in list(self._threads):
            job.cancel()
            ended = thread.wait(timeout_ms) and ended
        self._reap()
        return ended
