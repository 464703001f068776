"""The main window as a user first meets it: menus, docks, About, remembered geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDockWidget, QMessageBox

from designer import __version__
from designer.ui.main_window import MainWindow


def test_menus_in_order(main_window: MainWindow) -> None:
    titles = [action.text().replace("&", "") for action in main_window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Model", "Data", "Train", "Help"]


def test_panel_docks_exist_and_can_be_toggled_from_view_menu(
    main_window: MainWindow, qtbot
) -> None:
    docks = {dock.windowTitle() for dock in main_window.findChildren(QDockWidget)}
    assert {"Layers", "Properties", "Data", "Training", "Weights"} <= docks
    view_actions = {a.text(): a for a in main_window.menus["View"].actions()}
    toggle = view_actions["Properties"]
    properties = main_window.docks["properties"]
    assert properties.isVisible()
    toggle.trigger()
    assert not properties.isVisible()
    toggle.trigger()
    assert properties.isVisible()


def test_status_bar_says_ready(main_window: MainWindow) -> None:
    assert main_window.statusBar().currentMessage() == "Ready"


def test_help_about_shows_version_and_licence(main_window: MainWindow, qtbot) -> None:
    about = next(a for a in main_window.menus["Help"].actions() if "About Network" in a.text())
    about.trigger()
    box = main_window.findChild(QMessageBox, "aboutDialog")
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    assert __version__ in box.text()
    assert "Licence: MIT" in box.text()
    box.close()


def test_edit_menu_has_undo_and_redo_with_shortcuts(main_window: MainWindow) -> None:
    actions = {a.text().replace("&", ""): a for a in main_window.menus["Edit"].actions()}
    assert actions["Undo"].shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [s.toString() for s in actions["Redo"].shortcuts()]
    assert not actions["Undo"].isEnabled()  # nothing to undo in an empty workspace


def test_geometry_is_remembered_between_runs(qtbot, tmp_path: Path) -> None:
    path = str(tmp_path / "settings.ini")
    first = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # within the offscreen screen (800x600)
    first.docks["weights"].hide()
    QApplication.processEvents()
    first.close()

    second = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    second.show()
    QApplication.processEvents()
    assert (second.width(), second.height()) == (760, 560)
    assert not second.docks["weights"].isVisible()


def test_reset_layout_brings_back_hidden_docks(main_window: MainWindow) -> None:
    main_window.docks["palette"].hide()
    main_window.reset_layout()
    assert main_window.docks["palette"].isVisible()
