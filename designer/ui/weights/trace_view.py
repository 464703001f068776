"""The Trace tab: one input followed through every layer, as the tutorial computes by hand.

For a Dense layer: the weighted sum x·W, the bias added, the sum z, and the activation
of z; for other layers their input and output. The numbers come from
`designer.insight.trace_input` (the engine's own layers) rounded to 4 decimals.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from designer.insight import LayerStep, trace_input
from designer.insight.classification import predicted_classes, true_classes
from designer.ui.weights.common import (
    MessageLabel,
    class_names,
    current_model,
    fmt,
    fmt_vector,
    guarded,
    is_classification,
    output_activation,
    shape_text,
)
from designer.ui.weights.input_picker import InputPicker

MAX_UNITS = 12  # units shown across per layer; the rest are summarised
MAX_DOWN = 32  # units shown down per layer in a tall dock
ACROSS_WIDTH = 640  # a trace view at least this wide lays units across


def _cells(values: np.ndarray, count: int, bold: bool = False) -> str:
    flat = np.asarray(values).reshape(-1)
    tag = ("<b>", "</b>") if bold else ("", "")
    cells = "".join(f"<td class='n'>{tag[0]}{fmt(v)}{tag[1]}</td>" for v in flat[:count])
    if flat.size > count:
        cells += f"<td class='k'>… {flat.size - count} more</td>"
    return cells


def _dense_rows(step: LayerStep) -> list[tuple[str, np.ndarray, bool]]:
    activation = step.activation or "linear"
    rows = [("weighted sum  x·W", step.weighted_sum, False)]
    if step.bias is not None:
        rows.append(("+ bias  b", step.bias, False))
    rows.append(("= z", step.pre_activation, False))
    rows.append((f"{activation}(z)  → output", step.output, True))
    return rows


def _dense_table(step: LayerStep, across: bool = True) -> str:
    """Units across (a wide dock) or down (a tall one, as the tutorial's column vectors)."""
    rows = _dense_rows(step)
    units = step.output.size
    table = "<table cellspacing='0' cellpadding='2'>"
    if across:
        count = units if units <= MAX_UNITS else MAX_UNITS - 2
        head = "".join(f"<th>unit {i}</th>" for i in range(min(units, count)))
        body = "".join(
            f"<tr><td class='k'>{html.escape(label)}</td>{_cells(values, count, bold)}</tr>"
            for label, values, bold in rows
        )
        return f"{table}<tr><th></th>{head}</tr>{body}</table>"
    count = units if units <= MAX_DOWN else MAX_DOWN - 2
    short = {"weighted sum  x·W": "x·W", "+ bias  b": "+ b"}
    head = "".join(f"<th>{html.escape(short.get(label, label))}</th>" for label, _, _ in rows)
    columns = [np.asarray(values).reshape(-1) for _, values, _ in rows]
    body = ""
    for unit in range(min(units, count)):
        cells = "".join(
            f"<td class='n'>{'<b>' if bold else ''}{fmt(column[unit])}{'</b>' if bold else ''}</td>"
            for column, (_, _, bold) in zip(columns, rows, strict=True)
        )
        body += f"<tr><td class='k'>unit {unit}</td>{cells}</tr>"
    if units > count:
        body += f"<tr><td class='k' colspan='5'>… {units - count} more units</td></tr>"
    return f"{table}<tr><th></th>{head}</tr>{body}</table>"


def _summary(values: np.ndarray) -> str:
    values = np.asarray(values)
    if values.ndim <= 1 and values.size <= MAX_UNITS:
        return fmt_vector(values, MAX_UNITS)
    return (
        f"{shape_text(values.shape)} values · min {fmt(values.min())} · "
        f"max {fmt(values.max())} · mean {fmt(values.mean())}"
    )


def _other_table(step: LayerStep) -> str:
    rows = [
        (f"input {i + 1}" if len(step.inputs) > 1 else "input", value)
        for i, value in enumerate(step.inputs)
    ]
    rows.append(("→ output", step.output))
    body = "".join(
        f"<tr><td class='k'>{html.escape(label)}</td>"
        f"<td class='v'>{html.escape(_summary(values))}</td></tr>"
        for label, values in rows
    )
    return f"<table cellspacing='0' cellpadding='2'>{body}</table>"


def prediction_text(output: np.ndarray, activation: str | None, names: list[str] | None) -> str:
    """'0.9302 → class +1 (output > 0)' or '→ class 3 (0.8712)'."""
    flat = np.asarray(output).reshape(-1)
    if flat.size == 1:
        cls = int(predicted_classes(flat[None, :], activation)[0])
        threshold = "0" if activation in ("tanh", "linear", None) else "0.5"
        label = names[cls] if names else ("+1" if cls else "−1") if threshold == "0" else str(cls)
        sign = ">" if cls else "≤"
        return f"{fmt(flat[0])} → class {label} (output {sign} {threshold})"
    cls = int(flat.argmax())
    label = names[cls] if names and cls < len(names) else str(cls)
    return f"{fmt_vector(flat, MAX_UNITS)} → class {label} (largest: {fmt(flat[cls])})"


def trace_html(
    steps: list[LayerStep],
    x: Any,
    muted: str,
    activation: str | None,
    names: list[str] | None,
    target: Any = None,
    classify: bool = True,
    across: bool = True,
) -> str:
    """The whole trace as HTML for a QTextBrowser."""
    parts = [
        f"<style>th {{ font-weight: normal; color: {muted}; text-align: right;"
        " padding: 0 8px; white-space: nowrap; }"
        f" td.k {{ color: {muted}; padding-right: 12px; white-space: pre; }}"
        " td.n { font-family: monospace; text-align: right; padding: 0 8px; white-space: nowrap; }"
        " td.v, span.m { font-family: monospace; }"
        " h4 { margin-top: 8px; margin-bottom: 2px; }</style>"
    ]
    inputs = x if isinstance(x, list) else [x]
    shown = "; ".join(_summary(part) for part in inputs)
    parts.append(f"<p><b>Input</b>&nbsp; x = <span class='m'>{html.escape(shown)}</span></p>")
    for number, step in enumerate(steps, start=1):
        title = f"{number}. {step.layer_name} · {step.layer_type}"
        if step.activation:
            title += f", {step.activation}"
        parts.append(f"<h4>{html.escape(title)}</h4>")
        parts.append(
            _dense_table(step, across) if step.weighted_sum is not None else _other_table(step)
        )
    if steps:
        output = steps[-1].output
        text = prediction_text(output, activation, names) if classify else _summary(output)
        if target is not None:
            target = np.asarray(target)
            text += f" · target {html.escape(_summary(target))}"
            if classify:
                true = int(true_classes(target.reshape(1, -1))[0])
                cls = int(predicted_classes(np.asarray(output).reshape(1, -1), activation)[0])
                text += " ✓" if cls == true else " ✗"
        parts.append(f"<h4>Prediction: <span class='m'>{text}</span></h4>")
    return "".join(parts)


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
        y = None if self.document.data is None else self.document.data.y_train
        classify = y is None or is_classification(y)
        count = steps[-1].output.size if steps else 1
        names = class_names(self.document.data, y, max(count, 2)) if y is not None else None
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
