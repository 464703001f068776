"""The trace of one input as HTML: the tutorial's hand computation, layer by layer.

For a Dense layer a table of the weighted sum x·W, the bias, the sum z and the
activation of z, one column (or row) per unit; for other layers their input and
output, summarised when large; then the prediction. Numbers are rounded to 4 decimals.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from designer.insight.classification import predicted_classes, true_classes
from designer.insight.text import fmt, fmt_vector, shape_text
from designer.insight.trace import LayerStep

MAX_UNITS = 12  # units shown across per layer; the rest are summarised
MAX_DOWN = 32  # units shown down per layer in a tall dock


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
