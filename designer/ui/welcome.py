"""The welcome page shown on an empty design: examples to open, and ways to start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from designer.project.examples import EXAMPLES


class WelcomePage(QScrollArea):
    example_requested = Signal(str)
    empty_requested = Signal()
    open_requested = Signal()
    import_code_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setAccessibleName("Welcome")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        page.setObjectName("welcomeContent")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("Welcome to Network Designer")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        subtitle = QLabel(
            "Build a network from layers, train it on real or generated data, and look inside. "
            "Start from a tutorial example, from nothing, or from Keras code."
        )
        subtitle.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        row = QHBoxLayout()
        for text, signal, name in (
            ("Empty design", self.empty_requested, "welcomeEmpty"),
            ("Open a project…", self.open_requested, "welcomeOpen"),
            ("Import Keras code…", self.import_code_requested, "welcomeImportCode"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(signal)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        heading = QLabel("<b>Examples from the tutorials</b> — ready to train")
        layout.addSpacing(8)
        layout.addWidget(heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        self.example_buttons: dict[str, QPushButton] = {}
        for index, item in enumerate(EXAMPLES):
            available, hint = item.available()
            card = _card(
                item.title, item.description if available else f"Needs Fashion-MNIST: {hint}"
            )
            card.setObjectName(f"welcome_{item.key}")
            card.setToolTip(item.description if available else hint)
            card.clicked.connect(lambda _=False, key=item.key: self.example_requested.emit(key))
            self.example_buttons[item.key] = card
            grid.addWidget(card, index // 2, index % 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        for label in (subtitle, heading):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)


def _card(title: str, text: str) -> QPushButton:
    """A button holding a bold title and a wrapped description."""
    button = QPushButton()
    inner = QVBoxLayout(button)
    inner.setContentsMargins(10, 8, 10, 8)
    heading = QLabel(f"<b>{title}</b>")
    heading.setWordWrap(True)
    body = QLabel(text)
    body.setWordWrap(True)
    for label in (heading, body):
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        inner.addWidget(label)
    inner.addStretch(1)
    button.setMinimumHeight(92)
    return button
