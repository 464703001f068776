"""The Trace tab: one input followed through every layer, as the tutorial computes by hand.

For a Dense layer: the weighted sum x·W, the bias added, the sum z, and the activation
of z; for other layers their input and output. The numbers come from
`designer.insight.trace_input` (the engine's own layers); `designer.insight.trace_report`
writes them as HTML, rounded to 4 decimals.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from designer.insight.model import current_model, output_activation
from designer.insight.targets import class_names, is_classification
from designer.insight.trace import trace_input
from designer.insight.trace_report import trace_html
from designer.ui.insight.input_picker import InputPicker
from designer.ui.insight.style import MessageLabel, guarded

ACROSS_WIDTH = 640  # a trace view at least this wide lays units across


class TraceTab(QWidget):
    """Type an input or pick a data row; read the computation layer by layer."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("traceTab")
        self.setAccessibleName("Trace")
        self.document = document
        self.dirty = True
        self._shown: tuple | None = None  # what the browser shows, to lay out again
        self._across = True
        self.picker = InputPicker("trace")
        self.picker.changed.connect(self.refresh)
        self.message = MessageLabel("traceMessage")
        self.browser = QTextBrowser()
        self.browser.setObjectName("traceView")
        self.browser.setAccessibleName("Computation, layer by layer")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.picker)
        layout.addWidget(self.message)
        layout.addWidget(self.browser, 1)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def text(self) -> str:
        return self.browser.toPlainText()

    @Slot()
    @guarded
    def refresh(self) -> None:
        self.dirty = False
        self.message.clear_message()
        self.picker.follow(self.document.data)
        model, problem = current_model(self.document)
        if model is None:
            self._shown = None
            self.browser.clear()
            self.show_message(problem, "warn")
            return
        if not self.picker.has_input():
            self._shown = None
            self.browser.clear()
            self.show_message(
                "Type an input (numbers separated by commas, then Enter) or pick a data row "
                "to see each layer's weighted sum, bias and activation.",
                "info",
            )
            return
        x, target, _ = self.picker.sample(model)
        steps = trace_input(model, x)
        data = self.document.data
        y = None if data is None else data.y_train
        classify = y is None or is_classification(y, getattr(data, "class_names", ()))
        count = steps[-1].output.size if steps else 1
        names = class_names(data, y, max(count, 2)) if y is not None else None
        self._shown = (steps, x, output_activation(model), names, target, classify)
        self._render()

    def _render(self) -> None:
        if self._shown is None:
            self.browser.clear()
            return
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        scroll = self.browser.verticalScrollBar().value()
        self._across = self.browser.width() >= ACROSS_WIDTH
        self.browser.setHtml(
            trace_html(*self._shown[:2], muted, *self._shown[2:], across=self._across)
        )
        self.browser.verticalScrollBar().setValue(scroll)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if (self.browser.width() >= ACROSS_WIDTH) != self._across:
            self._render()
