"""Create the QApplication and the main window; the screenshot mode used by docs and checks."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QSettings,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from designer import __version__
from designer.ui.error_dialog import install_exception_hook
from designer.ui.main_window import MainWindow

ORGANIZATION = "NetworkDesigner"
APPLICATION = "Network Designer"


# Harmless notices of the offscreen platform that would only worry a reader of the log.
_QUIET_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if any(message.startswith(quiet) for quiet in _QUIET_MESSAGES):
        return
    sys.stderr.write(message + "\n")


def create_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and dialogs know the app."""
    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_qt_message_handler)
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setStyle("Fusion")
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APPLICATION)
    return app


def run_app(template: str | None = None) -> int:
    """Open the main window and run the event loop until it closes."""
    app = create_application()
    install_exception_hook()
    window = MainWindow(QSettings())
    window.show()
    offer_recovery(window)
    if template:
        window.load_template(template)
    return app.exec()


def offer_recovery(window: MainWindow) -> None:
    """After a crash, offer the autosaved work of the last session."""
    from PySide6.QtWidgets import QMessageBox

    if window.projects.pending_recovery() is None:
        return
    answer = QMessageBox.question(
        window,
        "Recover unsaved work?",
        "Network Designer did not close properly last time. Recover the work it saved "
        "automatically?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        window.projects.recover()
    else:
        window.projects.discard_recovery()


def save_screenshot(
    path: str | Path, size: tuple[int, int] = (1280, 800), template: str | None = None
) -> int:
    """Render the main window (at `size`, ignoring remembered geometry) to a PNG."""
    app = create_application()
    window = MainWindow(settings=None)
    window.resize(*size)
    window.show()
    if template:
        window.load_template(template)
    for _ in range(3):  # let the build and the views settle
        app.processEvents()
    if template:
        window.design_area.graph_view.fit_action.trigger()
        app.processEvents()
    image = window.grab()
    ok = image.save(str(path), "PNG")
    window.close()
    if not ok:
        sys.stderr.write(f"network-designer: could not write the screenshot to {path}\n")
        return 1
    return 0
