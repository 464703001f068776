"""A small message bubble floating over the bottom of the canvas.

Shows why a wire cannot go where it hovers, or why the document refused an edit,
without a dialog: refusals fade after a few seconds, wire hints last while dragging.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

_INFO = "background:#fcfcfd; color:#1f2933; border:1px solid #c9ced6;"
_ERROR = "background:#fdecea; color:#a82a1f; border:1px solid #e3a29b;"


class FeedbackLabel(QLabel):
    """The bubble; `is_error` says whether it explains a refusal (drawn in red)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("graphFeedback")
        self.setAccessibleName("Graph view message")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.is_error = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_message)
        self.hide()

    def show_message(self, text: str, error: bool = False, timeout_ms: int = 0) -> None:
        """Show `text` (empty hides); with a timeout it goes away by itself."""
        self._timer.stop()
        if not text:
            self.clear_message()
            return
        self.is_error = error
        self.setStyleSheet(
            f"QLabel#graphFeedback {{ {_ERROR if error else _INFO}"
            " border-radius:6px; padding:5px 10px; }"
        )
        self.setText(text)
        self.place()
        self.show()
        self.raise_()
        if timeout_ms:
            self._timer.start(timeout_ms)

    def clear_message(self) -> None:
        self._timer.stop()
        self.is_error = False
        self.setText("")
        self.hide()

    def place(self) -> None:
        """Centre the bubble near the bottom of the parent's viewport area."""
        parent = self.parentWidget()
        area = parent.viewport().geometry() if hasattr(parent, "viewport") else parent.rect()
        width = min(
            area.width() - 24, max(160, self.fontMetrics().horizontalAdvance(self.text()) + 30)
        )
        self.setFixedWidth(max(80, width))
        self.adjustSize()
        x = area.left() + (area.width() - self.width()) // 2
        y = area.bottom() - self.height() - 12
        self.move(x, max(area.top() + 4, y))
