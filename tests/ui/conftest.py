"""Fixtures for UI tests: a main window with private settings, closed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from designer.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _clear_our_clipboard(qapp) -> Iterator[None]:
    """Clipboard data made in Python must not outlive the test (PySide6 crashes at exit)."""
    yield
    from designer.ui.graph.clipboard import clear_clipboard_if_ours

    clear_clipboard_if_ours()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def main_window(qtbot, settings_file: Path) -> Iterator[MainWindow]:
    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
