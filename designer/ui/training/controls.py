"""The training panel's control buttons: Start, Continue, Pause, Stop, Reset weights.

Tool buttons rather than push buttons: they are as wide as their text (push buttons have
a large minimum width), so the five fit a 420 px side panel with their text only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QToolButton

# (attribute, text, objectName, standard icon, slot) of the control buttons, in order
BUTTONS = (
    ("start_button", "Start", "startButton", "SP_MediaPlay", "start"),
    ("continue_button", "Continue", "continueButton", "SP_MediaSeekForward", "continue_training"),
    ("pause_button", "Pause", "pauseButton", "SP_MediaPause", "toggle_pause"),
    ("stop_button", "Stop", "stopButton", "SP_MediaStop", "stop"),
    ("reset_button", "Reset weights", "resetWeightsButton", "SP_BrowserReload", "reset_weights"),
)
TIPS = {
    "startButton": "Train from the current weights, counting epochs from 1",
    "continueButton": "Train further, numbering epochs on from the last run",
    "pauseButton": "Pause after the current batch; press again to resume",
    "stopButton": "End the run after the current batch; the weights so far are kept",
    "resetWeightsButton": "Fresh initial weights for all layers (Undo brings trained ones back)",
}


def control_button(style: QStyle, text: str, name: str, icon: str) -> QToolButton:
    """One control button: `icon` names a QStyle standard pixmap; the tip comes from TIPS."""
    button = QToolButton()
    button.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, icon)))
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.setToolTip(TIPS[name])
    return button
