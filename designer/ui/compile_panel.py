"""Loss, optimizer with its hyper-parameters, and metrics; explains combinations that won't work.

Hyper-parameter fields are built from the optimizer's parameter specs (`ParamField`), so a
learning rate of "1e309" or "-1" stays visible and red with the reason, and is never set.
The panel lives in a ~300 px dock: drop-downs and rows shrink or wrap instead of scrolling.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.spec.compile_settings import (
    LOSSES,
    METRICS,
    OPTIMIZERS,
    CompileSettings,
    check_combination,
    hyper_parameters,
)
from designer.spec.design import DesignError
from designer.ui.document import Document
from designer.ui.param_widgets import FieldGroup, ParamField

COMBO_MIN_CHARS = 12  # long loss names elide instead of widening the dock


def _form() -> QFormLayout:
    """A form that puts a long label above its field in a narrow dock."""
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def _combo(name: str, accessible: str, items: tuple[str, ...]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.addItems(items)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_MIN_CHARS)
    return combo


class CompilePanel(QWidget):
    """Edits `document.compile_settings`; each change is one undoable step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("compilePanel")
        self.setAccessibleName("Compile settings")
        layout = QVBoxLayout(self)

        form = _form()
        self.loss_combo = _combo("lossCombo", "Loss", LOSSES)
        self.loss_combo.activated.connect(self._on_loss)
        form.addRow("Loss", self.loss_combo)
        self.optimizer_combo = _combo("optimizerCombo", "Optimizer", OPTIMIZERS)
        self.optimizer_combo.activated.connect(self._on_optimizer)
        form.addRow("Optimizer", self.optimizer_combo)
        layout.addLayout(form)

        self.hyper_box = QGroupBox("Optimizer settings")
        self.hyper_box.setObjectName("hyperParameters")
        hyper_layout = QVBoxLayout(self.hyper_box)
        self.hyper_form = _form()
        hyper_layout.addLayout(self.hyper_form)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("resetOptimizer")
        self.reset_button.setToolTip("Use the engine's default for every optimizer setting")
        self.reset_button.clicked.connect(self._on_reset_defaults)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset_button)
        hyper_layout.addLayout(row)
        layout.addWidget(self.hyper_box)
        self.hyper_group = FieldGroup(self)
        self.hyper_group.validity_changed.connect(self._show_message)
        # Right under the fields, so the reason for a red field is seen in a short dock.
        self.message = QLabel()
        self.message.setObjectName("compileMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setVisible(False)
        layout.addWidget(self.message)

        metrics_box = QGroupBox("Metrics")
        metrics_layout = QVBoxLayout(metrics_box)
        self.metric_boxes: dict[str, QCheckBox] = {}
        for name in METRICS:
            box = QCheckBox(name)
            box.setObjectName(f"metric_{name}")
            box.toggled.connect(self._on_metrics)
            self.metric_boxes[name] = box
            metrics_layout.addWidget(box)
        layout.addWidget(metrics_box)

        self.warning = QLabel()
        self.warning.setObjectName("compileWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5300;")
        layout.addWidget(self.warning)
        layout.addStretch(1)

        self.hyper_fields: dict[str, ParamField] = {}
        document.compile_changed.connect(self.refresh)
        document.build_changed.connect(self._refresh_warnings)
        document.locked_changed.connect(lambda locked: self.setEnabled(not locked))
        self.refresh()

    # -- showing ------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        settings = self.document.compile_settings
        for combo, value in (
            (self.loss_combo, settings.loss),
            (self.optimizer_combo, settings.optimizer),
        ):
            combo.blockSignals(True)
            if combo.findText(value) < 0:
                combo.addItem(value)
            combo.setCurrentText(value)
            combo.blockSignals(False)
        for name, box in self.metric_boxes.items():
            box.blockSignals(True)
            box.setChecked(name in settings.metrics)
            box.blockSignals(False)
        if getattr(self, "_form_optimizer", None) != settings.optimizer:
            self._build_hyper_form(settings)
        else:
            self._show_hyper_values(settings)
        self._refresh_warnings()

    def _show_hyper_values(self, settings: CompileSettings) -> None:
        for hp in hyper_parameters(settings.optimizer):
            self.hyper_fields[hp.name].show_value(
                settings.optimizer_params.get(hp.name, hp.default)
            )

    def _build_hyper_form(self, settings: CompileSettings) -> None:
        while self.hyper_form.rowCount():
            self.hyper_form.removeRow(0)
        self.hyper_group.clear()
        for field in self.hyper_fields.values():
            field.deleteLater()
        self.hyper_fields = {}
        self._form_optimizer = settings.optimizer
        for hp in hyper_parameters(settings.optimizer):
            spec = replace(hp, help=f"{hp.name} (engine default: {hp.format(hp.default)})")
            field = self.hyper_group.add(ParamField(spec, self, object_name=f"hyper_{hp.name}"))
            field.show_value(settings.optimizer_params.get(hp.name, hp.default), keep_edit=False)
            field.committed.connect(lambda value, name=hp.name: self._set_hyper(name, value))
            self.hyper_fields[hp.name] = field
            self.hyper_form.addRow(spec.label, field.widget)

    @Slot()
    def _refresh_warnings(self) -> None:
        activation, units = self._output_layer()
        warnings = check_combination(self.document.compile_settings, activation, units)
        self.warning.setText("\n".join(f"⚠ {w}" for w in warnings))

    def _output_layer(self) -> tuple[str | None, int | None]:
        """The activation and width of the design's single output, when known."""
        design = self.document.design
        outputs = [n for n in design.nodes.values() if not design.outputs_of(n.id)]
        if len(outputs) != 1:
            return None, None
        node = outputs[0]
        activation = node.params.get("activation")
        if node.type == "Activation":
            parents = design.inputs_of(node.id)
            units = design.node(parents[0].source).params.get("units") if parents else None
            return activation, units
        return activation, node.params.get("units")

    # -- edits ---------------------------------------------------------------------------
    def _apply(self, settings: CompileSettings, text: str) -> None:
        try:
            self.document.set_compile(settings, text)
            self._show_message(next(iter(self.hyper_group.problems()), ""))
        except DesignError as error:
            self._show_message(str(error))
            self.refresh()

    def _copy(self) -> CompileSettings:
        return CompileSettings.from_dict(self.document.compile_settings.to_dict())

    @Slot(int)
    def _on_loss(self, _index: int) -> None:
        settings = self._copy()
        settings.loss = self.loss_combo.currentText()
        self._apply(settings, f"Set loss to {settings.loss}")

    @Slot(int)
    def _on_optimizer(self, _index: int) -> None:
        settings = self._copy()
        settings.optimizer = self.optimizer_combo.currentText()
        # Keep the learning rate only if the user chose one; other settings differ per optimizer.
        keep = {k: v for k, v in settings.optimizer_params.items() if k == "learning_rate"}
        settings.optimizer_params = keep
        self._apply(settings, f"Set optimizer to {settings.optimizer}")

    @Slot()
    def _on_metrics(self) -> None:
        settings = self._copy()
        settings.metrics = [n for n, box in self.metric_boxes.items() if box.isChecked()]
        self._apply(settings, "Change metrics")

    def _set_hyper(self, name: str, value) -> None:
        settings = self._copy()
        defaults = {hp.name: hp.default for hp in hyper_parameters(settings.optimizer)}
        if value == defaults.get(name):
            settings.optimizer_params.pop(name, None)
        else:
            settings.optimizer_params[name] = value
        self._apply(settings, f"Set {name.replace('_', ' ')}")

    @Slot(str)
    def _show_message(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def is_valid(self) -> bool:
        """Every hyper-parameter field holds a usable value."""
        return self.hyper_group.is_valid()

    @Slot()
    def _on_reset_defaults(self) -> None:
        for field in self.hyper_fields.values():
            field.revert()  # half-typed values go too
        settings = self._copy()
        if settings.optimizer_params:
            settings.optimizer_params = {}
            self._apply(settings, "Reset optimizer settings")
