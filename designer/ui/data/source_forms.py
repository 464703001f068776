"""Where the data comes from: a generator, a built-in sample, a file, or Fashion-MNIST.

Each form turns what the user chose into a `DataSource` (or says what is missing) and
shows a saved source again (`set_source`). Generator forms are built from the
generator's own parameter specs (checked `ParamField`s), so a new generator appears
here with its form, and "0" samples stay visible and red with the reason instead of
becoming 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from designer.data.generators import GENERATORS
from designer.data.idx_format import FASHION_MNIST_DIR
from designer.data.samples import SAMPLES
from designer.data.source import DataSource
from designer.ui.data.widgets import AskPath, PageStack, compact_form, muted_label
from designer.ui.param_widgets import FieldGroup, ParamField

CHOICE_LABELS = {"plus_minus_one": "−1 / +1", "zero_one": "0 / 1"}
FASHION_INSTALL = "sudo apt-get install dataset-fashion-mnist"


class SourceForm(QWidget):
    """The interface every source form offers the panel."""

    changed = Signal()
    title = ""
    action = "Load"  # the load button's text for this source
    kinds: tuple[str, ...] = ()

    def source(self) -> DataSource:
        """The chosen source; ValueError saying what is missing."""
        raise NotImplementedError

    def problem(self) -> str:
        """Why loading cannot start now ("" when it can)."""
        return ""

    def set_source(self, source: DataSource) -> None:
        """Show a saved source."""

    def _column(self) -> QVBoxLayout:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        return layout


class ParamGrid(QWidget):
    """Label/field pairs in two columns when there is room (a wide dock), else one."""

    TWO_COLUMNS_WIDTH = 330

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(5)
        self.pairs: list[tuple[QLabel, QWidget]] = []
        self.columns = 1

    def set_pairs(self, pairs: list[tuple[QLabel, QWidget]]) -> None:
        for label, widget in self.pairs:
            for old in (label, widget):
                self.grid.removeWidget(old)
                old.deleteLater()
        self.pairs = list(pairs)
        self._place()

    def _place(self) -> None:
        for label, widget in self.pairs:
            self.grid.removeWidget(label)
            self.grid.removeWidget(widget)
        for index, (label, widget) in enumerate(self.pairs):
            row, column = divmod(index, self.columns)
            self.grid.addWidget(label, row, 2 * column)
            self.grid.addWidget(widget, row, 2 * column + 1)
        for column in range(4):
            self.grid.setColumnStretch(column, 1 if column % 2 and column < 2 * self.columns else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        columns = 2 if self.width() >= self.TWO_COLUMNS_WIDTH else 1
        if columns != self.columns:
            self.columns = columns
            self._place()


class GeneratorForm(SourceForm):
    """A generator and its parameters (the tutorials' sum > threshold set first)."""

    title = "Generate"
    action = "Generate"
    kinds = ("generator",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("generatorCombo")
        self.combo.setAccessibleName("Generator")
        for info in GENERATORS.values():
            self.combo.addItem(info.title, info.name)
        self.combo.currentIndexChanged.connect(self._on_generator)
        self.description = muted_label(name="generatorDescription")
        self.params = ParamGrid()
        self.params.setObjectName("generatorParams")
        self.params.setAccessibleName("Generator parameters")
        self.message = QLabel()
        self.message.setObjectName("generatorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        layout = self._column()
        layout.addWidget(self.combo)
        layout.addWidget(self.description)
        layout.addWidget(self.params)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.fields: dict[str, ParamField] = {}
        self.field_group = FieldGroup(self)
        self.field_group.validity_changed.connect(self._on_field_problem)
        self._values: dict[str, dict[str, Any]] = {}  # remembered per generator
        self._name = ""
        self._on_generator()

    @property
    def name(self) -> str:
        return self.combo.currentData()

    def values(self) -> dict[str, Any]:
        """The parameters shown (usable values only; typed text counts before Enter)."""
        for field in self.fields.values():
            field.finish_edit()
        return {name: field.value() for name, field in self.fields.items()}

    def problem(self) -> str:
        problems = self.field_group.problems()
        return problems[0] if problems else ""

    @Slot()
    def _on_generator(self) -> None:
        if self._name:
            self._values[self._name] = self.values()
        self._name = self.name
        info = GENERATORS[self.name]
        self.description.setText(info.description)
        self.field_group.clear()
        for field in self.fields.values():
            field.deleteLater()
        self.fields = {}
        pairs = []
        remembered = self._values.get(self.name, {})
        for spec in info.params:
            field = ParamField(
                spec, self, object_name=f"gen_{spec.name}", choice_labels=CHOICE_LABELS
            )
            field.show_value(remembered.get(spec.name, spec.default), keep_edit=False)
            field.committed.connect(self._on_committed)
            label = QLabel(spec.label)
            label.setBuddy(field.widget)
            label.setToolTip(spec.help)
            pairs.append((label, field.widget))
            self.fields[spec.name] = self.field_group.add(field)
        self.params.set_pairs(pairs)
        self.changed.emit()

    @Slot(object)
    def _on_committed(self, _value: object) -> None:
        self.changed.emit()

    @Slot(str)
    def _on_field_problem(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.changed.emit()  # the panel's Generate button says why it cannot run

    def source(self) -> DataSource:
        return DataSource("generator", {"name": self.name, "params": self.values()})

    def set_source(self, source: DataSource) -> None:
        name = source.option("name")
        index = self.combo.findData(name)
        if index < 0:
            return
        self._values[name] = dict(source.option("params") or {})
        self._name = ""  # do not overwrite what we just set with the old fields
        if index == self.combo.currentIndex():
            self._on_generator()
        else:
            self.combo.setCurrentIndex(index)


class SampleForm(SourceForm):
    """One of the built-in sample sets (iris, 8×8 digits)."""

    title = "Sample"
    kinds = ("sample",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("sampleCombo")
        self.combo.setAccessibleName("Sample data set")
        for info in SAMPLES.values():
            self.combo.addItem(info.title, info.name)
        self.combo.currentIndexChanged.connect(self._on_sample)
        self.description = muted_label(name="sampleDescription")
        layout = self._column()
        layout.addWidget(self.combo)
        layout.addWidget(self.description)
        layout.addStretch(1)
        self._on_sample()

    @Slot()
    def _on_sample(self) -> None:
        self.description.setText(SAMPLES[self.combo.currentData()].description)
        self.changed.emit()

    def source(self) -> DataSource:
        return DataSource("sample", {"name": self.combo.currentData()})

    def set_source(self, source: DataSource) -> None:
        index = self.combo.findData(source.option("name"))
        if index >= 0:
            self.combo.setCurrentIndex(index)


class FashionForm(SourceForm):
    """Fashion-MNIST from Debian's package; says how to install it when it is missing."""

    title = "Fashion-MNIST"
    kinds = ("fashion_mnist",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.directory = FASHION_MNIST_DIR
        self.description = muted_label(
            "70,000 grey 28×28 images of clothing in 10 classes (60,000 for training, "
            "10,000 for testing), by Zalando Research.",
            "fashionDescription",
        )
        self.status = QLabel()
        self.status.setObjectName("fashionStatus")
        self.status.setAccessibleName("Fashion-MNIST availability")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = self._column()
        layout.addWidget(self.description)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def available(self) -> bool:
        return Path(self.directory).is_dir()

    def refresh(self) -> None:
        """Look again (the package may have been installed meanwhile)."""
        if self.available():
            self.status.setText(f"✓ Installed in <code>{self.directory}</code>")
        else:
            self.status.setText(
                f"⚠ Not installed. Get it from Debian's package:<br><code>{FASHION_INSTALL}</code>"
            )
        self.changed.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def problem(self) -> str:
        if self.available():
            return ""
        return f"Fashion-MNIST is not installed; install it with: {FASHION_INSTALL}"

    def source(self) -> DataSource:
        if not self.available():
            raise ValueError(self.problem())
        options = (
            {} if Path(self.directory) == FASHION_MNIST_DIR else {"directory": str(self.directory)}
        )
        return DataSource("fashion_mnist", options)

    def set_source(self, source: DataSource) -> None:
        self.directory = Path(source.option("directory") or FASHION_MNIST_DIR)
        self.refresh()


class SourcePicker(QWidget):
    """A choice of source kind over a stack of forms; `form` is the current one."""

    changed = Signal()

    def __init__(self, ask_path: AskPath, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from designer.ui.data.file_forms import FileForm

        self.setObjectName("sourcePicker")
        self.setAccessibleName("Data source")
        self.forms: list[SourceForm] = [
            GeneratorForm(),
            SampleForm(),
            FileForm(ask_path),
            FashionForm(),
        ]
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("sourceKind")
        self.kind_combo.setAccessibleName("Source")
        self.stack = PageStack()
        for form in self.forms:
            self.kind_combo.addItem(form.title)
            self.stack.addWidget(form)
            form.changed.connect(self.changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind)
        form = compact_form()
        form.addRow("Source", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.stack, 1)

    @property
    def form(self) -> SourceForm:
        return self.forms[self.stack.currentIndex()]

    def form_of(self, cls: type) -> SourceForm:
        return next(f for f in self.forms if isinstance(f, cls))

    def choose(self, title: str) -> SourceForm:
        """Switch to the form titled `title` (as a user picks it in the combo)."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findText(title))
        return self.form

    @Slot(int)
    def _on_kind(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.changed.emit()

    def set_source(self, source: DataSource) -> None:
        for index, form in enumerate(self.forms):
            if source.kind in form.kinds:
                form.set_source(source)
                self.kind_combo.setCurrentIndex(index)
                return
