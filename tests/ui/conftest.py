"""Fixtures for UI tests: a main window with private settings, closed afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QMessageBox

from designer.ui.main_window import MainWindow


@pytest.fixture(autouse=True, scope="session")
def _private_app_data() -> None:
    """Recovery files and other app data go to a test location, not the user's."""
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture(autouse=True)
def _clear_our_clipboard(qapp) -> Iterator[None]:
    """Clipboard data made in Python must not outlive the test (PySide6 crashes at exit)."""
    yield
    from designer.ui.graph.clipboard import clear_clipboard_if_ours

    clear_clipboard_if_ours()


@pytest.fixture(autouse=True)
def _no_recovery_files() -> Iterator[None]:
    """Each test starts without another test's recovery copy (the folder is shared)."""
    from designer.ui.project_manager import recovery_dir

    shutil.rmtree(recovery_dir(), ignore_errors=True)
    yield


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def main_window(qtbot, settings_file: Path) -> Iterator[MainWindow]:
    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    # Dialogs block offscreen; tests that care replace these again.
    window.projects.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    window.ask_stop_run = lambda action: True
    window.projects.show_error = lambda title, text: window.statusBar().showMessage(text)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
