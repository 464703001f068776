"""The data-versus-design checks: one tinted row per finding, with a button per fix.

Rows are styled by severity (error, warning, info). Clicking a fix emits
`fix_requested(fix)` with the fix dict from `designer.data.compatibility`; the panel
applies it (preparation, compile settings or the output layer).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from designer.data.compatibility import Advice
from designer.ui.data.widgets import KIND_COLORS, KIND_GLYPHS, tinted_frame_style

SCALING_TEXT = {
    "divide_255": "Scale inputs ÷ 255",
    "standardize": "Standardise inputs",
    "min_max": "Scale inputs to [0, 1]",
}


def fix_text(fix: dict[str, Any]) -> str:
    """The button text for a fix."""
    action, value = fix.get("action"), fix.get("value")
    if action == "one_hot":
        return "One-hot encode labels"
    if action == "integer":
        return "Use class indices"
    if action == "plus_minus_one":
        return "Use −1/+1 labels"
    if action == "reshape":
        return "Reshape samples to " + " × ".join(str(d) for d in value)
    if action == "loss":
        return f"Use loss {value}"
    if action == "units":
        return f"Set output units to {value}"
    if action == "input_shape":
        return "Set the Input's shape to " + ", ".join(str(d) for d in value)
    if action == "scaling":
        return SCALING_TEXT.get(value, f"Scale inputs ({value})")
    return str(action)


def fix_tip(fix: dict[str, Any]) -> str:
    action = fix.get("action")
    if action == "loss":
        return "Changes the compile settings (Undo brings the old loss back)."
    if action == "units":
        return "Changes the output layer of the design (Undo brings it back)."
    if action == "input_shape":
        return "Changes the design's Input to take the samples as they are (Undo brings it back)."
    return "Changes the data preparation and prepares the data again."


class AdviceRow(QFrame):
    """One finding: glyph, message, fix buttons."""

    def __init__(self, advice: Advice, index: int, view: AdviceView) -> None:
        super().__init__()
        name = f"advice_{index}"
        self.setObjectName(name)
        self.setAccessibleName(f"{advice.severity}: {advice.message}")
        self.severity = advice.severity
        self.setStyleSheet(tinted_frame_style(advice.severity, name))
        glyph = QLabel(KIND_GLYPHS[advice.severity])
        glyph.setStyleSheet(f"color: {KIND_COLORS[advice.severity][0]}; font-weight: bold;")
        self.message = QLabel(advice.message)
        self.message.setObjectName(f"{name}_message")
        self.message.setAccessibleName("Finding")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.message)
        self.buttons: list[QPushButton] = []
        if advice.fixes:
            row = QHBoxLayout()
            row.setSpacing(6)
            for number, fix in enumerate(advice.fixes):
                button = QPushButton(fix_text(fix))
                button.setObjectName(f"{name}_fix_{number}")
                button.setAccessibleName(fix_text(fix))
                button.setToolTip(fix_tip(fix))
                button.setAutoDefault(False)
                problem = view.fix_problem(fix)
                if problem:
                    button.setEnabled(False)
                    button.setToolTip(problem)
                button.clicked.connect(lambda _=False, f=fix: view.fix_requested.emit(f))
                row.addWidget(button)
                self.buttons.append(button)
            row.addStretch(1)
            text.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(8)
        layout.addWidget(glyph, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)


class AdviceView(QScrollArea):
    """All findings, most serious first; or one line saying the data fits."""

    fix_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adviceView")
        self.setAccessibleName("Checks against the design")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.rows: list[AdviceRow] = []
        self.fix_problem = lambda fix: ""  # the panel says which fixes cannot apply now
        self.summary = QLabel()
        self.summary.setObjectName("adviceSummary")
        self.summary.setAccessibleName("Check result")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setContentsMargins(8, 6, 8, 6)
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.summary)
        self._layout.addStretch(1)
        self.setWidget(body)

    def show_advice(self, advice: list[Advice], ok_text: str) -> None:
        """One row per finding; `ok_text` when there are none."""
        for row in self.rows:
            self._layout.removeWidget(row)
            row.hide()  # gone now; deleted later (its button may be emitting right now)
            row.deleteLater()
        self.rows = []
        for index, item in enumerate(advice):
            row = AdviceRow(item, index, self)
            self._layout.insertWidget(self._layout.count() - 1, row)
            self.rows.append(row)
        self._set_summary(ok_text if not advice else "", "ok")

    def show_note(self, text: str) -> None:
        """Nothing to check against (no design, design does not build, no data)."""
        self.show_advice([], "")
        self._set_summary(text, "info")

    def _set_summary(self, text: str, kind: str) -> None:
        glyph = f"<b style='color:{KIND_COLORS[kind][0]}'>{KIND_GLYPHS[kind]}</b>&nbsp; "
        self.summary.setText(glyph + html.escape(text) if text else "")
        self.summary.setVisible(bool(text))
        style = tinted_frame_style(kind, "adviceSummary")
        self.summary.setStyleSheet(style.replace("QFrame", "QLabel"))

    def messages(self) -> list[str]:
        return [row.message.text() for row in self.rows]

    def counts(self) -> dict[str, int]:
        found = {"error": 0, "warning": 0, "info": 0}
        for row in self.rows:
            found[row.severity] += 1
        return found
