"""What the File > Export and File > Import menus do: designs go out as a Keras or engine
script or a `.keras` model, and a `.keras` model comes in as a new project (Keras code
comes in through `code_import`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from designer.export.keras_file import KerasFileError, load_keras_file, save_keras_file
from designer.export.project_script import project_script
from designer.project import Project
from designer.spec.from_model import design_from_model


class ImportExport(QObject):
    """The import and export commands of one main window (it keeps this as `exchange`)."""

    message_posted = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window

    # Dialogs are methods so tests can answer them.
    def ask_save_path(self, title: str, pattern: str, suggestion: str) -> str:
        return QFileDialog.getSaveFileName(self.window, title, suggestion, pattern)[0]

    def ask_open_path(self, title: str, pattern: str) -> str:
        return QFileDialog.getOpenFileName(self.window, title, "", pattern)[0]

    def _name(self) -> str:
        path = self.window.projects.path
        return path.stem if path else "design"

    def export_script(self, target: str) -> bool:
        document = self.window.document
        if not document.build_result.ok:
            self.window.projects.show_error(
                "Cannot export", "Fix the design first: it cannot be built."
            )
            return False
        suffix = "_keras.py" if target == "keras" else "_engine.py"
        path = self.ask_save_path(
            "Export Python script", "Python files (*.py)", self._name() + suffix
        )
        if not path:
            return False
        text = project_script(self.window.projects.capture(), target, self._name())
        target_path = Path(path)
        temporary = target_path.with_name(f".{target_path.name}.tmp")
        try:
            temporary.write_text(text)
            temporary.replace(target_path)
        except OSError as error:
            self.window.projects.show_error("Cannot export", f"{path}: {error}")
            return False
        self.message_posted.emit(f"Exported {target_path.name}")
        return True

    def export_keras(self) -> bool:
        document = self.window.document
        result = document.build_result
        if not result.ok:
            self.window.projects.show_error(
                "Cannot export", "Fix the design first: it cannot be built."
            )
            return False
        path = self.ask_save_path(
            "Export Keras model", "Keras models (*.keras)", self._name() + ".keras"
        )
        if not path:
            return False
        if not path.endswith(".keras"):
            path += ".keras"
        try:
            save_keras_file(result.model, path)
        except (KerasFileError, OSError, ValueError) as error:
            self.window.projects.show_error("Cannot export", str(error))
            return False
        self.message_posted.emit(f"Exported {Path(path).name} (opens with keras.saving.load_model)")
        return True

    def import_keras(self, path: str | None = None) -> bool:
        """A `.keras` file becomes a new, untitled project with its weights."""
        path = path or self.ask_open_path("Import Keras model", "Keras models (*.keras)")
        if not path:
            return False
        try:
            model, ignored = load_keras_file(path)
            converted = design_from_model(model)
        except (KerasFileError, ValueError) as error:
            self.window.projects.show_error("Cannot import", str(error))
            return False
        project = Project(design=converted.design, weights=converted.weights)
        if not self.window.projects.new(project):
            return False
        notes = [
            f"{layer}: {', '.join(keys)} not editable here" for layer, keys in ignored.items()
        ] + converted.notes
        self.message_posted.emit(
            f"Imported {Path(path).name}" + (f" ({'; '.join(notes)})" if notes else "")
        )
        return True
