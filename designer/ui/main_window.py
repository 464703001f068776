"""The main window: menus, the design area, dock panels, status bar, remembered geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from designer import __licence__, __version__
from designer.data.file_kinds import ACCEPTED, is_data_name
from designer.project.examples import EXAMPLES
from designer.project.files import SUFFIX
from designer.spec.templates import TEMPLATES
from designer.ui.code_import import CodeImportDialog
from designer.ui.compile_panel import CompilePanel
from designer.ui.data import DataPanel
from designer.ui.design_area import DesignArea, validity_text
from designer.ui.document import Document
from designer.ui.empty_state import EmptyState
from designer.ui.import_export import ImportExport
from designer.ui.insight import WeightsPanel
from designer.ui.model_summary_panel import SummaryPanel
from designer.ui.palette import PaletteWidget
from designer.ui.project_manager import ProjectManager
from designer.ui.property_editor import PropertyEditor
from designer.ui.training import install_training

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"

MENU_TITLES = ("&File", "&Edit", "&View", "&Model", "&Data", "&Train", "&Help")


def _unique(sequences: list[QKeySequence]) -> list[QKeySequence]:
    seen: dict[str, QKeySequence] = {}
    for sequence in sequences:
        if not sequence.isEmpty():
            seen.setdefault(sequence.toString(), sequence)
    return list(seen.values())


def undo_shortcuts() -> list[QKeySequence]:
    """The platform's undo keys (Ctrl+Z everywhere), each bound once."""
    return _unique(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y (and whatever else the platform uses), each bound once.

    Binding a key twice makes Qt refuse it as an "ambiguous shortcut overload".
    """
    return _unique(
        [
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
            QKeySequence("Ctrl+Shift+Z"),
            QKeySequence("Ctrl+Y"),
        ]
    )


def _scrollable(widget: QWidget, minimum_height: int) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    area.setMinimumHeight(minimum_height)
    return area


class MainWindow(QMainWindow):
    """One window holding the design views (centre) and the panels (docks)."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle("Untitled[*] — Network Designer")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.document = Document(self)
        self.undo_stack = self.document.undo_stack
        self.projects = ProjectManager(self.document, self, settings)
        self.projects.modified_changed.connect(self.setWindowModified)
        self.projects.path_changed.connect(self._refresh_title)
        self.projects.message_posted.connect(self._show_message)
        self.setAcceptDrops(True)
        self.menus = {
            title.replace("&", ""): self.menuBar().addMenu(title) for title in MENU_TITLES
        }
        self.docks: dict[str, QDockWidget] = {}

        self.design_area = DesignArea(self.document)
        self.setCentralWidget(self.design_area)
        welcome = self.design_area.welcome
        welcome.example_requested.connect(self.open_example)
        welcome.open_requested.connect(self._open)
        welcome.import_code_requested.connect(self.import_code)
        self._create_docks()
        self._default_state = self.saveState()
        self._create_menus()
        self.validity_label = QLabel()
        self.validity_label.setObjectName("validityStatus")
        self.statusBar().addPermanentWidget(self.validity_label)
        self.statusBar().showMessage("Ready")
        self.document.build_changed.connect(self._refresh_validity)
        self.document.design_reset.connect(self._refresh_validity)
        self._refresh_validity()
        self.training_panel = install_training(self)
        self.weights_panel = WeightsPanel(self.document, self.training_controller)
        # Bottom panels scroll rather than force a tall window on small screens.
        # Plots squeeze instead of forcing a tall window on small screens.
        self.training_panel.setMinimumSize(400, 220)
        for key, panel in (("data", self.data_panel), ("weights", self.weights_panel)):
            self.docks[key].setWidget(_scrollable(panel, minimum_height=150))
        self.projects.register(self.data_panel.capture, self._restore_data)
        self.projects.register(self._capture_training, self._restore_training)
        self.data_panel.restore_finished.connect(self.projects.end_quiet_data)
        self.projects.leave_guard = self.leave_run
        controller = self.training_controller
        # A run changes the project (its record, then its weights): saved or recovered.
        controller.started.connect(self.projects.mark_dirty)
        controller.finished.connect(self.projects.mark_dirty)
        controller.failed.connect(self.projects.mark_dirty)
        controller.epoch_ended.connect(self.projects.autosave_soon)
        runs_list = self.training_panel.runs_list
        for signal in (runs_list.run_deleted, runs_list.run_renamed):
            signal.connect(self.projects.mark_dirty)
        self.document.locked_changed.connect(self._on_locked)
        self.document.message_posted.connect(self._show_message)
        self.resize(1280, 800)
        self._restore_geometry()

    # -- docks ---------------------------------------------------------------------------
    def _add_dock(
        self, key: str, title: str, area: Qt.DockWidgetArea, content: QWidget
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setAccessibleName(title)
        dock.setWidget(content)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _create_docks(self) -> None:
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.palette_widget = PaletteWidget(self.document)
        self.property_editor = PropertyEditor(self.document)
        self.compile_panel = CompilePanel(self.document)
        self.summary_panel = SummaryPanel(self.document)
        self._add_dock("palette", "Layers", left, self.palette_widget)
        compile_scroll = QScrollArea()
        compile_scroll.setWidgetResizable(True)
        compile_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        compile_scroll.setWidget(self.compile_panel)
        # One dock with two tabs: a second tabified dock group makes Qt 6.11 leave a
        # stale tab bar drawn over the left dock.
        self.inspector_tabs = QTabWidget()
        self.inspector_tabs.setObjectName("inspectorTabs")
        self.inspector_tabs.setDocumentMode(True)
        self.inspector_tabs.addTab(self.property_editor, "Layer")
        self.inspector_tabs.addTab(compile_scroll, "Compile")
        properties = self._add_dock("properties", "Properties", right, self.inspector_tabs)
        summary = self._add_dock("summary", "Summary", bottom, self.summary_panel)
        self.data_panel = DataPanel(self.document)
        data = self._add_dock("data", "Data", bottom, self.data_panel)
        training = self._add_dock(
            "training", "Training", bottom, EmptyState("Training", "Preparing the panel…")
        )
        weights = self._add_dock(
            "weights", "Weights", bottom, EmptyState("Weights", "Preparing the panel…")
        )
        for dock in (data, training, weights):
            self.tabifyDockWidget(summary, dock)
        summary.raise_()
        self.resizeDocks([self.docks["palette"], properties], [250, 300], Qt.Orientation.Horizontal)
        self.resizeDocks([summary], [300], Qt.Orientation.Vertical)

    # -- menus ---------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _create_menus(self) -> None:
        graph = self.design_area.graph_view
        file_menu = self.menus["File"]
        file_menu.addAction(
            self._action("&New", self.new_design, QKeySequence.StandardKey.New, "newAction")
        )
        templates = file_menu.addMenu("New from &Template")
        templates.setObjectName("templatesMenu")
        for item in TEMPLATES:
            action = self._action(item.title, lambda _=False, key=item.key: self.load_template(key))
            action.setObjectName(f"template_{item.key}")
            action.setStatusTip(item.description)
            templates.addAction(action)
        examples = file_menu.addMenu("&Examples")
        examples.setObjectName("examplesMenu")
        for item in EXAMPLES:
            action = self._action(item.title, lambda _=False, key=item.key: self.open_example(key))
            action.setObjectName(f"example_{item.key}")
            action.setStatusTip(item.description)
            examples.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("&Open…", self._open, QKeySequence.StandardKey.Open, "openAction")
        )
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(
            self._action("&Save", self._save, QKeySequence.StandardKey.Save, "saveAction")
        )
        file_menu.addAction(
            self._action(
                "Save &As…", self._save_as, QKeySequence.StandardKey.SaveAs, "saveAsAction"
            )
        )
        file_menu.addSeparator()
        self.exchange = ImportExport(self)
        self.exchange.message_posted.connect(self._show_message)
        export_menu = file_menu.addMenu("&Export")
        export_menu.setObjectName("exportMenu")
        export_menu.addAction(
            self._action(
                "Python Script for &Keras…", self._export_keras_script, name="exportKerasScript"
            )
        )
        export_menu.addAction(
            self._action(
                "Python Script for the &Engine…",
                self._export_engine_script,
                name="exportEngineScript",
            )
        )
        export_menu.addAction(
            self._action(
                "Keras &Model File (.keras)…", self._export_keras_file, name="exportKerasFile"
            )
        )
        import_menu = file_menu.addMenu("&Import")
        import_menu.setObjectName("importMenu")
        import_menu.addAction(
            self._action(
                "Keras &Model File (.keras)…", self._import_keras_file, name="importKerasFile"
            )
        )
        import_menu.addAction(
            self._action("Keras &Code…", self.import_code, "Ctrl+Shift+I", "importKerasCode")
        )
        self.import_menu = import_menu
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = self.menus["Edit"]
        # The document's actions: off (with the reason) while a run owns the design.
        undo, redo = self.document.create_undo_actions(self)
        undo.setShortcuts(undo_shortcuts())
        undo.setObjectName("undoAction")
        redo.setShortcuts(redo_shortcuts())
        redo.setObjectName("redoAction")
        self.undo_action, self.redo_action = undo, redo
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addActions(
            [graph.copy_action, graph.paste_action, graph.duplicate_action, graph.delete_action]
        )

        view_menu = self.menus["View"]
        view_menu.addAction(
            self._action("&Stack View", self.design_area.show_stack, "Ctrl+1", "stackViewAction")
        )
        view_menu.addAction(
            self._action("&Graph View", self.design_area.show_graph, "Ctrl+2", "graphViewAction")
        )
        view_menu.addActions([graph.zoom_in_action, graph.zoom_out_action, graph.fit_action])
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self._action("&Reset Layout", self.reset_layout))

        model_menu = self.menus["Model"]
        model_menu.addAction(graph.layout_action)
        for key, label in (
            ("summary", "&Summary"),
            ("compile", "&Compile Settings"),
            ("properties", "Layer &Properties"),
            ("weights", "&Weights"),
        ):
            model_menu.addAction(self._action(label, lambda _=False, k=key: self.show_dock(k)))

        self.menus["Data"].addAction(self._action("&Data Panel", lambda: self.show_dock("data")))
        self.train_action = self._action(
            "&Train…", lambda: self.show_dock("training"), "F5", "trainAction"
        )
        self.menus["Train"].addAction(self.train_action)

        help_menu = self.menus["Help"]
        help_menu.addAction(self._action("&About Network Designer", self.show_about))
        help_menu.addAction(self._action("About &Qt", lambda: QMessageBox.aboutQt(self)))

    # -- commands ---------------------------------------------------------------------------
    def show_compile(self) -> None:
        self.show_dock("properties")
        self.inspector_tabs.setCurrentIndex(1)

    def show_dock(self, key: str) -> None:
        self.docks[key].show()
        self.docks[key].raise_()

    def _capture_training(self, project) -> None:
        project.training = self.training_panel.config()
        project.runs = list(self.training_controller.runs)
        project.next_epoch = self.training_controller.next_epoch

    def _restore_training(self, project) -> None:
        self.training_panel.set_config(project.training)
        self.training_controller.runs[:] = list(project.runs)
        self.training_controller.next_epoch = project.next_epoch
        self.training_panel.reload_runs()

    def ask_stop_run(self, action: str) -> bool:
        """Leaving during a run: True to stop it (keeping its weights). Tests replace this."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Training is running",
            f"A training run is going. {action} needs it to stop first.\n\n"
            "Stop the run and keep the weights it has learned so far?",
            parent=self,
        )
        stop = box.addButton("Stop and Keep Weights", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is stop

    def leave_run(self, action: str) -> bool:
        """Before New, Open, an import or Close: a running run is stopped (asked) or kept."""
        controller = self.training_controller
        if not controller.running:
            return True
        if not self.ask_stop_run(action):
            self.statusBar().showMessage(f"{action} cancelled: the run goes on.", 5000)
            return False
        self.statusBar().showMessage("Stopping the run…")
        return controller.stop_and_wait()

    @Slot(bool)
    def _on_locked(self, locked: bool) -> None:
        """Say in the status bar why edits are off while a run owns the design."""
        if locked:
            self.statusBar().showMessage(self.document.locked_reason, 5000)

    def _restore_data(self, project) -> None:
        """Reload a project's data (on the panel's worker thread) from its own folder."""
        if project.data_source is not None:
            self.projects.begin_quiet_data()
        self.data_panel.restore(project, base_dir=self.projects.base_dir())

    @Slot()
    def _export_keras_script(self) -> None:
        self.exchange.export_script("keras")

    @Slot()
    def _export_engine_script(self) -> None:
        self.exchange.export_script("engine")

    @Slot()
    def _export_keras_file(self) -> None:
        self.exchange.export_keras()

    @Slot()
    def import_code(self) -> CodeImportDialog:
        """Open the paste-a-program dialog (non-modal; Import applies it)."""
        dialog = CodeImportDialog(self)
        dialog.accepted.connect(lambda: self._apply_code_import(dialog))
        dialog.open()
        return dialog

    def _apply_code_import(self, dialog: CodeImportDialog) -> None:
        if dialog.apply():
            self.statusBar().showMessage("Imported the network from the code.", 5000)

    @Slot()
    def _import_keras_file(self) -> None:
        self.exchange.import_keras()

    @Slot()
    def _open(self) -> None:
        self.projects.open()

    @Slot()
    def _save(self) -> None:
        self.projects.save()

    @Slot()
    def _save_as(self) -> None:
        self.projects.save_as()

    @Slot()
    def new_design(self) -> None:
        self.load_template("empty")

    def load_template(self, key: str) -> None:
        """A new, untitled project holding a template design."""
        from designer.project import Project
        from designer.spec.design import DesignError
        from designer.spec.templates import template

        item = template(key)
        design, settings = item.make()
        try:
            if not self.projects.new(Project(design, settings)):
                return
        except DesignError as error:
            self.statusBar().showMessage(str(error), 8000)
            return
        self.statusBar().showMessage(f"New design from template: {item.title}", 5000)

    def open_example(self, key: str) -> None:
        from designer.project.examples import example

        item = example(key)
        available, hint = item.available()
        if not available:
            self.projects.show_error("Example data missing", f"{item.title}: {hint}")
            return
        if self.projects.new(item.make()):
            self.statusBar().showMessage(f"Example: {item.title}", 5000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.projects.recent()
        for path in paths:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.projects.open(p))
        if not paths:
            self.recent_menu.addAction("No recent projects").setEnabled(False)

    @Slot(str)
    def _refresh_title(self, _path: str = "") -> None:
        self.setWindowTitle(self.projects.title())
        self.setWindowModified(self.projects.modified)

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    # -- drop files onto the window ------------------------------------------------------------
    @staticmethod
    def _dropped_paths(event) -> list[str]:
        data = event.mimeData()
        urls = data.urls() if data.hasUrls() else []
        return [u.toLocalFile() for u in urls if u.isLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()  # every file is answered, if only with a message
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._dropped_paths(event)
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[str]) -> None:
        """A project opens, a .keras model imports, data opens in the Data panel."""
        first = paths[0].lower()
        if len(paths) == 1 and first.endswith(SUFFIX):
            self.projects.open(paths[0])
        elif len(paths) == 1 and first.endswith(".keras"):
            self.exchange.import_keras(paths[0])
        elif all(is_data_name(Path(p).name) for p in paths):
            problem = self.data_panel.open_files(paths)
            self.show_dock("data")
            if problem:
                self.projects.show_error("Cannot open the data", problem)
                self._show_message(problem)
        else:
            names = ", ".join(Path(p).name for p in paths)
            text = (
                f"Cannot open {names}: drop a project ({SUFFIX}), a Keras model (.keras), "
                f"or data: {ACCEPTED}."
            )
            self.projects.show_error("Cannot open the dropped file", text)
            self._show_message(text)

    @Slot()
    def _refresh_validity(self) -> None:
        if not self.document.design.nodes:
            self.train_action.setEnabled(False)
            self.train_action.setStatusTip("Cannot train: the design is empty.")
            self.validity_label.setText("Empty design")
            return
        ok, text = validity_text(self.document)
        self.train_action.setEnabled(ok)
        self.train_action.setStatusTip("Train the model" if ok else f"Cannot train: {text}")
        self.validity_label.setText(("✓ " if ok else "⚠ ") + (text if ok else "Cannot train"))
        if not ok:
            self.statusBar().showMessage(f"Cannot train: {text}", 10000)

    def about_text(self) -> str:
        return (
            f"<h3>Network Designer {__version__}</h3>"
            "<p>Design, train and inspect neural networks,"
            " on a NumPy engine with the Keras API.</p>"
            f"<p>Licence: {__licence__}.</p>"
        )

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "About Network Designer", self.about_text(), parent=self
        )
        box.setObjectName("aboutDialog")
        box.open()

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.show()
        self.restoreState(self._default_state)

    # -- geometry ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self.settings is None:
            return
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value(STATE_KEY)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_geometry(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.leave_run("Closing") or not self.projects.maybe_save():
            event.ignore()
            return
        self.projects.wait_for_saves()
        self.projects.discard_recovery()
        self.data_panel.shutdown()
        self.save_geometry()
        super().closeEvent(event)
