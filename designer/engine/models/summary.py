"""`model.summary()`: Keras 3's table, and the same rows as data for the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SummaryRow:
    name: str
    kind: str
    output_shape: str
    params: int
    connected_to: str
    trainable: bool


def format_shape(shape: Any) -> str:
    if isinstance(shape, list):
        return ", ".join(format_shape(s) for s in shape)
    return (
        "("
        + ", ".join("None" if d is None else str(d) for d in shape)
        + (",)" if len(shape) == 1 else ")")
    )


def readable_size(n_bytes: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n_bytes < 1024 or unit == "GB":
            return f"{n_bytes:.2f} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.2f} GB"


def summary_rows(model: Any) -> list[SummaryRow]:
    """One row per layer: name, type, output shape, parameter count, inbound layers."""
    graph = model.graph
    rows = []
    layers = model.layers
    if graph is not None and type(model).__name__ != "Sequential":
        layers = graph.layers
    for layer in layers:
        nodes = [n for n in layer._inbound_nodes if graph is not None and n in graph.nodes]
        shape = format_shape(layer.output_shape) if nodes else "?"
        connected = []
        for node in nodes:
            for tensor in node.input_tensors:
                parent, node_index, tensor_index = tensor._keras_history
                connected.append(f"{parent.name}[{node_index}][{tensor_index}]")
        params = layer.count_params() if layer.built else 0
        rows.append(
            SummaryRow(
                name=layer.name,
                kind=type(layer).__name__,
                output_shape=shape,
                params=params,
                connected_to=", ".join(connected) or "-",
                trainable=layer.trainable,
            )
        )
    return rows


def _table(
    headers: list[str], rows: list[list[str]], widths: list[int], right: set[int]
) -> list[str]:
    def cells(values: list[str], bar: str) -> str:
        parts = []
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            text = value if len(value) <= width - 2 else value[: width - 3] + "…"
            parts.append(
                " " + (text.rjust(width - 2) if i in right else text.ljust(width - 2)) + " "
            )
        return bar + bar.join(parts) + bar

    lines = ["┏" + "┳".join("━" * w for w in widths) + "┓", cells(headers, "┃")]
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for i, row in enumerate(rows):
        if i:
            lines.append("├" + "┼".join("─" * w for w in widths) + "┤")
        lines.append(cells(row, "│"))
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return lines


def summary_text(model: Any, line_length: int | None = None, show_trainable: bool = False) -> str:
    rows = summary_rows(model)
    sequential_like = type(model).__name__ == "Sequential"
    if sequential_like:
        headers = ["Layer (type)", "Output Shape", "Param #"]
        fractions = [0.45, 0.84, 1.0]
        line_length = line_length or 88
        data = [[f"{r.name} ({r.kind})", r.output_shape, f"{r.params:,}"] for r in rows]
    else:
        headers = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        fractions = [0.3, 0.6, 0.7, 1.0]
        line_length = line_length or 108
        data = [
            [f"{r.name} ({r.kind})", r.output_shape, f"{r.params:,}", r.connected_to] for r in rows
        ]
    if show_trainable:
        headers.append("Traina…")
        data = [[*d, "Y" if r.trainable else "N"] for d, r in zip(data, rows, strict=True)]
        fractions = [f * 0.92 for f in fractions] + [1.0]
    bounds = [int(line_length * f) for f in fractions]
    widths = [b - a - 1 for a, b in zip([0, *bounds[:-1]], bounds, strict=True)]
    lines = [f'Model: "{model.name}"', *_table(headers, data, widths, right={2})]
    trainable = sum(v.size for v in model.trainable_weights)
    total = sum(v.size for v in model.weights)
    lines += [
        f" Total params: {total:,} ({readable_size(total * 4)})",
        f" Trainable params: {trainable:,} ({readable_size(trainable * 4)})",
        f" Non-trainable params: {total - trainable:,} ({readable_size((total - trainable) * 4)})",
    ]
    return "\n".join(lines)
