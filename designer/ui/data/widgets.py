"""Small shared pieces of the data panel: a file-path row, a message banner, the status row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Tints with alpha so they read on light and dark palettes alike.
KIND_COLORS = {
    "error": ("#c0392b", "rgba(192, 57, 43, 0.10)"),
    "warning": ("#b86e00", "rgba(230, 140, 0, 0.12)"),
    "info": ("#2a6fba", "rgba(42, 111, 186, 0.09)"),
    "ok": ("#2e7d32", "rgba(46, 125, 50, 0.10)"),
}
KIND_GLYPHS = {"error": "✖", "warning": "⚠", "info": "ℹ", "ok": "✓"}

AskPath = Callable[[str, str], str]


def tinted_frame_style(kind: str, name: str) -> str:
    border, background = KIND_COLORS[kind]
    return (
        f"QFrame#{name} {{ background: {background}; border: none;"
        f" border-left: 3px solid {border}; border-radius: 3px; }}"
    )


def compact_form(parent: QWidget | None = None) -> QFormLayout:
    """A form that wraps long rows in a narrow side panel instead of clipping them."""
    form = QFormLayout(parent)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(8)
    form.setVerticalSpacing(5)
    return form


def muted_label(text: str = "", name: str = "") -> QLabel:
    """A wrapped note in the palette's secondary text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    if name:
        label.setObjectName(name)
        label.setAccessibleName(name)
    return label


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName("File problem")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(f"color: {KIND_COLORS['error'][0]};")
    label.hide()
    return label


def set_note(label: QLabel, text: str) -> None:
    """Show a note, or hide it (no empty line) when there is nothing to say."""
    label.setText(text)
    label.setVisible(bool(text))


def stacked(*widgets: QWidget) -> QVBoxLayout:
    """A file row with its notes right below it (hidden notes take no room)."""
    column = QVBoxLayout()
    column.setSpacing(3)
    for widget in widgets:
        column.addWidget(widget)
    return column


class PageStack(QWidget):
    """Pages of which one is shown, sized by the shown page only.

    A QStackedWidget asks every page for its height-for-width, so a tall hidden page
    makes a scroll area around it scroll for nothing; hidden widgets here take no room.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current = -1
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(len(self._pages) == 1)
        if self._current < 0:
            self._current = 0

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget:
        return self._pages[self._current]

    def setCurrentIndex(self, index: int) -> None:
        self._current = index
        for number, page in enumerate(self._pages):
            page.setVisible(number == index)


class PathRow(QWidget):
    """A line edit for a file path and a Browse… button that asks through `ask`."""

    path_changed = Signal(str)

    def __init__(
        self, name: str, caption: str, file_filter: str, ask: AskPath, optional: bool = False
    ) -> None:
        super().__init__()
        self.caption = caption
        self.file_filter = file_filter
        self._ask = ask
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{name}Path")
        self.edit.setAccessibleName(caption)
        self.edit.setPlaceholderText("optional" if optional else "choose a file…")
        self.edit.setClearButtonEnabled(True)
        self.edit.editingFinished.connect(self._on_edited)
        self.button = QToolButton()
        self.button.setText("Browse…")
        self.button.setObjectName(f"{name}Browse")
        self.button.setAccessibleName(f"Browse for {caption.lower()}")
        self.button.clicked.connect(self.browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self._last = ""

    @property
    def path(self) -> str:
        return self.edit.text().strip()

    def set_path(self, path: str | None) -> None:
        self.edit.setText(path or "")
        self._last = self.path
        self.edit.setToolTip(self.path)

    @Slot()
    def browse(self) -> None:
        chosen = self._ask(self.caption, self.file_filter)
        if chosen:
            self.set_path(chosen)
            self.path_changed.emit(self.path)

    @Slot()
    def _on_edited(self) -> None:
        if self.path != self._last:
            self._last = self.path
            self.edit.setToolTip(self.path)
            self.path_changed.emit(self.path)


class Banner(QFrame):
    """A one-line message (error, warning, info) above the preview, closable."""

    def __init__(self, name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.kind = ""
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        self.text.setAccessibleName("Message")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setObjectName(f"{name}Close")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 2, 4)
        layout.setSpacing(6)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(
        self, text: str, kind: str = "error", tooltip: str = "", closable: bool = True
    ) -> None:
        self.kind = kind
        color = KIND_COLORS[kind][0]
        self.icon.setText(KIND_GLYPHS[kind])
        self.icon.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.text.setText(text)
        self.setToolTip(tooltip)
        self.setStyleSheet(tinted_frame_style(kind, self.objectName()))
        self.close_button.setVisible(closable)
        self.show()

    @Slot()
    def clear(self) -> None:
        self.kind = ""
        self.text.clear()
        self.hide()


class StatusRow(QStackedWidget):
    """A status line; while loading, what is loading, a progress bar and Cancel."""

    STEPS = 1000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataStatusRow")
        self.setAccessibleName("Data status and loading progress")
        self.label = QLabel()
        self.label.setObjectName("dataStatus")
        self.label.setAccessibleName("Data status")
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("loadProgress")
        self.progress.setAccessibleName("Loading progress")
        self.progress.setRange(0, self.STEPS)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(14)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setAccessibleName("What is loading")
        # Long source names must not widen a narrow side panel.
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelLoadButton")
        self.cancel_button.setAccessibleName("Cancel loading")
        self.progress_page = QWidget()
        row = QHBoxLayout(self.progress_page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_label, 2)
        row.addWidget(self.progress, 3)
        row.addWidget(self.cancel_button)
        self.addWidget(self.label)
        self.addWidget(self.progress_page)
        self.setMaximumHeight(max(30, self.cancel_button.sizeHint().height() + 4))

    @property
    def busy(self) -> bool:
        return self.currentWidget() is self.progress_page

    def start(self, text: str, known_steps: bool = True) -> None:
        """Show progress from zero (a busy bar when the work reports no steps)."""
        self.progress_label.setText(text)
        self.progress.setRange(0, self.STEPS if known_steps else 0)
        self.progress.setValue(0)

    def set_fraction(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * self.STEPS))

    def set_busy(self, busy: bool) -> None:
        self.setCurrentWidget(self.progress_page if busy else self.label)

    def show_status(self, text: str, kind: str = "info") -> None:
        self.label.setText(text)
        color = KIND_COLORS[kind][0] if kind != "info" else ""
        self.label.setStyleSheet(f"color: {color};" if color else "")


def data_status(
    data: Any, loaded: bool, prepared: bool, in_use: bool, ours: bool
) -> tuple[str, str]:
    """The status line's text and kind: is the shown set prepared, in use, or is other data?

    `data` is the document's data; `loaded`/`prepared`: a set is shown/prepared in the
    panel; `in_use`: the shown set is the one in use; `ours`: the panel set `data`.
    """
    if loaded and not prepared:
        return "The data cannot be prepared as set (see the message above).", "warning"
    if loaded and not in_use:
        return "Loaded, not in use yet: press “Use this data” to train on it.", "warning"
    if data is not None and ours:
        parts = [f"{len(data.x_train):,} training"]
        if data.x_val is not None:
            parts.append(f"{len(data.x_val):,} validation")
        if data.x_test is not None:
            parts.append(f"{len(data.x_test):,} test")
        return "✓ In use for training: " + " · ".join(parts) + " samples.", "ok"
    if data is not None:
        return f"In use: data set elsewhere ({len(data.x_train):,} samples).", "info"
    return "No data in use yet: generate or load a data set.", "info"
