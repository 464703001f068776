"""The Data panel: choose a source, load it off the GUI thread, prepare, preview, check, use.

It observes the document (design, compile settings, data, lock) and sends intents:
`document.set_data(prepared)` for "Use this data", and for advice fixes
`document.set_compile` (loss) or `document.set_param` (output units), both undoable.
Loaded data is a candidate until the user presses "Use this data"; once a set is in
use, changing its preparation updates the data in use at once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from designer.data.compatibility import Advice
from designer.data.dataset import Dataset
from designer.data.dataset_summary import DataSummary
from designer.data.errors import DataFormatError
from designer.data.file_kinds import source_for_files
from designer.data.prepare import Preparation, PreparedData
from designer.data.source import DataSource
from designer.spec.design import DesignError
from designer.spec.params import ParamError
from designer.ui.data.checks import DesignCheck, apply_design_fix, design_fix_problem
from designer.ui.data.fixes import PREPARATION_ACTIONS, fixed_preparation
from designer.ui.data.loader_thread import JobRunner
from designer.ui.data.preview import DataPreview
from designer.ui.data.settings import DataSettings
from designer.ui.data.tasks import (
    Outcome,
    is_small,
    load_outcome,
    prepare_outcome,
    prepare_task,
)
from designer.ui.data.widgets import Banner, StatusRow, data_status
from designer.ui.dock_shape import DockShape
from designer.ui.document import Document
from designer.ui.error_dialog import show_error

SETTINGS_WIDTH = 370
EXPECTED_ERRORS = (DataFormatError, ValueError, OSError, MemoryError)


class DataPanel(DockShape, QWidget):
    """Everything about the training data of one document, in one dock."""

    dataset_loaded = Signal(object)  # Dataset, after a load finished and is shown
    data_applied = Signal(object)  # PreparedData, after it went to the document
    restore_finished = Signal(bool)  # a project's data is back in use (False: it failed)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPanel")
        self.setAccessibleName("Data")
        self.document = document
        self.dataset: Dataset | None = None
        self.summary: DataSummary | None = None
        self.prepared: PreparedData | None = None
        self.advice: list[Advice] = []
        self.error_box = None  # the last unexpected-error dialog (tests close it)
        self._applied: PreparedData | None = None  # what this panel gave the document
        self._applied_dataset: Dataset | None = None
        self._design_check = DesignCheck()
        self.runner = JobRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.succeeded.connect(self._on_job_succeeded)
        self.runner.failed.connect(self._on_job_failed)
        self.runner.cancelled.connect(self._on_job_cancelled)
        self.runner.busy_changed.connect(self._on_busy)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(0)
        self._check_timer.timeout.connect(self.recheck)

        self.splitter = QSplitter()
        self.splitter.setObjectName("dataSplitter")
        self.splitter.setAccessibleName("Data settings and preview")
        self.splitter.setChildrenCollapsible(False)
        self.settings = DataSettings(self._ask_path)
        self.source_picker = self.settings.source_picker
        self.prep_form = self.settings.prep_form
        self.settings_tabs = self.settings.tabs
        self.load_button = self.settings.load_button
        self.use_button = self.settings.use_button
        self.load_button.clicked.connect(self.load)
        self.use_button.clicked.connect(self.use_data)
        self.splitter.addWidget(self.settings)
        self.splitter.addWidget(self._build_preview())
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.addWidget(self.splitter)

        document.build_changed.connect(self.schedule_check)
        document.compile_changed.connect(self.schedule_check)
        document.design_reset.connect(self.schedule_check)
        document.data_changed.connect(self._on_document_data)
        document.locked_changed.connect(self._on_locked)
        self.source_picker.changed.connect(self._refresh)
        self.prep_form.changed.connect(self._on_preparation_changed)
        self._on_locked(bool(document.locked_reason))
        self._refresh()
        self.recheck()
        self.update_shape()

    # -- building ---------------------------------------------------------------------------
    def _build_preview(self) -> QWidget:
        self.banner = Banner("dataBanner", "Data message")
        self.lock_banner = Banner("lockBanner", "Why the data cannot change")
        self.preview = DataPreview()
        self.preview.checks.fix_problem = self.fix_problem
        self.preview.checks.fix_requested.connect(self.apply_fix)
        self.status_row = StatusRow()
        self.status_row.cancel_button.clicked.connect(self.cancel)
        area = QWidget()
        column = QVBoxLayout(area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.lock_banner)
        column.addWidget(self.banner)
        column.addWidget(self.preview, 1)
        column.addWidget(self.status_row)
        return area

    # -- shape: a wide bottom dock or a tall side panel ------------------------------------
    def set_wide(self, wide: bool) -> None:
        """Settings beside the preview, or above it (called by DockShape)."""
        width, height = self.width(), self.height()
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        self.preview.set_wide(wide)
        if wide:
            self.splitter.setSizes([SETTINGS_WIDTH, max(1, width - SETTINGS_WIDTH)])
        else:
            # the current form, the source row, tabs and buttons
            wanted = self.source_picker.form.sizeHint().height() + 150
            top = max(220, min(wanted, int(height * 0.5)))
            self.splitter.setSizes([top, max(1, height - top)])

    # -- dialogs (methods so tests can replace them) --------------------------------------
    def ask_open_path(self, caption: str, file_filter: str) -> str:
        return QFileDialog.getOpenFileName(self, caption, "", file_filter)[0]

    def _ask_path(self, caption: str, file_filter: str) -> str:
        return self.ask_open_path(caption, file_filter)

    # -- state ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.runner.busy

    @property
    def in_use(self) -> bool:
        """The shown data set is the one the document trains on."""
        return self._applied is not None and self._applied_dataset is self.dataset

    @Slot(bool)
    def _on_busy(self, _busy: bool) -> None:
        self._refresh()

    def _refresh(self) -> None:
        locked = bool(self.document.locked_reason)
        busy = self.busy
        form = self.source_picker.form
        self.load_button.setText(form.action)
        self.load_button.setEnabled(not locked and not busy)
        self.load_button.setToolTip(form.problem() or f"{form.action} the data set chosen above")
        self.settings_tabs.setEnabled(not locked)
        self.prep_form.setEnabled(not locked and not busy)
        can_use = self.prepared is not None and self.prepared is not self._applied
        self.use_button.setEnabled(can_use and not locked and not busy)
        self.use_button.setDefault(can_use)
        self.preview.checks.setEnabled(not locked and not busy)
        self.status_row.set_busy(busy)
        self._show_status()

    def _show_status(self) -> None:
        data = self.document.data
        loaded, prepared = self.dataset is not None, self.prepared is not None
        ours = data is not None and self._applied is data
        self.status_row.show_status(*data_status(data, loaded, prepared, self.in_use, ours))

    # -- loading --------------------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        """Load (or generate) the chosen source on the worker thread."""
        form = self.source_picker.form
        problem = form.problem()
        try:
            if problem:
                raise ValueError(problem)
            source = form.source()
        except ValueError as error:
            self.banner.show_message(str(error), "warning")
            return
        self._start_load(source, "load", None)

    def open_files(self, paths: list[str]) -> str:
        """Open dropped data files (the kind read from their names); returns the problem."""
        if self.document.locked_reason:
            return self.document.locked_reason
        try:
            source = source_for_files(paths)
        except DataFormatError as error:
            return str(error)
        self.source_picker.set_source(source)
        self._start_load(source, "load", None)
        return ""

    def _start_load(self, source: DataSource, tag: str, base_dir: str | None) -> None:
        self.banner.clear()
        verb = "Generating" if source.kind == "generator" else "Loading"
        self.status_row.start(f"{verb} {source.describe()}…")
        task = partial(load_outcome, source, self.prep_form.preparation(), base_dir)
        self.runner.start(task, tag)

    @Slot()
    def cancel(self) -> None:
        """Stop loading; the panel goes back to what it showed before."""
        self.runner.cancel()

    @Slot(float)
    def _on_progress(self, fraction: float) -> None:
        self.status_row.set_fraction(fraction)

    @Slot(str, object)
    def _on_job_succeeded(self, tag: str, outcome: Outcome) -> None:
        self._show_outcome(outcome)
        if tag == "restore" and outcome.prepared is not None:
            self.use_data()
        if tag in ("load", "restore"):
            self.dataset_loaded.emit(outcome.dataset)
        if tag == "restore":
            self.restore_finished.emit(self.in_use)

    @Slot(str, object, str)
    def _on_job_failed(self, tag: str, error: Exception, details: str) -> None:
        """The data stays as it was; the message names the file (and row) when known."""
        tooltip = str(getattr(error, "path", "") or "")
        self.banner.show_message(str(error), "error", tooltip)
        if not isinstance(error, EXPECTED_ERRORS):
            title = "Preparing failed" if tag == "prepare" else "Loading failed"
            self.error_box = show_error(self, title, str(error), details)
        self._back_to_shown_preparation(tag)
        self._refresh()
        if tag == "restore":
            self.restore_finished.emit(False)

    @Slot(str)
    def _on_job_cancelled(self, tag: str) -> None:
        self._back_to_shown_preparation(tag)
        self._refresh()
        label = self.status_row.label
        label.setText(label.text() + "  (Cancelled.)")
        if tag == "restore":
            self.restore_finished.emit(False)

    def _back_to_shown_preparation(self, tag: str) -> None:
        """After a stopped re-preparation the form shows the settings of the data shown."""
        if tag == "prepare" and self.prepared is not None:
            self.prep_form.set_preparation(self.prepared.preparation)

    # -- preparing --------------------------------------------------------------------------------
    def _show_outcome(self, outcome: Outcome) -> None:
        """Show a loaded or re-prepared data set; `prepared` always matches the form."""
        self.dataset, self.summary = outcome.dataset, outcome.summary
        self.prep_form.set_dataset(outcome.dataset)
        if outcome.preparation != self.prep_form.preparation():
            self.prep_form.set_preparation(outcome.preparation)
        self.prepared = outcome.prepared
        if outcome.prepared is None:
            self.banner.show_message(f"Cannot prepare the data: {outcome.problem}", "warning")
        else:
            self.banner.clear()
        self.preview.show_data(self.dataset, self.summary, self.prepared)
        if outcome.prepared is not None and self._applied_dataset is self.dataset:
            self.use_data()  # the data in use follows its preparation
        self._refresh()
        self.recheck()

    @Slot()
    def _on_preparation_changed(self) -> None:
        if self.dataset is None or self.busy:
            return
        preparation = self.prep_form.preparation()
        if is_small(self.dataset):
            self._show_outcome(prepare_outcome(self.dataset, preparation, self.summary))
            return
        self.status_row.start("Preparing…", known_steps=False)
        self.runner.start(partial(prepare_task, self.dataset, preparation, self.summary), "prepare")

    def set_preparation(self, preparation: Preparation) -> None:
        """Show and apply other preparation settings (as editing the form does)."""
        self.prep_form.set_preparation(preparation)
        self._on_preparation_changed()

    # -- using -------------------------------------------------------------------------------------
    @Slot()
    def use_data(self) -> None:
        """Give the prepared data to the document: training uses it from now on."""
        if self.prepared is None:
            return
        before = self._applied, self._applied_dataset
        try:
            # Set first: the document announces the change before set_data returns.
            self._applied, self._applied_dataset = self.prepared, self.dataset
            self.document.set_data(self.prepared)
        except DesignError as error:
            self._applied, self._applied_dataset = before
            self.banner.show_message(str(error), "warning")
            return
        self.data_applied.emit(self.prepared)
        self._refresh()

    @Slot()
    def _on_document_data(self) -> None:
        if self.document.data is not self._applied:  # someone else set or cleared it
            self._applied = self._applied_dataset = None
        self._refresh()
        self.schedule_check()

    @Slot(bool)
    def _on_locked(self, locked: bool) -> None:
        if locked:
            reason = self.document.locked_reason
            self.lock_banner.show_message(
                f"{reason} The data cannot change meanwhile.", "info", closable=False
            )
        else:
            self.lock_banner.clear()
        self._refresh()

    # -- checks against the design ----------------------------------------------------------
    @Slot()
    def schedule_check(self) -> None:
        self._check_timer.start()

    @Slot()
    def recheck(self) -> None:
        """Compare the data shown (or in use) with the design's shapes and loss."""
        data = self.prepared if self.prepared is not None else self.document.data
        result = self._design_check.run(self.document, data)
        self.advice = result.advice
        if result.note:
            self.preview.checks.show_note(result.note)
        else:
            self.preview.checks.show_advice(result.advice, result.ok_text)
        self.preview.set_check_counts(self.preview.checks.counts())

    def fix_problem(self, fix: dict[str, Any]) -> str:
        """Why a fix button cannot work now ('' when it can)."""
        if fix.get("action") in PREPARATION_ACTIONS and self.dataset is None:
            return "Load the data in this panel to change its preparation."
        return design_fix_problem(self.document, fix)

    @Slot(dict)
    def apply_fix(self, fix: dict[str, Any]) -> None:
        """Apply one advice fix: preparation, compile settings or the output layer."""
        try:
            if fix.get("action") in PREPARATION_ACTIONS:
                self.set_preparation(fixed_preparation(self.prep_form.preparation(), fix))
            else:
                apply_design_fix(self.document, fix)
        except (DesignError, ParamError, ValueError) as error:
            self.banner.show_message(str(error), "warning")

    # -- projects ------------------------------------------------------------------------------
    def capture(self, project) -> None:
        """Record the data in use (its source and preparation) in a project."""
        if self._applied is not None and self._applied_dataset is not None:
            source = self._applied_dataset.source
            project.data_source = None if source is None else source.to_dict()
            project.preparation = self._applied.preparation.to_dict()

    def restore(self, project, base_dir: str | Path | None = None) -> None:
        """Show a project's data source and preparation, and load it for training."""
        self.runner.cancel()
        self.dataset = self.summary = self.prepared = None
        self._applied = self._applied_dataset = None
        self.preview.show_data(None, None, None)
        self.prep_form.set_dataset(None)
        self.banner.clear()
        try:
            preparation = Preparation.from_dict(project.preparation or {})
            source = None
            if project.data_source is not None:
                source = DataSource.from_dict(project.data_source)
        except ValueError as error:
            self.banner.show_message(f"The project's data settings are damaged: {error}")
            source, preparation = None, Preparation()
        self.prep_form.set_preparation(preparation)
        if self.document.data is not None and not self.document.locked_reason:
            self.document.set_data(None)
        if source is not None:
            self.source_picker.set_source(source)
            self._start_load(source, "restore", None if base_dir is None else str(base_dir))
        self._refresh()
        self.recheck()

    def shutdown(self) -> None:
        """Cancel loading and wait for the worker (closing the window)."""
        self.runner.shutdown()
