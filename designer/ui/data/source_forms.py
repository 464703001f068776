"""Where the data comes from: a generator, a built-in sample, a file, or Fashion-MNIST.

Each form turns what the user chose into a `DataSource` (or says what is missing) and
shows a saved source again (`set_source`). Generator forms are built from the
generator's own parameter specs, so a new generator appears here with its form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from designer.data.generators import GENERATORS, ParamSpec
from designer.data.idx import FASHION_MNIST_DIR
from designer.data.samples import SAMPLES
from designer.data.source import DataSource
from designer.ui.data.widgets import AskPath, PageStack, compact_form, muted_label

PARAM_LABELS = {"n": "Samples", "d": "Features", "box": "Box size"}
CHOICE_LABELS = {"plus_minus_one": "−1 / +1", "zero_one": "0 / 1"}
INT_MAX = 2**31 - 1  # QSpinBox holds a C int
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


def _param_widget(spec: ParamSpec) -> QWidget:
    widget = _make_param_widget(spec)
    # Spin boxes size themselves for their longest value (±1e6); two columns need less.
    widget.setMinimumWidth(64)
    return widget


def _make_param_widget(spec: ParamSpec) -> QWidget:
    if spec.kind == "choice":
        combo = QComboBox()
        for choice in spec.choices:
            combo.addItem(CHOICE_LABELS.get(choice, choice), choice)
        return combo
    if spec.kind == "int":
        spin = QSpinBox()
        low = int(spec.minimum) if spec.minimum is not None else -INT_MAX
        high = min(int(spec.maximum), INT_MAX) if spec.maximum is not None else INT_MAX
        spin.setRange(low, high)
        spin.setGroupSeparatorShown(spec.name == "n")
        return spin
    spin = QDoubleSpinBox()
    spin.setDecimals(3)
    spin.setRange(
        spec.minimum if spec.minimum is not None else -1e9,
        spec.maximum if spec.maximum is not None else 1e9,
    )
    spin.setSingleStep(0.05 if (spec.maximum or 0) <= 1 or spec.name == "noise" else 0.1)
    return spin


def _show(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    else:
        widget.setValue(float(value))


def _read(widget: QWidget) -> Any:
    return widget.currentData() if isinstance(widget, QComboBox) else widget.value()


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
        layout = self._column()
        layout.addWidget(self.combo)
        layout.addWidget(self.description)
        layout.addWidget(self.params)
        layout.addStretch(1)
        self.fields: dict[str, QWidget] = {}
        self._values: dict[str, dict[str, Any]] = {}  # remembered per generator
        self._name = ""
        self._on_generator()

    @property
    def name(self) -> str:
        return self.combo.currentData()

    def values(self) -> dict[str, Any]:
        return {name: _read(widget) for name, widget in self.fields.items()}

    @Slot()
    def _on_generator(self) -> None:
        if self._name:
            self._values[self._name] = self.values()
        self._name = self.name
        info = GENERATORS[self.name]
        self.description.setText(info.description)
        self.fields = {}
        pairs = []
        remembered = self._values.get(self.name, {})
        for spec in info.params:
            widget = _param_widget(spec)
            widget.setObjectName(f"gen_{spec.name}")
            text = PARAM_LABELS.get(spec.name, spec.name.capitalize())
            widget.setAccessibleName(text)
            widget.setToolTip(spec.help)
            _show(widget, remembered.get(spec.name, spec.default))
            signal = (
                widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            )
            signal.connect(self.changed)
            label = QLabel(text)
            label.setBuddy(widget)
            label.setToolTip(spec.help)
            pairs.append((label, widget))
            self.fields[spec.name] = widget
        self.params.set_pairs(pairs)
        self.changed.emit()

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
