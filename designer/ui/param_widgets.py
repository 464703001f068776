"""One editor per parameter, built from its `ParamSpec`, that never rewrites what was typed.

A spin box silently clamps "-1" to 1 and drops characters ("2.5" becomes 25); users
then train something they did not ask for. So numbers, shapes and names are line
edits: the text is checked with `ParamSpec.check` as it is typed; text that is not a
usable value turns the field red with the reason (tooltip, `error`,
`validity_changed`) and is never committed, not even when focus leaves, until the
user fixes it or presses Escape (which shows the committed value again). A valid value
is committed (`committed`) on Enter or focus-out, and only when it differs from the
value shown. Up/Down step whole-number fields within their limits.

bool is a check box and a kind with options a drop-down; they commit on each change.
`FieldGroup` answers a form's question "may I use these values?" with the reasons.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from designer.spec.params import ParamError, ParamSpec

INVALID_STYLE = "border: 1px solid #d0312d; border-radius: 3px; background: #fff4f4;"
TEXT_KINDS = ("int", "float", "optional_int", "int_tuple", "shape", "text")
FIELD_MIN_CHARS = 7  # a field is wide enough for "0.00001" or "1000000"


class SpecValidator(QValidator):
    """Acceptable when `ParamSpec.check` takes the text, else Intermediate (never Invalid).

    Intermediate keeps every typed character on screen and stops Qt from reporting a
    finished edit (`editingFinished`) for text that cannot be used.
    """

    def __init__(self, field: ParamField) -> None:
        super().__init__(field)
        self._field = field

    def validate(self, text: str, pos: int) -> object:
        state = QValidator.State
        ok = self._field.parse(text)[0]
        return state.Acceptable if ok else state.Intermediate, text, pos


class ParamLineEdit(QLineEdit):
    """A line edit that reports Escape and Up/Down instead of ignoring them."""

    escaped = Signal()
    stepped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_step = False
        self.has_pending_edit = lambda: False  # set by ParamField

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.has_pending_edit():
            self.escaped.emit()
            event.accept()
            return
        if self.can_step and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.stepped.emit(1 if key == Qt.Key.Key_Up else -1)
            event.accept()
            return
        super().keyPressEvent(event)


class ParamField(QObject):
    """The editor of one parameter: put `widget` in a form, listen to `committed`.

    `value()` is the value shown and last committed (always valid); `error` is why the
    typed text cannot be used ("" when it can).
    """

    committed = Signal(object)
    validity_changed = Signal(str)  # "" when valid, else the message

    def __init__(
        self,
        spec: ParamSpec,
        parent: QObject | None = None,
        *,
        object_name: str = "",
        choice_labels: dict[Any, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.error = ""
        self._value: Any = spec.default
        self._previous: Any = spec.default  # restored when the host refuses a commit
        self._choice_labels = choice_labels or {}
        self.widget = self._make_widget()
        self.widget.setObjectName(object_name or f"param_{spec.name}")
        self.widget.setAccessibleName(spec.label)
        self.widget.setToolTip(spec.help)
        self.show_value(spec.default, keep_edit=False)

    def _make_widget(self) -> QWidget:
        spec = self.spec
        if spec.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._on_toggled)
            return box
        if spec.kind not in TEXT_KINDS and spec.options():
            combo = QComboBox()
            for option in spec.options():
                text = self._choice_labels.get(option, "none" if option is None else str(option))
                combo.addItem(text, option)
            combo.currentIndexChanged.connect(self._on_combo)  # shown is committed
            return combo
        line = ParamLineEdit()
        line.setValidator(SpecValidator(self))
        line.setPlaceholderText(_placeholder(spec))
        line.setMinimumWidth(line.fontMetrics().horizontalAdvance("0" * FIELD_MIN_CHARS) + 16)
        line.can_step = spec.kind in ("int", "optional_int")
        line.has_pending_edit = self.has_pending_edit
        line.textEdited.connect(self._on_text_edited)
        line.editingFinished.connect(self._on_text_finished)
        line.escaped.connect(self.revert)
        line.stepped.connect(self.step)
        return line

    # -- reading --------------------------------------------------------------------------
    def value(self) -> Any:
        """The value shown and last committed (valid, whatever the field's text is now)."""
        return self._value

    def is_valid(self) -> bool:
        return not self.error

    def text(self) -> str:
        """What the field shows ("" for check boxes and drop-downs)."""
        return self.widget.text() if isinstance(self.widget, QLineEdit) else ""

    def text_of(self, value: Any) -> str:
        """How a value is shown: exact, so reading the text back gives the same value.

        (`ParamSpec.format` keeps six digits, fine for labels; a field that showed
        0.123457 for 0.1234567 would commit the rounded number on Enter.)
        """
        if isinstance(value, float) and math.isfinite(value):
            text = repr(value)
            return text[:-2] if text.endswith(".0") else text
        return self.spec.format(value)

    def parse(self, text: str) -> tuple[bool, Any, str]:
        """(ok, value, message) for typed text, as `ParamSpec.check` sees it."""
        try:
            return True, self.spec.check(text), ""
        except ParamError as error:
            return False, None, str(error)

    def has_pending_edit(self) -> bool:
        """The line edit shows something other than the committed value."""
        if not isinstance(self.widget, QLineEdit):
            return False
        ok, value, _ = self.parse(self.widget.text())
        return not ok or not _same(value, self._value)

    # -- showing --------------------------------------------------------------------------
    def show_value(self, value: Any, keep_edit: bool = True) -> None:
        """Display `value` without emitting `committed`.

        With `keep_edit`, text that is still being fixed stays when `value` is the one
        already shown, so an unrelated refresh of the form does not erase it.
        """
        changed = not _same(value, self._value)
        self._value = self._previous = value
        widget = self.widget
        if isinstance(widget, QLineEdit):
            if keep_edit and not changed and self.has_pending_edit():
                return  # the user is typing or fixing this field; keep what they typed
            ok, typed, _ = self.parse(widget.text())
            if not (ok and _same(typed, value)):  # "1e-3" may stay "1e-3"
                widget.setText(self.text_of(value))
            self._set_error("")
            return
        widget.blockSignals(True)
        try:
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
        finally:
            widget.blockSignals(False)
        self._set_error("")

    def set_limits(self, minimum: float | None, maximum: float | None) -> None:
        """New limits (a data row picker's row count); the typed text is checked again."""
        self.spec = replace(self.spec, minimum=minimum, maximum=maximum)
        if isinstance(self.widget, QLineEdit):
            self._on_text_edited(self.widget.text())

    def revert(self) -> None:
        """Escape: show the committed value again and drop the typed text."""
        if isinstance(self.widget, QLineEdit):
            self.widget.setText(self.text_of(self._value))
        self._set_error("")

    def refuse(self, message: str) -> None:
        """The host could not use the committed value: keep the text, show why, go back."""
        self._value = self._previous
        self._set_error(message)

    def finish_edit(self) -> None:
        """Commit usable typed text now, as Enter would (a host about to read values)."""
        if isinstance(self.widget, QLineEdit):
            self._on_text_finished()

    def step(self, delta: int) -> None:
        """Up/Down on a whole-number field: one more or less, within limits, committed."""
        ok, value, _ = self.parse(self.text())
        base = value if ok and value is not None else self._value
        if base is None:
            base = self.spec.minimum if self.spec.minimum is not None else 0
        new = int(base) + delta
        if self.spec.minimum is not None:
            new = max(new, math.ceil(self.spec.minimum))
        if self.spec.maximum is not None:
            new = min(new, math.floor(self.spec.maximum))
        self.widget.setText(self.text_of(new))
        self._on_text_finished()

    # -- editing --------------------------------------------------------------------------
    def _on_toggled(self, checked: bool) -> None:
        self._commit(checked)

    def _on_combo(self, index: int) -> None:
        value = self.widget.itemData(index)
        if index >= 0 and not _same(value, self._value):
            self._commit(value)

    def _on_text_edited(self, text: str) -> None:
        self._set_error(self.parse(text)[2])

    def _on_text_finished(self) -> None:
        ok, value, message = self.parse(self.widget.text())
        self._set_error(message)
        if ok and not _same(value, self._value):
            self._commit(value)

    def _commit(self, value: Any) -> None:
        self._previous, self._value = self._value, value
        self.committed.emit(value)

    def _set_error(self, message: str) -> None:
        if message == self.error:
            return
        self.error = message
        self.widget.setStyleSheet(INVALID_STYLE if message else "")
        self.widget.setToolTip(message or self.spec.help)
        self.validity_changed.emit(message)


class FieldGroup(QObject):
    """The fields of one form: are they all usable, and if not, why not?

    A field disabled within `host` (a callback's settings while it is off) does not
    count: its value is not used.
    """

    validity_changed = Signal(str)  # the first problem, "" when every field is valid

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.host = host
        self.fields: list[ParamField] = []
        self._shown = ""

    def add(self, field: ParamField) -> ParamField:
        self.fields.append(field)
        field.validity_changed.connect(self.refresh)
        return field

    def clear(self) -> None:
        for field in self.fields:
            field.validity_changed.disconnect(self.refresh)
        self.fields = []
        self.refresh()

    def problems(self) -> list[str]:
        """Why the form's values cannot be used, one message per invalid field."""
        return [f.error for f in self.fields if f.error and f.widget.isEnabledTo(self.host)]

    def is_valid(self) -> bool:
        return not self.problems()

    def refresh(self, _message: str = "") -> None:
        """Announce the first problem again (after fields were enabled or disabled)."""
        problems = self.problems()
        first = problems[0] if problems else ""
        if first != self._shown:
            self._shown = first
            self.validity_changed.emit(first)


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same sort (True is not 1; 1.0 is 1; a list is its tuple)."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, list):
        a = tuple(a)
    if isinstance(b, list):
        b = tuple(b)
    return a == b


def _placeholder(spec: ParamSpec) -> str:
    if spec.kind == "shape":
        return "e.g. 28, 28, 1"
    if spec.kind == "int_tuple":
        return "default" if spec.default is None else "e.g. " + spec.format(spec.default)
    if spec.kind == "optional_int":
        return "none"
    if spec.kind == "float":
        return spec.format(spec.default)
    return ""
