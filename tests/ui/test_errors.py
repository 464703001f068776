"""Unexpected errors are always seen: a dialog on the main window and a line in the log."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from designer.ui import error_dialog
from designer.ui.error_dialog import ErrorDialog, log_path


def open_dialogs() -> list[ErrorDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()
    ]


@pytest.fixture
def clean_log():
    path = log_path()
    if path.exists():
        path.unlink()
    yield path
    for dialog in open_dialogs():
        dialog.close()


def raise_and_report(message: str) -> None:
    try:
        raise RuntimeError(message)
    except RuntimeError:
        error_dialog._excepthook(*sys.exc_info())


def test_an_error_with_no_active_window_still_shows_on_the_main_window(
    main_window, qtbot, clean_log
):
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()  # the main window is not the active one
    raise_and_report("the boundary grid is empty")
    dialogs = open_dialogs()
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.parent() is main_window
    assert "the boundary grid is empty" in dialog.text()
    assert str(clean_log) in dialog.text()
    assert "RuntimeError: the boundary grid is empty" in clean_log.read_text()
    qtbot.mouseClick(dialog.findChild(QWidget, "copyDetailsButton"), Qt.MouseButton.LeftButton)
    assert "Traceback" in QApplication.clipboard().text()
    assert dialog.isVisible(), "copying keeps the details open"


def test_a_worker_threads_error_reaches_the_window_and_the_log(main_window, qtbot, clean_log):
    previous = sys.excepthook
    error_dialog.install_exception_hook()
    try:

        def work() -> None:
            raise ValueError("a worker failed")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(open_dialogs()), timeout=5_000)
    finally:
        threading.excepthook = threading.__excepthook__
        sys.excepthook = previous
    assert "a worker failed" in open_dialogs()[0].text()
    assert "ValueError: a worker failed" in clean_log.read_text()
