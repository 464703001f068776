"""One editor widget per parameter kind, all with the same small interface.

`ParamField` wraps the right Qt widget for a `ParamSpec`, shows the current value
without emitting, checks what the user types as they type (red frame and a message
naming what is expected), and emits `committed(value)` only for a valid, finished
edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from designer.spec.params import ParamError, ParamSpec

INVALID_STYLE = "border: 1px solid #d0312d; border-radius: 3px; background: #fff4f4;"


class ParamField(QObject):
    """The editor of one parameter: `widget` goes in a form, `committed` reports edits."""

    committed = Signal(object)
    validity_changed = Signal(str)  # "" when valid, else the message

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget = self._make_widget(parent)
        self.widget.setObjectName(f"param_{spec.name}")
        self.widget.setAccessibleName(spec.label)
        self.widget.setToolTip(spec.help)
        self.error = ""

    def _make_widget(self, parent: QWidget | None) -> QWidget:
        spec = self.spec
        if spec.kind == "bool":
            box = QCheckBox(parent)
            box.toggled.connect(self._on_toggled)
            return box
        if spec.kind == "int" and spec.minimum is not None and spec.maximum is not None:
            spin = QSpinBox(parent)
            spin.setRange(int(spec.minimum), int(spec.maximum))
            spin.setKeyboardTracking(False)  # commit on Enter/focus-out/arrows, not per key
            spin.valueChanged.connect(self._on_spin)
            return spin
        if spec.options():
            combo = QComboBox(parent)
            for option in spec.options():
                combo.addItem("none" if option is None else str(option), option)
            combo.activated.connect(self._on_combo)
            return combo
        line = QLineEdit(parent)
        line.setPlaceholderText(_placeholder(spec))
        line.textEdited.connect(self._on_text_edited)
        line.editingFinished.connect(self._on_text_finished)
        return line

    # -- showing ------------------------------------------------------------------------
    def show_value(self, value: Any) -> None:
        """Display `value` without emitting `committed`."""
        widget = self.widget
        widget.blockSignals(True)
        try:
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value)
                widget.setCurrentIndex(max(index, 0))
            else:
                widget.setText(self.spec.format(value))
        finally:
            widget.blockSignals(False)
        self._set_error("")

    # -- editing ------------------------------------------------------------------------
    def _on_toggled(self, checked: bool) -> None:
        self.committed.emit(checked)

    def _on_spin(self, value: int) -> None:
        self.committed.emit(value)

    def _on_combo(self, index: int) -> None:
        self.committed.emit(self.widget.itemData(index))

    def _check(self, text: str) -> tuple[bool, Any]:
        try:
            return True, self.spec.check(text)
        except ParamError as error:
            self._set_error(str(error))
            return False, None

    def _on_text_edited(self, text: str) -> None:
        ok, _ = self._check(text)
        if ok:
            self._set_error("")

    def _on_text_finished(self) -> None:
        ok, value = self._check(self.widget.text())
        if ok:
            self._set_error("")
            self.committed.emit(value)

    def _set_error(self, message: str) -> None:
        if message == self.error:
            return
        self.error = message
        self.widget.setStyleSheet(INVALID_STYLE if message else "")
        self.widget.setToolTip(message or self.spec.help)
        self.validity_changed.emit(message)


def _placeholder(spec: ParamSpec) -> str:
    if spec.kind == "shape":
        return "e.g. 28, 28, 1"
    if spec.kind == "int_tuple":
        return "default" if spec.default is None else "e.g. " + spec.format(spec.default)
    if spec.kind == "float":
        return spec.format(spec.default)
    return ""
