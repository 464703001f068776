"""Loss, optimizer with its hyper-parameters, and metrics; explains combinations that won't work."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from designer.ui.param_widgets import INVALID_STYLE


class CompilePanel(QWidget):
    """Edits `document.compile_settings`; each change is one undoable step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("compilePanel")
        self.setAccessibleName("Compile settings")
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.loss_combo = QComboBox()
        self.loss_combo.setObjectName("lossCombo")
        self.loss_combo.setAccessibleName("Loss")
        self.loss_combo.addItems(LOSSES)
        self.loss_combo.activated.connect(self._on_loss)
        form.addRow("Loss", self.loss_combo)
        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizerCombo")
        self.optimizer_combo.setAccessibleName("Optimizer")
        self.optimizer_combo.addItems(OPTIMIZERS)
        self.optimizer_combo.activated.connect(self._on_optimizer)
        form.addRow("Optimizer", self.optimizer_combo)
        layout.addLayout(form)

        self.hyper_box = QGroupBox("Optimizer settings")
        self.hyper_box.setObjectName("hyperParameters")
        self.hyper_form = QFormLayout(self.hyper_box)
        layout.addWidget(self.hyper_box)
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("resetOptimizer")
        self.reset_button.clicked.connect(self._on_reset_defaults)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset_button)
        layout.addLayout(row)

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
        self.message = QLabel()
        self.message.setObjectName("compileMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.hyper_fields: dict[str, QWidget] = {}
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
            widget = self.hyper_fields[hp.name]
            value = settings.optimizer_params.get(hp.name, hp.default)
            widget.blockSignals(True)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            else:
                widget.setText(f"{value:g}")
                widget.setStyleSheet("")
            widget.blockSignals(False)

    def _build_hyper_form(self, settings: CompileSettings) -> None:
        while self.hyper_form.rowCount():
            self.hyper_form.removeRow(0)
        self.hyper_fields = {}
        self._form_optimizer = settings.optimizer
        for hp in hyper_parameters(settings.optimizer):
            value = settings.optimizer_params.get(hp.name, hp.default)
            label = hp.name.replace("_", " ")
            if hp.kind == "bool":
                widget = QCheckBox()
                widget.setChecked(bool(value))
                widget.toggled.connect(lambda v, n=hp.name: self._set_hyper(n, bool(v)))
            else:
                widget = QLineEdit(f"{value:g}")
                widget.editingFinished.connect(
                    lambda n=hp.name, w=widget: self._on_hyper_text(n, w)
                )
                widget.textEdited.connect(lambda _t, w=widget: self._check_hyper_text(w))
            widget.setObjectName(f"hyper_{hp.name}")
            widget.setAccessibleName(label)
            widget.setToolTip(f"{hp.name} (engine default: {hp.default})")
            self.hyper_fields[hp.name] = widget
            self.hyper_form.addRow(label.capitalize(), widget)

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
            self.message.setText("")
        except DesignError as error:
            self.message.setText(str(error))
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

    def _parse(self, widget: QLineEdit) -> float | None:
        try:
            value = float(widget.text())
        except ValueError:
            return None
        return value if value >= 0 and value == value else None

    def _check_hyper_text(self, widget: QLineEdit) -> None:
        bad = self._parse(widget) is None
        widget.setStyleSheet(INVALID_STYLE if bad else "")
        self.message.setText(
            f"{widget.accessibleName().capitalize()}: expected a number ≥ 0." if bad else ""
        )

    def _on_hyper_text(self, name: str, widget: QLineEdit) -> None:
        value = self._parse(widget)
        if value is None:
            return
        self._set_hyper(name, value)

    @Slot()
    def _on_reset_defaults(self) -> None:
        settings = self._copy()
        if settings.optimizer_params:
            settings.optimizer_params = {}
            self._apply(settings, "Reset optimizer settings")
