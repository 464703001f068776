"""Unexpected errors always have an owner: a dialog on the main window and a log file.

`sys.excepthook` (uncaught exceptions, including those raised in Qt slots) and
`threading.excepthook` (worker threads) both end here. A worker thread's error is passed
to the GUI thread by a queued signal, so the dialog is always made where Qt allows. The
dialog is parented to the main window whether or not it is active (a parentless box can
open behind other windows or not at all), offers "Copy Details", and names the log file
under the user's data folder where every error is appended.
"""

from __future__ import annotations

import datetime
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1_000_000  # older entries are dropped beyond this


def log_path() -> Path:
    """Where errors are written: <AppDataLocation>/errors.log."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".network-designer") / LOG_NAME


def append_to_log(details: str) -> Path | None:
    """Append one error to the log (trimmed to the newest ~1 MB); None when impossible."""
    path = log_path()
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            kept = path.read_bytes()[-MAX_LOG_BYTES // 2 :]
            path.write_bytes(kept)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {stamp}\n{details.rstrip()}\n")
    except OSError:
        return None
    return path


def main_window() -> QWidget | None:
    """The application's main window, active or not (None before it exists)."""
    app = QApplication.instance()
    if app is None:
        return None
    active = QApplication.activeWindow()
    if isinstance(active, QMainWindow):
        return active
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow) and not widget.isHidden():
            return widget
    return active


class ErrorDialog(QDialog):
    """The message in words; the details (traceback) below, with Copy Details and Close."""

    def __init__(
        self, parent: QWidget | None, title: str, message: str, details: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.setModal(False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(32, 32)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(message)
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout.addLayout(top)
        self.details = QPlainTextEdit(details or "")
        self.details.setObjectName("errorDetails")
        self.details.setReadOnly(True)
        self.details.setVisible(bool(details))
        self.details.setMinimumHeight(160)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox()
        if details:
            copy = buttons.addButton("Copy Details", QDialogButtonBox.ButtonRole.ActionRole)
            copy.setObjectName("copyDetailsButton")
            copy.clicked.connect(self.copy_details)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.close)
        layout.addWidget(buttons)
        self.resize(560, 380 if details else 160)

    def text(self) -> str:
        return self.message.text()

    def detailedText(self) -> str:  # QMessageBox's name, which callers know
        return self.details.toPlainText()

    @Slot()
    def copy_details(self) -> None:
        QApplication.clipboard().setText(f"{self.message.text()}\n\n{self.detailedText()}")


def show_error(
    parent: QWidget | None, title: str, message: str, details: str | None = None
) -> ErrorDialog:
    """A non-blocking error dialog: the message in words, the details below it."""
    dialog = ErrorDialog(parent, title, message, details)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def report_unexpected(details: str, summary: str) -> ErrorDialog | None:
    """Log an unexpected error and show it on the main window (GUI thread only)."""
    path = append_to_log(details)
    if QApplication.instance() is None:
        sys.stderr.write(details)
        return None
    where = f"The details were added to {path}." if path else "The log could not be written."
    return show_error(
        main_window(),
        "Unexpected error",
        f"Something went wrong: {summary}\n\nYour work is unchanged. {where}",
        details,
    )


class _Relay(QObject):
    """Carries a worker thread's error to the GUI thread."""

    reported = Signal(str, str)

    @Slot(str, str)
    def show(self, details: str, summary: str) -> None:
        report_unexpected(details, summary)


_relay: _Relay | None = None


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    summary = str(exc) or exc_type.__name__
    if _relay is not None and threading.current_thread() is not threading.main_thread():
        _relay.reported.emit(details, summary)
    else:
        report_unexpected(details, summary)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    _excepthook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def install_exception_hook() -> None:
    """Route uncaught exceptions (Qt slots and worker threads included) to one owner."""
    global _relay
    app = QApplication.instance()
    if app is not None and _relay is None:
        _relay = _Relay(app)
        _relay.reported.connect(_relay.show)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
