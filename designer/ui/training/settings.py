"""The run settings and callbacks of the training panel, edited as a `TrainingConfig`.

Every field is a `ParamField` built from `TRAINING_PARAMS`, the schema a project file's
"training" object is checked against: "0" or "many" epochs stay visible and red with
the reason, `config()` returns only usable values, and `problems()` tells the panel why
a run cannot start. The validation share is typed in percent (the config holds a
fraction); an empty seed means a random one.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from designer.training.config import TRAINING_PARAMS, TrainingConfig
from designer.ui.param_widgets import FieldGroup, ParamField

_SPLIT = TRAINING_PARAMS["validation_split"]
# The validation share as the user types it: percent of the training rows.
PERCENT_SPLIT = replace(
    _SPLIT,
    default=_SPLIT.default * 100,
    minimum=(_SPLIT.minimum or 0.0) * 100,
    maximum=(_SPLIT.maximum or 1.0) * 100,
    title="Validation %",
    help="Share of the training rows held out for validation when the data has no\n"
    "separate validation set (Keras takes the last rows, before shuffling).",
)
# Longer tips than the schema's one-liners, for settings whose effect is not obvious.
TIPS = {
    "early_stopping": "End the run when the monitored value stops improving",
    "reduce_lr_on_plateau": "Multiply the learning rate by the factor when progress stalls",
    "stop_on_nan": "End the run when the loss becomes NaN or infinite and keep the last "
    "good weights",
}
# Labels for messages where the setting's name reads badly ("Reduce lr factor: ...").
TITLES = {
    "reduce_lr_factor": "Learning-rate factor",
    "reduce_lr_patience": "Learning-rate patience",
}
# (config name, objectName, check box text) of the check boxes
CHECKS = (
    ("shuffle", "shuffleCheck", "Shuffle every epoch"),
    ("early_stopping", "earlyStoppingCheck", "Early stopping"),
    ("restore_best_weights", "restoreBestCheck", "Restore best weights"),
    ("reduce_lr_on_plateau", "reduceLrCheck", "Reduce learning rate on plateau"),
    ("stop_on_nan", "stopOnNanCheck", "Stop on NaN loss"),
)
ERROR_COLOR = "#b3261e"


def monitor_choices(metrics: list[str]) -> list[str]:
    """What early stopping can watch: the loss and each compiled metric, validation first."""
    names = ["loss", *(m for m in metrics if isinstance(m, str))]
    return [key for name in names for key in (f"val_{name}", name)]


def _scrolling(page: QWidget) -> QScrollArea:
    """A page that scrolls instead of clipping when the dock is short."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    return scroll


def _grid(page: QWidget) -> QGridLayout:
    grid = QGridLayout(page)
    grid.setContentsMargins(8, 8, 8, 8)
    grid.setHorizontalSpacing(8)
    grid.setVerticalSpacing(6)
    return grid


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.setVisible(False)
    return label


class TrainingSettings(QTabWidget):
    """Tabs "Settings" and "Callbacks"; the panel adds its "Runs" tab after them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        self.setAccessibleName("Training settings")
        self.setDocumentMode(True)
        self._separate: int | None = None
        self.fields: dict[str, ParamField] = {}
        self.general = QWidget()
        self.callbacks = QWidget()
        self.general_fields = FieldGroup(self)
        self.callback_fields = FieldGroup(self)
        self._build_general()
        self._build_callbacks()
        self.addTab(_scrolling(self.general), "Settings")
        self.addTab(_scrolling(self.callbacks), "Callbacks")
        self.set_config(TrainingConfig())
        self.set_validation_source(None)

    # -- building -------------------------------------------------------------------------
    def _field(self, group: FieldGroup, name: str, object_name: str, spec=None) -> QWidget:
        spec = spec or replace(TRAINING_PARAMS[name], title=TITLES.get(name, ""))
        field = group.add(ParamField(spec, self, object_name=object_name))
        field.committed.connect(self._on_committed)
        self.fields[name] = field
        return field.widget

    def _check(self, group: FieldGroup, name: str) -> QCheckBox:
        object_name, text = next((o, t) for n, o, t in CHECKS if n == name)
        spec = TRAINING_PARAMS[name]
        box = self._field(group, name, object_name, replace(spec, help=TIPS.get(name, spec.help)))
        box.setText(text)
        return box

    def _build_general(self) -> None:
        grid = _grid(self.general)
        group = self.general_fields
        self.epochs = self._field(group, "epochs", "epochsField")
        self.batch_size = self._field(group, "batch_size", "batchSizeField")
        self.validation = self._field(
            group, "validation_split", "validationSplitField", PERCENT_SPLIT
        )
        self.fields["validation_split"].committed.connect(self._refresh_note)
        self.seed = self._field(group, "seed", "seedField")
        self.seed.setPlaceholderText("random")
        self.shuffle = self._check(group, "shuffle")
        self.validation_note = QLabel()
        self.validation_note.setObjectName("validationNote")
        self.validation_note.setAccessibleName("Validation data")
        self.validation_note.setWordWrap(True)
        self.validation_note.setStyleSheet("color: palette(dark);")
        self.general_problem = _problem_label("settingsProblem")
        group.validity_changed.connect(self._show_general_problem)
        for row, (label, box, label2, box2) in enumerate(
            (
                ("Epochs", self.epochs, "Batch size", self.batch_size),
                ("Validation %", self.validation, "Seed", self.seed),
            )
        ):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(box, row, 1)
            grid.addWidget(QLabel(label2), row, 2)
            grid.addWidget(box2, row, 3)
        grid.addWidget(self.general_problem, 2, 0, 1, 4)
        grid.addWidget(self.shuffle, 3, 0, 1, 4)
        grid.addWidget(self.validation_note, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(5, 1)

    def _build_callbacks(self) -> None:
        grid = _grid(self.callbacks)
        group = self.callback_fields
        self.early_stopping = self._check(group, "early_stopping")
        self.monitor = QComboBox()
        self.monitor.setObjectName("monitorCombo")
        self.monitor.setAccessibleName("Monitor")
        self.monitor.setToolTip(TRAINING_PARAMS["early_stopping_monitor"].help)
        self.monitor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.monitor.setMinimumContentsLength(8)
        self.monitor.currentTextChanged.connect(self.changed)
        self.es_patience = self._field(group, "early_stopping_patience", "earlyStoppingPatience")
        self.restore_best = self._check(group, "restore_best_weights")
        self.reduce_lr = self._check(group, "reduce_lr_on_plateau")
        self.lr_factor = self._field(group, "reduce_lr_factor", "reduceLrFactor")
        self.lr_patience = self._field(group, "reduce_lr_patience", "reduceLrPatience")
        self.stop_on_nan = self._check(group, "stop_on_nan")
        self.callbacks_problem = _problem_label("callbacksProblem")
        group.validity_changed.connect(self._show_callbacks_problem)
        self.early_stopping.toggled.connect(self._refresh_enabled)
        self.reduce_lr.toggled.connect(self._refresh_enabled)

        indent = 22
        grid.setColumnMinimumWidth(0, indent)
        grid.addWidget(self.early_stopping, 0, 0, 1, 5)
        grid.addWidget(QLabel("Monitor"), 1, 1)
        grid.addWidget(self.monitor, 1, 2)
        grid.addWidget(QLabel("Patience"), 1, 3)
        grid.addWidget(self.es_patience, 1, 4)
        grid.addWidget(self.restore_best, 2, 1, 1, 4)
        grid.addWidget(self.reduce_lr, 3, 0, 1, 5)
        grid.addWidget(QLabel("Factor"), 4, 1)
        grid.addWidget(self.lr_factor, 4, 2)
        grid.addWidget(QLabel("Patience"), 4, 3)
        grid.addWidget(self.lr_patience, 4, 4)
        grid.addWidget(self.stop_on_nan, 5, 0, 1, 5)
        grid.addWidget(self.callbacks_problem, 6, 0, 1, 5)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        grid.setRowStretch(7, 1)
        self.set_monitor_choices(["accuracy"])

    # -- state ----------------------------------------------------------------------------
    @Slot(object)
    def _on_committed(self, _value: object) -> None:
        self.changed.emit()

    @Slot(str)
    def _show_general_problem(self, message: str) -> None:
        self.general_problem.setText(message)
        self.general_problem.setVisible(bool(message))

    @Slot(str)
    def _show_callbacks_problem(self, message: str) -> None:
        self.callbacks_problem.setText(message)
        self.callbacks_problem.setVisible(bool(message))

    @Slot()
    def _refresh_enabled(self) -> None:
        for widget in (self.monitor, self.es_patience, self.restore_best):
            widget.setEnabled(self.early_stopping.isChecked())
        for widget in (self.lr_factor, self.lr_patience):
            widget.setEnabled(self.reduce_lr.isChecked())
        self.callback_fields.refresh()  # a switched-off callback's fields do not count

    def set_monitor_choices(self, metrics: list[str]) -> None:
        """Offer the loss and these compiled metrics (keeps the current choice)."""
        current = self.monitor.currentText() or "val_loss"
        choices = monitor_choices(metrics)
        if current not in choices:
            choices.append(current)
        self.monitor.blockSignals(True)
        self.monitor.clear()
        self.monitor.addItems(choices)
        self.monitor.setCurrentText(current)
        self.monitor.blockSignals(False)

    def set_validation_source(self, separate: int | None) -> None:
        """Say which validation applies: the data's own set (`separate` rows) or the split."""
        self._separate = separate
        self._refresh_note()

    @Slot()
    def _refresh_note(self) -> None:
        separate = self._separate
        self.validation.setEnabled(separate is None)
        self.general_fields.refresh()
        percent = self.fields["validation_split"].value()
        if separate is not None:
            text = f"Validation uses the data's own validation set ({separate:,} samples)."
        elif percent:
            text = (
                f"No separate validation set: the last {percent:g} % of the "
                "training rows are held out."
            )
        else:
            text = "No validation: only training curves are drawn."
        self.validation_note.setText(text)

    def problems(self) -> list[str]:
        """Why a run cannot use these settings (fields whose text is not a usable value)."""
        return self.general_fields.problems() + self.callback_fields.problems()

    def is_valid(self) -> bool:
        return not self.problems()

    def config(self) -> TrainingConfig:
        """The settings shown, as usable values (a field still being fixed keeps its last)."""
        for field in self.fields.values():
            field.finish_edit()  # typed but not yet entered (Start takes no focus) counts
        values = {name: field.value() for name, field in self.fields.items()}
        values["validation_split"] = round(values["validation_split"] / 100.0, 6)
        values["early_stopping_monitor"] = self.monitor.currentText() or "val_loss"
        return TrainingConfig(**values)

    def set_config(self, config: TrainingConfig) -> None:
        """Show `config` (a loaded project's): every field shows its value, edits or not."""
        values = config.to_dict()
        values["validation_split"] = round(config.validation_split * 100, 6)
        for name, field in self.fields.items():
            field.show_value(values[name], keep_edit=False)
        if self.monitor.findText(config.early_stopping_monitor) < 0:
            self.monitor.addItem(config.early_stopping_monitor)
        self.monitor.blockSignals(True)
        self.monitor.setCurrentText(config.early_stopping_monitor)
        self.monitor.blockSignals(False)
        self._refresh_enabled()
        self._refresh_note()
        self.changed.emit()

    def set_editable(self, editable: bool) -> None:
        """Settings cannot change under a running run; the Runs tab stays usable."""
        self.general.setEnabled(editable)
        self.callbacks.setEnabled(editable)
