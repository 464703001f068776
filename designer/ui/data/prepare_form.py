"""How the loaded data becomes training arrays: scaling, labels, sample shape, validation.

The form edits a `designer.data.prepare.Preparation`; `changed` fires for finished edits
only (a half-typed shape is checked as you type and never sent). The split share and the
shuffle seed are `ParamField`s: "95" % or "-1" stays visible and red with the reason.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

from designer.data.cleaning import DROP_STEP, nonfinite_rows
from designer.data.dataset import Dataset
from designer.data.prepare import Preparation
from designer.spec.params import ParamSpec
from designer.ui.data.widgets import compact_form, muted_label
from designer.ui.param_widgets import INVALID_STYLE, FieldGroup, ParamField

SCALINGS = (
    ("none", "None"),
    ("divide_255", "÷ 255 (pixel values)"),
    ("min_max", "Min–max to [0, 1]"),
    ("standardize", "Standardise (mean 0, sd 1)"),
)
LABELS = (
    ("keep", "As loaded"),
    ("one_hot", "One-hot"),
    ("integer", "Class index 0…K−1"),
    ("plus_minus_one", "−1 / +1"),
)
VALIDATIONS = (
    ("split", "Split off the last rows"),
    ("test", "The data set's test set"),
    ("none", "None"),
)
AS_LOADED = "As loaded"
SPLIT_PERCENT = ParamSpec(
    "validation_split",
    "int",
    20,
    "Percent of the training rows held out for validation (the last rows, as Keras).",
    minimum=1,
    maximum=90,
    title="Validation share",
)
SHUFFLE_SEED = ParamSpec(
    "seed", "int", 0, "Same seed, same order.", minimum=0, maximum=2**31 - 1, title="Shuffle seed"
)


def format_shape(shape: tuple[int, ...]) -> str:
    return ", ".join(str(d) for d in shape)


def parse_shape(text: str) -> tuple[int, ...] | None:
    """'28, 28, 1', '28x28x1' or '(28, 28, 1)' → (28, 28, 1); 'As loaded' or '' → None."""
    text = text.strip()
    if not text or text.startswith(AS_LOADED):
        return None
    parts = [p for p in re.split(r"[\s,x×()\[\]]+", text) if p]
    if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise ValueError("Write the shape of one sample as positive whole numbers, e.g. 28, 28, 1.")
    return tuple(int(p) for p in parts)


def shape_suggestions(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Other shapes holding the same values: flat, square images, channels last/first."""
    size = math.prod(shape)
    found: list[tuple[int, ...]] = [(size,)]
    side = math.isqrt(size)
    if len(shape) == 3:
        a, b, c = shape
        if c in (1, 3, 4):  # channels last: offer channels first
            found += [(c, a, b)] + ([(a, b)] if c == 1 else [])
        elif a in (1, 3, 4):  # channels first: offer channels last
            found += [(b, c, a)] + ([(b, c)] if a == 1 else [])
    if side > 1 and side * side == size:
        found += [(side, side), (side, side, 1), (1, side, side)]
    if len(shape) == 2:
        found += [(*shape, 1), (1, *shape)]
    unique = []
    for candidate in found:
        if candidate != tuple(shape) and candidate not in unique:
            unique.append(candidate)
    return unique


def _combo(name: str, label: str, choices: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(label)
    for value, text in choices:
        combo.addItem(text, value)
    return combo


class PreparationForm(QWidget):
    """Edits one Preparation; `set_dataset` adapts the shape suggestions and test option."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preparationForm")
        self.setAccessibleName("Data preparation")
        self._sample_shape: tuple[int, ...] | None = None
        self._num_classes: int | None = None  # kept from saved settings (no widget)
        self._loaded_shape: tuple[int, ...] | None = None
        self.shape_error = ""
        self.scaling = _combo("scalingCombo", "Scaling", SCALINGS)
        self.labels = _combo("labelsCombo", "Labels", LABELS)
        self.shape = QComboBox()
        self.shape.setObjectName("shapeCombo")
        self.shape.setAccessibleName("Sample shape")
        self.shape.setEditable(True)
        self.shape.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.shape.lineEdit().setPlaceholderText("e.g. 28, 28, 1")
        self.shape.lineEdit().textEdited.connect(self._check_shape)
        self.shape.lineEdit().editingFinished.connect(self._commit_shape)
        self.shape.activated.connect(self._commit_shape)
        self.validation = _combo("validationCombo", "Validation", VALIDATIONS)
        self.fields = FieldGroup(self)
        self.split_field = self.fields.add(
            ParamField(SPLIT_PERCENT, self, object_name="validationSplit")
        )
        self.split = self.split_field.widget
        self.shuffle = QCheckBox("Shuffle rows first")
        self.shuffle.setObjectName("shuffleCheck")
        self.shuffle.setAccessibleName("Shuffle")
        self.seed_field = self.fields.add(ParamField(SHUFFLE_SEED, self, object_name="shuffleSeed"))
        self.seed = self.seed_field.widget
        self.drop_nonfinite = QCheckBox(DROP_STEP)
        self.drop_nonfinite.setObjectName("dropNonfiniteCheck")
        self.drop_nonfinite.setAccessibleName("Drop rows with NaN or infinite values")
        self.drop_nonfinite.setToolTip(
            "Remove every row (training and test) whose inputs or targets hold NaN or ±inf;\n"
            "one such value makes every loss and weight NaN after the first batch."
        )
        self.dropped_note = muted_label(name="droppedRowsNote")
        self._nonfinite = 0  # rows of the loaded data with NaN/inf
        self.message = QLabel()
        self.message.setObjectName("preparationMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        for combo in (self.scaling, self.labels, self.validation):
            combo.activated.connect(self._on_edit)
        self.split_field.committed.connect(self._on_edit)
        self.seed_field.committed.connect(self._on_edit)
        self.shuffle.toggled.connect(self._on_edit)
        self.drop_nonfinite.toggled.connect(self._on_edit)
        self.fields.validity_changed.connect(self._show_problem)

        validation_row = QHBoxLayout()
        validation_row.setSpacing(4)
        validation_row.addWidget(self.validation, 1)
        validation_row.addWidget(self.split)
        validation_row.addWidget(QLabel("%"))
        shuffle_row = QHBoxLayout()
        shuffle_row.setSpacing(4)
        shuffle_row.addWidget(self.shuffle, 1)
        shuffle_row.addWidget(QLabel("seed"))
        shuffle_row.addWidget(self.seed)
        form = compact_form(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Scaling", self.scaling)
        form.addRow("Labels", self.labels)
        form.addRow("Sample shape", self.shape)
        form.addRow("Validation", validation_row)
        form.addRow("", shuffle_row)
        form.addRow("", self.drop_nonfinite)
        form.addRow("", self.dropped_note)
        form.addRow(self.message)
        self.set_preparation(Preparation())

    # -- reading and showing -------------------------------------------------------------
    def preparation(self) -> Preparation:
        return Preparation(
            scaling=self.scaling.currentData(),
            labels=self.labels.currentData(),
            num_classes=self._num_classes,
            sample_shape=self._sample_shape,
            validation=self.validation.currentData(),
            validation_split=self.split_field.value() / 100.0,
            shuffle=self.shuffle.isChecked(),
            seed=self.seed_field.value(),
            drop_nonfinite=self.drop_nonfinite.isChecked(),
        )

    def problems(self) -> list[str]:
        """Why the typed split share or seed cannot be used (empty when they can)."""
        return self.fields.problems()

    def is_valid(self) -> bool:
        return not self.problems()

    def set_preparation(self, prep: Preparation) -> None:
        """Show `prep` without emitting `changed`."""
        widgets = (self.scaling, self.labels, self.validation, self.shuffle, self.drop_nonfinite)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            no_split = prep.validation == "split" and prep.validation_split == 0
            for combo, value in (
                (self.scaling, prep.scaling),
                (self.labels, prep.labels),
                (self.validation, "none" if no_split else prep.validation),
            ):
                combo.setCurrentIndex(max(0, combo.findData(value)))
            self.split_field.show_value(round(prep.validation_split * 100) or 20, keep_edit=False)
            self.shuffle.setChecked(prep.shuffle)
            self.seed_field.show_value(prep.seed, keep_edit=False)
            self.drop_nonfinite.setChecked(prep.drop_nonfinite)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._sample_shape = prep.sample_shape
        self._num_classes = prep.num_classes
        self._show_shape()
        self._update_enabled()

    def set_dataset(self, dataset: Dataset | None) -> None:
        """Offer reshapes of this data set's samples, and its test set when it has one."""
        self._loaded_shape = None if dataset is None else dataset.input_shape
        self._nonfinite = _nonfinite_count(dataset)
        model = self.validation.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.validation.findData("test"))
            has_test = dataset is not None and dataset.has_test
            item.setEnabled(has_test or self.validation.currentData() == "test")
            item.setToolTip("" if has_test else "This data set has no separate test set.")
        self._show_shape()
        self._show_dropped()

    def _show_shape(self) -> None:
        self.shape.blockSignals(True)
        self.shape.clear()
        loaded = self._loaded_shape
        self.shape.addItem(f"{AS_LOADED} ({format_shape(loaded)})" if loaded else AS_LOADED, None)
        for candidate in shape_suggestions(loaded) if loaded else []:
            self.shape.addItem(format_shape(candidate), candidate)
        if self._sample_shape is None:
            self.shape.setCurrentIndex(0)
        else:
            index = self.shape.findData(self._sample_shape)
            if index >= 0:
                self.shape.setCurrentIndex(index)
            else:
                self.shape.setEditText(format_shape(self._sample_shape))
        self.shape.blockSignals(False)
        self._set_shape_error("")

    def _update_enabled(self) -> None:
        self.split.setEnabled(self.validation.currentData() == "split")
        self.seed.setEnabled(self.shuffle.isChecked())
        self._show_dropped()
        self.fields.refresh()  # a switched-off setting's field does not count

    def _show_dropped(self) -> None:
        """How many rows the NaN/inf step drops (or would drop) from the loaded data."""
        count = self._nonfinite
        rows = f"{count:,} row{'' if count == 1 else 's'}"
        if not count:
            text = ""
        elif self.drop_nonfinite.isChecked():
            text = f"Dropped {rows} with NaN/inf."
        else:
            text = f"{rows} with NaN/inf: tick to drop {'it' if count == 1 else 'them'}."
        self.dropped_note.setText(text)
        self.dropped_note.setVisible(bool(text))

    @Slot()
    def _show_problem(self, *_args) -> None:
        """Under the form: what is wrong with the typed shape, share or seed."""
        problems = [p for p in (self.shape_error, *self.fields.problems()) if p]
        self.message.setText(problems[0] if problems else "")
        self.message.setVisible(bool(problems))

    # -- editing -----------------------------------------------------------------------------
    def _parse(self, text: str) -> tuple[int, ...] | None:
        shape = parse_shape(text)
        loaded = self._loaded_shape
        if shape is not None and loaded is not None and math.prod(shape) != math.prod(loaded):
            raise ValueError(
                f"{format_shape(shape)} holds {math.prod(shape)} values, but each sample has "
                f"{math.prod(loaded)} ({format_shape(loaded)})."
            )
        return shape

    @Slot(str)
    def _check_shape(self, text: str) -> None:
        try:
            self._parse(text)
        except ValueError as error:
            self._set_shape_error(str(error))
        else:
            self._set_shape_error("")

    def _set_shape_error(self, message: str) -> None:
        self.shape_error = message
        self.shape.setStyleSheet(f"QComboBox {{ {INVALID_STYLE} }}" if message else "")
        self.shape.setToolTip(message or "The shape of one sample, e.g. 784 or 28, 28, 1.")
        self._show_problem()

    @Slot()
    def _commit_shape(self) -> None:
        text = self.shape.currentText()
        try:
            shape = self._parse(text)
        except ValueError as error:
            self._set_shape_error(str(error))
            return
        self._set_shape_error("")
        if shape == self._loaded_shape:
            shape = None
        if shape != self._sample_shape:
            self._sample_shape = shape
            self.changed.emit()

    def set_sample_shape(self, shape: tuple[int, ...] | None) -> None:
        """Choose a sample shape (advice fixes) and emit `changed`."""
        self._sample_shape = None if shape is None or shape == self._loaded_shape else tuple(shape)
        self._show_shape()
        self.changed.emit()

    @Slot()
    def _on_edit(self) -> None:
        self._update_enabled()
        self.changed.emit()


def _nonfinite_count(dataset: Dataset | None) -> int:
    """Rows (training and test) whose inputs or targets hold NaN or ±inf."""
    if dataset is None:
        return 0
    parts = [(dataset.x_train, dataset.y_train)]
    if dataset.has_test:
        parts.append((dataset.x_test, dataset.y_test))
    masks = (nonfinite_rows(x, y) for x, y in parts)
    return sum(int(mask.sum()) for mask in masks if mask is not None)
