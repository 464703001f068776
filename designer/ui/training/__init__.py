"""Training from the GUI: a worker thread, its controller, live plots and the panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from designer.ui.training.controller import TrainingController
from designer.ui.training.panel import TrainingPanel

if TYPE_CHECKING:
    from designer.ui.main_window import MainWindow

__all__ = ["TrainingController", "TrainingPanel", "install_training"]


def install_training(window: MainWindow) -> TrainingPanel:
    """Make a controller and its panel, put the panel in the window's "Training" dock.

    The window keeps both (`window.training_controller`, `window.training_panel`); its
    `closeEvent` stops a run before it accepts, and quitting the application stops one
    too, as a fallback.
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
