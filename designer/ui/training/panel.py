"""The training panel: settings, Start/Pause/Stop/Continue, progress, live plots and runs.

It observes the controller (runs, progress) and the document (can the design build, is
there data) and sends intents: `controller.start/pause/resume/stop` and
`document.reset_weights()`. Reports from the worker thread arrive on @Slot methods and
cost a buffer append each; a timer redraws the progress, the run list and the plots.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.spec.design import DesignError
from designer.spec.params import ParamError
from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord
from designer.ui.data.advice_view import fix_text
from designer.ui.data.checks import apply_design_fix
from designer.ui.dock_shape import DockShape
from designer.ui.document import Document
from designer.ui.error_dialog import show_error
from designer.ui.training.controller import TrainingController, TrainingError
from designer.ui.training.controls import BUTTONS, TIPS, control_button
from designer.ui.training.plots import TrainingPlots
from designer.ui.training.progress import (
    ProgressTracker,
    ProgressView,
    format_test_logs,
    outcome_text,
)
from designer.ui.training.runs_list import RunsList
from designer.ui.training.settings import TrainingSettings
from designer.ui.training.start_check import BUILD_PROBLEM, StartCheck

TICK_MS = 100  # progress, list and plots are redrawn at most this often during a run
PLOT_MIN_WIDTH = 240  # a plot column needs at least this much room
STATUS_COLORS = {"ok": "#1e5b2a", "warn": "#8a5300", "error": "#b3261e", "info": ""}


class TrainingPanel(DockShape, QWidget):
    """Everything about training one document's model, in one dock."""

    start_button: QToolButton  # made from BUTTONS
    continue_button: QToolButton
    pause_button: QToolButton
    stop_button: QToolButton
    reset_button: QToolButton

    def __init__(
        self, document: Document, controller: TrainingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.setAccessibleName("Training")
        self.document = document
        self.controller = controller
        self.error_box = None  # the last error dialog (tests close it)
        self._run: RunRecord | None = None  # the run being trained
        self._initial_epoch = 0  # where the next run's epochs start (Continue)
        self._tracker = ProgressTracker()
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self._tick)

        self.settings = TrainingSettings()
        # Start follows the typed settings: off (with the reason) while one is unusable.
        self.settings.general_fields.validity_changed.connect(self.refresh)
        self.settings.callback_fields.validity_changed.connect(self.refresh)
        self._start_check = StartCheck()
        self.plots = TrainingPlots()
        self.runs_list = RunsList(controller, self.plots)
        self.settings.addTab(self.runs_list, "Runs")
        self.splitter = QSplitter()
        self.splitter.setObjectName("trainingSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.settings)
        self.splitter.addWidget(self.plots)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(6)
        layout.addLayout(self._build_top())
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self._build_status())

        controller.started.connect(self._on_started)
        controller.batch_ended.connect(self._on_batch)
        controller.epoch_ended.connect(self._on_epoch)
        controller.paused_changed.connect(self._on_paused)
        controller.finished.connect(self._on_finished)
        controller.failed.connect(self._on_failed)
        for signal in (
            document.build_changed,
            document.design_reset,
            document.data_changed,
            document.locked_changed,
            document.weights_changed,
        ):
            signal.connect(self.refresh)
        document.data_changed.connect(self._on_data_changed)
        document.compile_changed.connect(self._on_compile_changed)
        self.reload_runs()
        self._on_compile_changed()
        self._on_data_changed()
        self.refresh()
        self.update_shape()

    # -- building -------------------------------------------------------------------------
    def _build_top(self) -> QBoxLayout:
        for attribute, text, name, icon, slot in BUTTONS:
            button = control_button(self.style(), text, name, icon)
            button.clicked.connect(getattr(self, slot))
            setattr(self, attribute, button)
        self._buttons = (
            self.start_button,
            self.continue_button,
            self.pause_button,
            self.stop_button,
            self.reset_button,
        )
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in self._buttons:
            if button is self.reset_button:
                buttons.addSpacing(8)
            buttons.addWidget(button)

        self.progress_view = ProgressView()
        self.progress_view.fix_requested.connect(self.apply_start_fix)
        self.progress = self.progress_view.bar
        self.progress_label = self.progress_view.label
        self.reason_label = self.progress_view.reason

        self._top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._top.setSpacing(10)
        self._top.addLayout(buttons)
        self._top.addWidget(self.progress_view, 1)
        return self._top

    def _build_status(self) -> QHBoxLayout:
        self.status_label = QLabel()
        self.status_label.setObjectName("trainingStatus")
        self.status_label.setAccessibleName("Training status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_label = QLabel()
        self.test_label.setObjectName("testResults")
        self.test_label.setAccessibleName("Test results")
        self.test_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(2, 0, 2, 0)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.test_label)
        self.show_status("", "info")
        return row

    # -- shape: a wide bottom dock or a tall side panel ---------------------------------------
    def set_wide(self, wide: bool) -> None:
        """Buttons, settings and plots in a row, or stacked (called by DockShape)."""
        horizontal = QBoxLayout.Direction.LeftToRight
        vertical = QBoxLayout.Direction.TopToBottom
        self._top.setDirection(horizontal if wide else vertical)
        self.progress_view.set_horizontal(wide)
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        style = Qt.ToolButtonStyle
        for button in self._buttons:  # narrow: text only, so five buttons fit 420 px
            button.setToolButtonStyle(
                style.ToolButtonTextBesideIcon if wide else style.ToolButtonTextOnly
            )
        settings_size = 360 if wide else 200
        rest = max(1, (self.width() if wide else self.height()) - settings_size)
        self.splitter.setSizes([settings_size, rest])

    def update_shape(self) -> None:
        """As DockShape, and the plots take as many columns as the width gives them."""
        super().update_shape()
        width = self.plots.width() if self.plots.width() > 1 else self.width()
        self.plots.set_columns(max(1, width // PLOT_MIN_WIDTH) if self._wide else 1)

    # -- state ------------------------------------------------------------------------------
    def start_problem(self) -> str:
        """Why Start cannot work right now ('' when it can)."""
        return self._start_problem_and_fix()[0]

    def _start_problem_and_fix(self) -> tuple[str, dict | None]:
        """The reason Start cannot run, and the one-click fix for it when there is one."""
        return self._start_check.run(self.document, self.controller, self.settings)

    @Slot()
    def apply_start_fix(self) -> None:
        """The button beside the reason: e.g. set the Input's shape from the data."""
        _problem, fix = self._start_problem_and_fix()
        if fix is None:
            return
        try:
            apply_design_fix(self.document, fix)
        except (DesignError, ParamError, ValueError) as error:
            self.show_status(str(error), "warn")
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Enable the buttons that make sense now and say why Start cannot run."""
        running, paused = self.controller.running, self.controller.paused
        problem, fix = self._start_problem_and_fix()
        can_start = not running and not problem
        self.start_button.setEnabled(can_start)
        self.continue_button.setEnabled(can_start and self.controller.next_epoch > 0)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Resume" if paused else "Pause")
        pixmap = QStyle.StandardPixmap
        self.pause_button.setIcon(
            self.style().standardIcon(pixmap.SP_MediaPlay if paused else pixmap.SP_MediaPause)
        )
        self.stop_button.setEnabled(running)
        self.reset_button.setEnabled(
            not running
            and not self.document.locked_reason
            and bool(self.document.weights)
            and self.document.build_result.ok
        )
        self.settings.set_editable(not running)
        result = self.document.build_result
        hint = result.issues[0].text() if not result.ok and result.issues else ""
        self.progress_view.show_reason(
            problem,
            hint if problem.startswith(BUILD_PROBLEM) else "",
            fix_text(fix) if fix else "",
        )
        self.start_button.setToolTip(problem or TIPS["startButton"])

    @Slot()
    def _on_data_changed(self) -> None:
        data = self.document.data
        x_val = getattr(data, "x_val", None)
        self.settings.set_validation_source(None if x_val is None else len(x_val))

    @Slot()
    def _on_compile_changed(self) -> None:
        self.settings.set_monitor_choices(list(self.document.compile_settings.metrics))

    def reload_runs(self) -> None:
        """Show exactly `controller.runs` (call after a project replaced them)."""
        for run in self.plots.runs():
            if not any(run is r for r in self.controller.runs):
                self.plots.remove_run(run)
        for run in self.controller.runs:
            self.plots.add_run(run)
        self.runs_list.reload()

    def shutdown(self) -> bool:
        """Stop a running run and wait for its thread (the window is closing)."""
        self._tick_timer.stop()
        return self.controller.shutdown()

    def config(self) -> TrainingConfig:
        return self.settings.config()

    def set_config(self, config: TrainingConfig) -> None:
        self.settings.set_config(config)

    def show_status(self, text: str, kind: str = "info") -> None:
        self.status_label.setText(text)
        color = STATUS_COLORS.get(kind, "")
        self.status_label.setStyleSheet(f"color: {color};" if color else "")

    # -- intents ----------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        self._start(continue_training=False)

    @Slot()
    def continue_training(self) -> None:
        self._start(continue_training=True)

    def _start(self, continue_training: bool) -> None:
        problem = self.start_problem()
        if problem:
            self.show_status(problem, "warn")
            self.refresh()
            return
        data = self.document.data
        validation = test = None
        if getattr(data, "x_val", None) is not None:
            validation = (data.x_val, data.y_val)
        if getattr(data, "x_test", None) is not None:
            test = (data.x_test, data.y_test)
        self._initial_epoch = self.controller.next_epoch if continue_training else 0
        self.plots.prepare(["loss", *self.document.compile_settings.metrics])
        try:
            self.controller.start(
                data.x_train,
                data.y_train,
                self.config(),
                validation_data=validation,
                test_data=test,
                continue_training=continue_training,
            )
        except TrainingError as error:
            self.show_status(str(error), "error")
            self.refresh()

    @Slot()
    def toggle_pause(self) -> None:
        if self.controller.paused:
            self.controller.resume()
        else:
            self.controller.pause()

    @Slot()
    def stop(self) -> None:
        self.controller.stop()
        self.show_status("Stopping after the current batch…", "info")

    @Slot()
    def reset_weights(self) -> None:
        try:
            self.document.reset_weights()
        except DesignError as error:
            self.show_status(str(error), "warn")
            return
        self.show_status("Weights reset to fresh initial values (Undo brings them back).")

    # -- reports from the controller ---------------------------------------------------------
    @Slot(object)
    def _on_started(self, run: RunRecord) -> None:
        self._run = run
        self._fix_duplicate_name(run)
        self._tracker = ProgressTracker(int(run.config.get("epochs", 1)), self._initial_epoch)
        self._initial_epoch = 0
        self.plots.start_run(run)
        self.runs_list.add_run(run)
        self.progress_view.begin(f"Starting {run.name}…")
        self.show_status(f"{run.name} is training…", "info")
        self.test_label.clear()
        self._tick_timer.start()
        self.refresh()

    def _fix_duplicate_name(self, run: RunRecord) -> None:
        """The controller numbers runs by count; after a delete that can repeat a name."""
        names = {r.name for r in self.controller.runs if r is not run}
        number = len(self.controller.runs)
        while run.name in names:
            number += 1
            run.name = f"Run {number}"

    # Reports from the worker arrive many times a second: they only append to buffers and
    # note the newest progress; `_tick` draws, ten times a second at most.
    @Slot(dict)
    def _on_batch(self, info: dict) -> None:
        if self._run is not None:
            self.plots.add_batch(self._run, info)
            self._tracker.batch(info)

    @Slot(int, dict)
    def _on_epoch(self, epoch: int, logs: dict) -> None:
        if self._run is not None:
            self.plots.add_epoch(self._run, epoch, logs)
            self._tracker.epoch(epoch)

    @Slot()
    def _tick(self) -> None:
        if self.plots.flush_due():
            self.plots.flush()
        if self._run is not None:
            self.runs_list.update_epochs(self._run)
        pending, self._tracker.pending = self._tracker.pending, None
        if pending is not None:
            fraction, where = pending
            text = self._tracker.text(fraction, where)
            self.progress_view.show_progress(fraction, text, self.controller.paused)

    @Slot(bool)
    def _on_paused(self, paused: bool) -> None:
        self.progress_view.set_paused(paused)
        self.refresh()

    def _end_run(self, run: RunRecord | None) -> None:
        self._tick_timer.stop()
        self._tick()
        self.plots.flush()
        self.plots.drop_empty_plots()
        if run is not None:
            self.runs_list.update_run(run)
            self.progress_view.end(completed=run.status == "finished")
        self._run = None

    @Slot(object)
    def _on_finished(self, run: RunRecord) -> None:
        self._end_run(run)
        self.show_status(*outcome_text(run))
        self.test_label.setText(format_test_logs(run.test_logs) if run.test_logs else "")
        self.refresh()

    @Slot(str, str)
    def _on_failed(self, message: str, details: str) -> None:
        self._end_run(self._run)
        self.show_status(f"✖ {message}", "error")
        self.error_box = show_error(self, "Training failed", message, details)
        self.refresh()
