"""The run settings and callbacks of the training panel, edited as a `TrainingConfig`."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from designer.training.config import TrainingConfig

RANDOM_SEED = -1  # the seed box's "random" value (TrainingConfig.seed = None)


def monitor_choices(metrics: list[str]) -> list[str]:
    """What early stopping can watch: the loss and each compiled metric, validation first."""
    names = ["loss", *(m for m in metrics if isinstance(m, str))]
    return [key for name in names for key in (f"val_{name}", name)]


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


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


class TrainingSettings(QTabWidget):
    """Tabs "Settings" and "Callbacks"; the panel adds its "Runs" tab after them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        self.setAccessibleName("Training settings")
        self.setDocumentMode(True)
        self._separate: int | None = None
        self.general = QWidget()
        self.callbacks = QWidget()
        self._build_general()
        self._build_callbacks()
        self.addTab(_scrolling(self.general), "Settings")
        self.addTab(_scrolling(self.callbacks), "Callbacks")
        self.set_config(TrainingConfig())
        self.set_validation_source(None)

    # -- building -------------------------------------------------------------------------
    def _spin(self, name: str, accessible: str, low: int, high: int, tip: str) -> QSpinBox:
        box = _named(QSpinBox(), name, accessible)
        box.setRange(low, high)
        box.setToolTip(tip)
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        box.setMinimumWidth(64)
        box.valueChanged.connect(self.changed)
        return box

    def _build_general(self) -> None:
        grid = _grid(self.general)
        self.epochs = self._spin(
            "epochsSpin", "Epochs", 1, 1_000_000, "How many passes over the training data"
        )
        self.batch_size = self._spin(
            "batchSizeSpin", "Batch size", 1, 1_000_000, "Samples per weight update"
        )
        self.validation = self._spin(
            "validationSplitSpin",
            "Validation split",
            0,
            90,
            "Share of the training rows held out for validation when the data has no\n"
            "separate validation set (Keras takes the last rows, before shuffling).",
        )
        self.validation.setSuffix(" %")
        self.validation.valueChanged.connect(self._refresh_note)
        self.seed = self._spin(
            "seedSpin", "Seed", RANDOM_SEED, 2**31 - 1, "Same seed, same run; 'random' differs"
        )
        self.seed.setSpecialValueText("random")
        self.shuffle = _named(QCheckBox("Shuffle every epoch"), "shuffleCheck", "Shuffle")
        self.shuffle.toggled.connect(self.changed)
        self.validation_note = _named(QLabel(), "validationNote", "Validation data")
        self.validation_note.setWordWrap(True)
        self.validation_note.setStyleSheet("color: palette(dark);")
        for row, (label, box, label2, box2) in enumerate(
            (
                ("Epochs", self.epochs, "Batch size", self.batch_size),
                ("Validation", self.validation, "Seed", self.seed),
            )
        ):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(box, row, 1)
            grid.addWidget(QLabel(label2), row, 2)
            grid.addWidget(box2, row, 3)
        grid.addWidget(self.shuffle, 2, 0, 1, 4)
        grid.addWidget(self.validation_note, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnMinimumWidth(2, 60)
        grid.setRowStretch(4, 1)

    def _build_callbacks(self) -> None:
        grid = _grid(self.callbacks)
        self.early_stopping = _named(
            QCheckBox("Early stopping"), "earlyStoppingCheck", "Early stopping"
        )
        self.early_stopping.setToolTip("End the run when the monitored value stops improving")
        self.monitor = _named(QComboBox(), "monitorCombo", "Monitor")
        self.monitor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.monitor.setMinimumContentsLength(8)
        self.monitor.currentTextChanged.connect(self.changed)
        self.es_patience = self._spin(
            "earlyStoppingPatience",
            "Early stopping patience",
            0,
            100_000,
            "Epochs without improvement before stopping",
        )
        self.restore_best = _named(
            QCheckBox("Restore best weights"), "restoreBestCheck", "Restore best weights"
        )
        self.reduce_lr = _named(
            QCheckBox("Reduce learning rate on plateau"), "reduceLrCheck", "Reduce learning rate"
        )
        self.reduce_lr.setToolTip("Multiply the learning rate by the factor when progress stalls")
        self.lr_factor = _named(QDoubleSpinBox(), "reduceLrFactor", "Learning-rate factor")
        self.lr_factor.setRange(0.01, 0.99)
        self.lr_factor.setSingleStep(0.05)
        self.lr_factor.setDecimals(2)
        self.lr_factor.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.lr_factor.valueChanged.connect(self.changed)
        self.lr_patience = self._spin(
            "reduceLrPatience",
            "Reduce learning rate patience",
            0,
            100_000,
            "Epochs without improvement before the rate is reduced",
        )
        self.stop_on_nan = _named(QCheckBox("Stop on NaN loss"), "stopOnNanCheck", "Stop on NaN")
        self.stop_on_nan.setToolTip(
            "End the run when the loss becomes NaN or infinite and keep the last good weights"
        )
        for box in (self.early_stopping, self.restore_best, self.reduce_lr, self.stop_on_nan):
            box.toggled.connect(self.changed)
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
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        grid.setRowStretch(6, 1)
        self.set_monitor_choices(["accuracy"])

    # -- state ----------------------------------------------------------------------------
    @Slot()
    def _refresh_enabled(self) -> None:
        for widget in (self.monitor, self.es_patience, self.restore_best):
            widget.setEnabled(self.early_stopping.isChecked())
        for widget in (self.lr_factor, self.lr_patience):
            widget.setEnabled(self.reduce_lr.isChecked())

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
        if separate is not None:
            text = f"Validation uses the data's own validation set ({separate:,} samples)."
        elif self.validation.value():
            text = (
                f"No separate validation set: the last {self.validation.value()} % of the "
                "training rows are held out."
            )
        else:
            text = "No validation: only training curves are drawn."
        self.validation_note.setText(text)

    def config(self) -> TrainingConfig:
        seed = self.seed.value()
        return TrainingConfig(
            epochs=self.epochs.value(),
            batch_size=self.batch_size.value(),
            shuffle=self.shuffle.isChecked(),
            validation_split=self.validation.value() / 100.0,
            seed=None if seed == RANDOM_SEED else seed,
            early_stopping=self.early_stopping.isChecked(),
            early_stopping_monitor=self.monitor.currentText() or "val_loss",
            early_stopping_patience=self.es_patience.value(),
            restore_best_weights=self.restore_best.isChecked(),
            reduce_lr_on_plateau=self.reduce_lr.isChecked(),
            reduce_lr_factor=round(self.lr_factor.value(), 4),
            reduce_lr_patience=self.lr_patience.value(),
            stop_on_nan=self.stop_on_nan.isChecked(),
        )

    def set_config(self, config: TrainingConfig) -> None:
        self.blockSignals(True)
        try:
            self.epochs.setValue(config.epochs)
            self.batch_size.setValue(config.batch_size)
            self.shuffle.setChecked(config.shuffle)
            self.validation.setValue(round(config.validation_split * 100))
            self.seed.setValue(RANDOM_SEED if config.seed is None else config.seed)
            self.early_stopping.setChecked(config.early_stopping)
            if self.monitor.findText(config.early_stopping_monitor) < 0:
                self.monitor.addItem(config.early_stopping_monitor)
            self.monitor.setCurrentText(config.early_stopping_monitor)
            self.es_patience.setValue(config.early_stopping_patience)
            self.restore_best.setChecked(config.restore_best_weights)
            self.reduce_lr.setChecked(config.reduce_lr_on_plateau)
            self.lr_factor.setValue(config.reduce_lr_factor)
            self.lr_patience.setValue(config.reduce_lr_patience)
            self.stop_on_nan.setChecked(config.stop_on_nan)
        finally:
            self.blockSignals(False)
        self._refresh_enabled()
        self.changed.emit()

    def set_editable(self, editable: bool) -> None:
        """Settings cannot change under a running run; the Runs tab stays usable."""
        self.general.setEnabled(editable)
        self.callbacks.setEnabled(editable)
