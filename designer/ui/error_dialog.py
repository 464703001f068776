"""Unexpected errors go to a dialog with the details, never only to stderr."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget


def show_error(
    parent: QWidget | None, title: str, message: str, details: str | None = None
) -> QMessageBox:
    """A non-blocking error box: the message in words, the traceback under Details."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setObjectName("errorDialog")
    box.open()
    return box


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    parent = QApplication.activeWindow()
    show_error(
        parent,
        "Unexpected error",
        f"Something went wrong: {exc}\n\nYour work is unchanged. Details below help us fix it.",
        details,
    )


def install_exception_hook() -> None:
    """Route uncaught exceptions (including those in Qt slots) to a dialog."""
    sys.excepthook = _excepthook
