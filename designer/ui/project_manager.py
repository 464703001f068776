"""File > New/Open/Save/Save As/Open Recent/Examples, the title, unsaved-changes prompts,
autosave to a recovery file, and opening a project dropped on the window.

The document holds the design, compile settings and weights; other parts of the window
(data panel, training panel) register a capture/restore pair so one project file holds
everything. Loading is all-or-nothing: a file is read and checked completely before
anything in the open project changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from designer.project import Project, load_project
from designer.project.files import SUFFIX, remove_stale_temp_files, snapshot_project
from designer.spec.serialize import ProjectFormatError
from designer.ui.document import Document
from designer.ui.project_saver import ProjectSaver

RECENT_KEY = "projects/recent"
MAX_RECENT = 8
# A recovery copy is written this long after the last change (each change restarts it).
AUTOSAVE_DELAY_MS = 3_000
FILE_FILTER = f"Network Designer projects (*{SUFFIX});;All files (*)"

Capture = Callable[[Project], None]
Restore = Callable[[Project], None]
# Asked before the open project is replaced or closed ("Open", "New", "Close"); False
# cancels. The window uses it to stop a training run first.
LeaveGuard = Callable[[str], bool]


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".network-designer") / "recovery"


class ProjectManager(QObject):
    path_changed = Signal(str)
    modified_changed = Signal(bool)
    message_posted = Signal(str)

    def __init__(self, document: Document, window: QWidget, settings: QSettings | None) -> None:
        super().__init__(window)
        self.document = document
        self.window = window
        self.settings = settings
        self.path: Path | None = None
        self._extra_dirty = False
        self._stack_clean = True  # mirrored from cleanChanged (the stack may be gone at exit)
        self._captures: list[tuple[Capture, Restore]] = []
        document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        document.weights_changed.connect(self.mark_dirty)
        document.data_changed.connect(self._on_data_changed)
        self._quiet_data = False  # a project's own data is being reloaded: not a change
        self._loading: Path | None = None
        self.leave_guard: LeaveGuard | None = None
        self.saver = ProjectSaver(self)
        remove_stale_temp_files(recovery_dir())  # an autosave killed mid-write, last session
        # Debounced: a recovery copy a few seconds after the last change.
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        document.undo_stack.indexChanged.connect(self.autosave_soon)
        document.weights_changed.connect(self.autosave_soon)
        document.data_changed.connect(self.autosave_soon)

    # -- state --------------------------------------------------------------------------
    def register(self, capture: Capture, restore: Restore) -> None:
        """Another part of the window adds its state to project files."""
        self._captures.append((capture, restore))

    @property
    def modified(self) -> bool:
        return self._extra_dirty or not self._stack_clean

    @Slot(bool)
    def _on_clean_changed(self, clean: bool) -> None:
        self._stack_clean = clean
        self._emit_modified()

    @Slot()
    def mark_dirty(self) -> None:
        if not self._extra_dirty:
            self._extra_dirty = True
            self._emit_modified()
        self.autosave_soon()

    @Slot()
    def autosave_soon(self, *_args) -> None:
        """(Re)start the countdown to the next recovery copy."""
        self.autosave_timer.start()

    @Slot()
    def _on_data_changed(self) -> None:
        if not self._quiet_data:
            self.mark_dirty()

    def begin_quiet_data(self) -> None:
        self._quiet_data = True

    @Slot(bool)
    def end_quiet_data(self, _ok: bool = True) -> None:
        self._quiet_data = False

    def base_dir(self) -> Path | None:
        """The folder of the project being opened (or open): relative data paths start there."""
        path = self._loading or self.path
        return path.parent if path else None

    def _emit_modified(self, *_args) -> None:
        self.modified_changed.emit(self.modified)

    def _mark_clean(self) -> None:
        self.document.undo_stack.setClean()
        self._stack_clean = True
        self._extra_dirty = False
        self._emit_modified()

    def title(self) -> str:
        name = self.path.stem if self.path else "Untitled"
        return f"{name}[*] — Network Designer"

    def capture(self) -> Project:
        document = self.document
        document.build_result  # noqa: B018 (sync the weights of a pending rebuild first)
        project = Project(
            design=document.design,
            compile=document.compile_settings,
            weights={k: list(v) for k, v in document.weights.items()},
        )
        for capture, _ in self._captures:
            capture(project)
        return project

    def restore(self, project: Project) -> None:
        self.document.reset(project.design, project.compile)
        self.document.weights = {k: list(v) for k, v in project.weights.items()}
        self.document.build_result  # noqa: B018 (apply the saved weights now)
        self.document.weights_changed.emit()
        for _, restore in self._captures:
            restore(project)

    # -- dialogs (methods so tests can replace them) -------------------------------------
    def ask_open_path(self) -> str:
        return QFileDialog.getOpenFileName(self.window, "Open project", "", FILE_FILTER)[0]

    def ask_save_path(self) -> str:
        start = str(self.path) if self.path else f"untitled{SUFFIX}"
        return QFileDialog.getSaveFileName(self.window, "Save project", start, FILE_FILTER)[0]

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"Save the changes to {self.path.name if self.path else 'this project'} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def show_error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setObjectName("projectErrorDialog")
        box.open()

    # -- intents --------------------------------------------------------------------------
    def may_leave(self, action: str) -> bool:
        """True when nothing (such as a training run) objects to replacing the project."""
        return self.leave_guard is None or self.leave_guard(action)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current work (saved, discarded, or unchanged)."""
        if not self.modified:
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self, project: Project | None = None) -> bool:
        if not self.may_leave("New") or not self.maybe_save():
            return False
        self.restore(project or Project())
        self._set_path(None)
        self._mark_clean()
        return True

    def open(self, path: str | None = None) -> bool:
        """File > Open: the file is read and checked completely before anything is asked
        or changed, so a damaged file leaves the open project exactly as it was."""
        if not self.may_leave("Open"):
            return False
        path = path or self.ask_open_path()
        if not path:
            return False
        project = self._read(Path(path))
        if project is None or not self.maybe_save():
            return False
        return self._replace_with(project, Path(path))

    def open_path(self, path: str | Path) -> bool:
        """Read, check, then replace the open project (no questions); a bad file changes
        nothing: not the design, weights, title, path, modified flag or undo history."""
        project = self._read(Path(path))
        return project is not None and self._replace_with(project, Path(path))

    def _read(self, path: Path) -> Project | None:
        try:
            project = load_project(path)
        except ProjectFormatError as error:
            self.show_error("Cannot open project", str(error))
            self.message_posted.emit(str(error))
            return None
        remove_stale_temp_files(path.parent, path.name)  # left by a save that was killed
        return project

    def _replace_with(self, project: Project, path: Path) -> bool:
        self._loading = path
        try:
            self.restore(project)
        finally:
            self._loading = None
        self._set_path(path)
        self._mark_clean()
        self._remember_recent(path)
        self.message_posted.emit(f"Opened {path.name}")
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self._write(Path(path))

    def _write(self, path: Path) -> bool:
        """Save on the worker thread; the window keeps painting while it writes."""
        self.message_posted.emit(f"Saving {path.name}…")
        error = self.saver.save_and_wait(path, snapshot_project(self.capture()))
        if error:
            self.show_error("Cannot save project", error)
            self.message_posted.emit(f"Not saved: {error}")
            return False
        self._set_path(path)
        self._mark_clean()
        self._remember_recent(path)
        self.discard_recovery()
        self.message_posted.emit(f"Saved {path.name}")
        return True

    def _set_path(self, path: Path | None) -> None:
        self.path = path
        self.path_changed.emit(str(path) if path else "")

    # -- recent files ----------------------------------------------------------------------
    def recent(self) -> list[str]:
        if self.settings is None:
            return []
        value = self.settings.value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [p for p in items if Path(p).exists()]

    def _remember_recent(self, path: Path) -> None:
        if self.settings is None:
            return
        items = [str(path.resolve())] + [p for p in self.recent() if p != str(path.resolve())]
        self.settings.setValue(RECENT_KEY, items[:MAX_RECENT])

    # -- autosave and recovery --------------------------------------------------------------
    def recovery_paths(self) -> tuple[Path, Path]:
        directory = recovery_dir()
        return directory / f"autosave{SUFFIX}", directory / "autosave.json"

    @Slot()
    def autosave(self) -> bool:
        """Start writing a recovery copy (off the GUI thread) while there are unsaved changes."""
        if not self.modified:
            return False
        if self.saver.busy:
            self.autosave_soon()  # try again once the running save is done
            return False
        project_file, marker = self.recovery_paths()
        original = str(self.path) if self.path else None
        try:
            project_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.message_posted.emit(f"Autosave failed: {error}")
            return False

        def done(error: str) -> None:
            if error:
                self.message_posted.emit(f"Autosave failed: {error}")
                return
            if not self.modified:  # saved meanwhile: the copy is not needed
                self.discard_recovery()
                return
            try:
                marker.write_text(json.dumps({"original": original}))
            except OSError as problem:
                self.message_posted.emit(f"Autosave failed: {problem}")

        return self.saver.save_async(project_file, snapshot_project(self.capture()), done)

    def wait_for_saves(self) -> None:
        """Let a save in progress finish (closing the window)."""
        self.autosave_timer.stop()
        self.saver.wait()

    def discard_recovery(self) -> None:
        for path in self.recovery_paths():
            if path.exists():
                os.remove(path)

    def pending_recovery(self) -> tuple[Path, str | None] | None:
        """The recovery file left by a session that did not end cleanly, if any."""
        project_file, marker = self.recovery_paths()
        if not project_file.exists():
            return None
        try:
            original = json.loads(marker.read_text()).get("original")
        except (OSError, ValueError):
            original = None
        return project_file, original

    def recover(self) -> bool:
        """Open the recovery file as unsaved work (its original path kept)."""
        pending = self.pending_recovery()
        if pending is None:
            return False
        project_file, original = pending
        try:
            project = load_project(project_file)
        except ProjectFormatError as error:
            self.show_error("Cannot recover", str(error))
            self.discard_recovery()
            return False
        self.restore(project)
        self._set_path(Path(original) if original else None)
        self.mark_dirty()
        self.discard_recovery()
        self.message_posted.emit("Recovered unsaved work from the last session.")
        return True
