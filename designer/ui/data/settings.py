"""The panel's settings column: Source and Prepare tabs above Load and "Use this data"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from designer.ui.data.prepare_form import PreparationForm
from designer.ui.data.source_forms import SourcePicker
from designer.ui.data.widgets import AskPath


def _scroll(widget: QWidget) -> QScrollArea:
    """Forms scroll vertically when the dock is short; they never scroll sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setContentsMargins(6, 6, 8, 6)
    scroll.setWidget(widget)
    return scroll


class DataSettings(QWidget):
    """Where the data comes from and how it is prepared; the panel wires the buttons."""

    def __init__(self, ask_path: AskPath, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataSettings")
        self.setAccessibleName("Data source and preparation")
        self.source_picker = SourcePicker(ask_path)
        self.prep_form = PreparationForm()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dataSettingsTabs")
        self.tabs.setAccessibleName("Source and Prepare")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(_scroll(self.source_picker), "Source")
        self.tabs.addTab(_scroll(self.prep_form), "Prepare")
        self.load_button = QPushButton("Generate")
        self.load_button.setObjectName("loadButton")
        self.load_button.setAccessibleName("Load data")
        self.use_button = QPushButton("Use this data")
        self.use_button.setObjectName("useDataButton")
        self.use_button.setAccessibleName("Use this data")
        self.use_button.setToolTip("Train on this data (prepared as set under Prepare)")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 0)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.tabs, 1)
        column.addLayout(buttons)
