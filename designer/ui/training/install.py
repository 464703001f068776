"""Docking the training panel into the main window (the lead calls `install_training`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from designer.ui.training.controller import TrainingController
from designer.ui.training.panel import TrainingPanel


def install_training(window) -> TrainingPanel:
    """Put a controller and the panel into the main window's "Training" dock.

    The window's `closeEvent` should call `window.training_panel.shutdown()` once the
    close is accepted (as it does for the data panel); quitting the application stops a
    run too, as a fallback.
    """
    controller = TrainingController(window.document, window)
    panel = TrainingPanel(window.document, controller)
    window.docks["training"].setWidget(panel)
    window.training_controller = controller
    window.training_panel = panel
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(panel.shutdown)
    return panel
