"""The main window: menus, dock areas for the panels, status bar, remembered geometry."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QWidget

from designer import __licence__, __version__
from designer.ui.empty_state import EmptyState

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"

MENU_TITLES = ("&File", "&Edit", "&View", "&Model", "&Data", "&Train", "&Help")


class MainWindow(QMainWindow):
    """One window holding the design views (centre) and the panels (docks)."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle("Network Designer")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self.undo_stack = QUndoStack(self)
        self.menus = {
            title.replace("&", ""): self.menuBar().addMenu(title) for title in MENU_TITLES
        }
        self.docks: dict[str, QDockWidget] = {}

        centre = EmptyState(
            "No network yet",
            "Drag layers from the palette into the stack, or wire them as a graph.",
        )
        centre.setObjectName("designArea")
        centre.setBackgroundRole(QPalette.ColorRole.Base)
        centre.setAutoFillBackground(True)
        self.setCentralWidget(centre)
        self._create_docks()
        self._default_state = self.saveState()
        self._create_menus()
        self.statusBar().showMessage("Ready")
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
        self._add_dock(
            "palette", "Layers", left, EmptyState("Layers", "Layers to drag into the design.")
        )
        self._add_dock(
            "properties",
            "Properties",
            right,
            EmptyState("Nothing selected", "Select a layer to edit its settings."),
        )
        data = self._add_dock(
            "data",
            "Data",
            bottom,
            EmptyState("No data loaded", "Load a file or generate a data set."),
        )
        training = self._add_dock(
            "training",
            "Training",
            bottom,
            EmptyState("Not trained yet", "Training runs and plots appear here."),
        )
        weights = self._add_dock(
            "weights",
            "Weights",
            bottom,
            EmptyState("No weights", "Build a model to inspect its weights."),
        )
        self.tabifyDockWidget(data, training)
        self.tabifyDockWidget(training, weights)
        data.raise_()
        self.resizeDocks(
            [self.docks["palette"], self.docks["properties"]], [220, 260], Qt.Orientation.Horizontal
        )
        self.resizeDocks([data], [240], Qt.Orientation.Vertical)

    # -- menus ---------------------------------------------------------------------------
    def _create_menus(self) -> None:
        file_menu = self.menus["File"]
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menus["Edit"]
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        edit_menu.addActions([undo, redo])

        view_menu = self.menus["View"]
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        reset = QAction("&Reset Layout", self)
        reset.triggered.connect(self.reset_layout)
        view_menu.addAction(reset)

        for menu, key, label in (
            ("Model", "properties", "Layer &Properties"),
            ("Data", "data", "&Data Panel"),
            ("Train", "training", "&Training Panel"),
            ("Model", "weights", "&Weights"),
        ):
            action = QAction(label, self)
            action.triggered.connect(self.docks[key].show)
            action.triggered.connect(self.docks[key].raise_)
            self.menus[menu].addAction(action)

        help_menu = self.menus["Help"]
        about = QAction("&About Network Designer", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        about_qt = QAction("About &Qt", self)
        about_qt.triggered.connect(lambda: QMessageBox.aboutQt(self))
        help_menu.addAction(about_qt)

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
        self.save_geometry()
        super().closeEvent(event)
