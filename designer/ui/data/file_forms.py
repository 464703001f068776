"""Files as data sources: a CSV table, .npy x/y files, an .npz archive, IDX image/label files.

The .npz form reads the archive's array names (headers only) and recognises Keras'
mnist.npz layout; the CSV form lives in csv_form.py.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QWidget,
)

from designer.data.errors import DataFormatError
from designer.data.numpy_loader import MNIST_KEYS, inspect_npz
from designer.data.source import DataSource
from designer.ui.data.source_forms import SourceForm
from designer.ui.data.widgets import (
    AskPath,
    PageStack,
    PathRow,
    compact_form,
    error_label,
    muted_label,
    set_note,
    stacked,
)

NPY_FILTER = "NumPy arrays (*.npy);;All files (*)"
NPZ_FILTER = "NumPy archives (*.npz);;All files (*)"
IDX_FILTER = "IDX files (*-ubyte *-ubyte.gz *.idx *.idx*-ubyte *.gz);;All files (*)"
AUTO = "(automatic)"


def _shape_text(path: str) -> str:
    """'(60000, 28, 28) uint8' from an .npy header, or '' when it cannot be read."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return ""
    return f"{tuple(array.shape)} {array.dtype}"


class _PathsForm(SourceForm):
    """Two required files and an optional test pair (the .npy and IDX layouts)."""

    kind = ""
    keys: tuple[str, str, str, str] = ("", "", "", "")
    captions: tuple[str, str, str, str] = ("", "", "", "")
    file_filter = ""

    def __init__(self, ask: AskPath) -> None:
        super().__init__()
        form = compact_form()
        self.rows: dict[str, PathRow] = {}
        for i, (key, caption) in enumerate(zip(self.keys, self.captions, strict=True)):
            row = PathRow(f"{self.kind}_{key}", caption, self.file_filter, ask, optional=i >= 2)
            row.path_changed.connect(self._on_path)
            form.addRow(caption, row)
            self.rows[key] = row
        self.info = muted_label(name=f"{self.kind}Info")
        self.info.hide()
        form.addRow(self.info)
        self._column().addLayout(form)

    @Slot()
    def _on_path(self) -> None:
        set_note(self.info, self.describe())
        self.changed.emit()

    def describe(self) -> str:
        return ""

    def problem(self) -> str:
        missing = [
            c
            for k, c in zip(self.keys[:2], self.captions[:2], strict=True)
            if not self.rows[k].path
        ]
        return f"Choose the {' and '.join(c.lower() for c in missing)}." if missing else ""

    def source(self) -> DataSource:
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        return DataSource(self.kind, {k: r.path for k, r in self.rows.items() if r.path})

    def set_source(self, source: DataSource) -> None:
        for key, row in self.rows.items():
            row.set_path(source.option(key))
        self._on_path()


class NpyForm(_PathsForm):
    title = "NumPy .npy files"
    kinds = ("npy",)
    kind = "npy"
    keys = ("x_path", "y_path", "x_test_path", "y_test_path")
    captions = ("Inputs (x)", "Targets (y)", "Test inputs", "Test targets")
    file_filter = NPY_FILTER

    def describe(self) -> str:
        parts = []
        for key, caption in zip(self.keys, self.captions, strict=True):
            shape = _shape_text(self.rows[key].path) if self.rows[key].path else ""
            if shape:
                parts.append(f"{caption}: {shape}")
        return " · ".join(parts)


class IdxForm(_PathsForm):
    title = "IDX images + labels"
    kinds = ("idx",)
    kind = "idx"
    keys = ("images", "labels", "test_images", "test_labels")
    captions = ("Images", "Labels", "Test images", "Test labels")
    file_filter = IDX_FILTER


class NpzForm(SourceForm):
    """An .npz archive; which arrays are inputs and targets (mnist.npz is recognised)."""

    title = "NumPy .npz archive"
    kinds = ("npz",)
    roles = (("x_key", "Inputs (x)"), ("y_key", "Targets (y)"))
    test_roles = (("x_test_key", "Test inputs"), ("y_test_key", "Test targets"))

    def __init__(self, ask: AskPath) -> None:
        super().__init__()
        self.arrays: dict[str, tuple[tuple[int, ...], str]] = {}
        self.file = PathRow("npz", "NumPy archive", NPZ_FILTER, ask)
        self.file.path_changed.connect(self._inspect)
        self.info = muted_label(name="npzInfo")
        self.info.hide()
        self.error = error_label("npzError")
        form = compact_form()
        form.addRow("File", stacked(self.file, self.info, self.error))
        self.combos: dict[str, QComboBox] = {}
        for key, caption in self.roles + self.test_roles:
            combo = QComboBox()
            combo.setObjectName(f"npz_{key}")
            combo.setAccessibleName(caption)
            combo.addItem(AUTO, None)
            combo.activated.connect(self.changed)
            form.addRow(caption, combo)
            self.combos[key] = combo
        self._column().addLayout(form)

    @Slot()
    def _inspect(self) -> None:
        self.arrays = {}
        set_note(self.error, "")
        if self.file.path:
            try:
                self.arrays = inspect_npz(self.file.path)
            except DataFormatError as error:
                set_note(self.error, str(error))
        for combo in self.combos.values():
            combo.clear()
            combo.addItem(AUTO, None)
            for name, (shape, dtype) in self.arrays.items():
                combo.addItem(f"{name}  {shape} {dtype}", name)
        if all(k in self.arrays for k in MNIST_KEYS):
            set_note(
                self.info, "Keras' mnist.npz layout recognised (x_train, y_train, x_test, y_test)."
            )
        elif self.arrays:
            set_note(self.info, f"{len(self.arrays)} arrays: {', '.join(self.arrays)}.")
        else:
            set_note(self.info, "")
        self.changed.emit()

    def problem(self) -> str:
        if not self.file.path:
            return "Choose an .npz file."
        return self.error.text()

    def source(self) -> DataSource:
        if not self.file.path:
            raise ValueError("Choose an .npz file first.")
        options = {"path": self.file.path}
        options.update({k: c.currentData() for k, c in self.combos.items() if c.currentData()})
        return DataSource("npz", options)

    def set_source(self, source: DataSource) -> None:
        self.file.set_path(source.option("path"))
        self._inspect()
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(source.option(key))))


class FileForm(SourceForm):
    """The file format, then that format's form."""

    title = "File"
    kinds = ("csv", "npy", "npz", "idx")

    def __init__(self, ask: AskPath, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from designer.ui.data.csv_form import CsvForm

        self.forms: list[SourceForm] = [CsvForm(ask), NpyForm(ask), NpzForm(ask), IdxForm(ask)]
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("fileFormat")
        self.format_combo.setAccessibleName("File format")
        self.stack = PageStack()
        for form in self.forms:
            self.format_combo.addItem(form.title)
            self.stack.addWidget(form)
            form.changed.connect(self.changed)
        self.format_combo.currentIndexChanged.connect(self._on_format)
        form = compact_form()
        form.addRow("Format", self.format_combo)
        layout = self._column()
        layout.addLayout(form)
        layout.addWidget(self.stack)
        layout.addStretch(1)

    @property
    def form(self) -> SourceForm:
        return self.forms[self.stack.currentIndex()]

    def choose(self, title: str) -> SourceForm:
        self.format_combo.setCurrentIndex(self.format_combo.findText(title))
        return self.form

    @Slot(int)
    def _on_format(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.changed.emit()

    def problem(self) -> str:
        return self.form.problem()

    def source(self) -> DataSource:
        return self.form.source()

    def set_source(self, source: DataSource) -> None:
        for index, form in enumerate(self.forms):
            if source.kind in form.kinds:
                form.set_source(source)
                self.format_combo.setCurrentIndex(index)
