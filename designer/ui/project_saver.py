"""Writing project files on a worker thread, so a large save never freezes the window.

The GUI thread takes a snapshot of the project (`designer.project.files.snapshot_project`),
and a plain Python thread writes it. An explicit save
waits for the thread in a local event loop that excludes user input: the window keeps
painting, timers keep running, and nothing the user does can change the project
half-way. Autosaves do not wait at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Signal, Slot

from designer.project import Project, save_project


class ProjectSaver(QObject):
    """Runs `save_project` off the GUI thread; one save at a time."""

    # path, error message ("" on success); emitted on the GUI thread.
    saved = Signal(str, str)
    # The same, emitted by the saving thread (queued to the GUI thread).
    _written = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._callbacks: dict[str, Callable[[str], None]] = {}
        self._written.connect(self._on_written)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def save_async(
        self, path: Path, project: Project, done: Callable[[str], None] | None = None
    ) -> bool:
        """Start writing `project` (a snapshot) to `path`; False when a save is going."""
        if self._thread is not None:
            return False
        if done is not None:
            self._callbacks[str(path)] = done
        self._thread = threading.Thread(
            target=self._write, args=(path, project), name="project-save", daemon=True
        )
        self._thread.start()
        return True

    def save_and_wait(self, path: Path, project: Project) -> str:
        """Write and wait (the window keeps painting); returns the error, or ""."""
        self.wait()
        result: list[str] = []
        loop = QEventLoop()

        def done(error: str) -> None:
            result.append(error)
            loop.quit()

        self.save_async(path, project, done)
        if not result:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return result[0]

    def wait(self) -> None:
        """Let a running save finish (before quitting, or before another save)."""
        if self._thread is None:
            return
        loop = QEventLoop()
        self.saved.connect(loop.quit)
        if self._thread is not None:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.saved.disconnect(loop.quit)

    def _write(self, path: Path, project: Project) -> None:
        try:
            save_project(path, project)
            error = ""
        except OSError as problem:
            error = f"{path}: {problem.strerror or problem}"
        except Exception as problem:  # reported in the GUI, never lost in a thread
            error = f"{path}: {type(problem).__name__}: {problem}"
        self._written.emit(str(path), error)

    @Slot(str, str)
    def _on_written(self, path: str, error: str) -> None:
        self._thread = None
        callback = self._callbacks.pop(path, None)
        self.saved.emit(path, error)
        if callback is not None:
            callback(error)
