"""Helpers shared by the weight inspector's tabs: messages, numbers, layers, data rows."""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from designer.spec.design import DesignError
from designer.spec.params import ParamError

log = logging.getLogger(__name__)

MESSAGE_COLORS = {"info": "#3b4a5a", "warn": "#8a5300", "error": "#b3261e", "ok": "#1e5b2a"}
MESSAGE_BACKGROUNDS = {"info": "#eef2f7", "warn": "#fff4e0", "error": "#fdecea", "ok": "#e8f4ea"}
# Errors people cause (bad text, wrong shape, a locked document): shown as they are.
USER_ERRORS = (ValueError, TypeError, DesignError, ParamError, KeyError, IndexError)
CLASS_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


class MessageLabel(QLabel):
    """A small inline banner: one line of guidance, a warning or an error; hidden when empty."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName("Message")
        self.setWordWrap(True)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind if text else ""
        self.setText(text)
        self.setStyleSheet(
            f"QLabel {{ color: {MESSAGE_COLORS.get(kind, '')};"
            f" background: {MESSAGE_BACKGROUNDS.get(kind, 'transparent')};"
            " border-radius: 3px; padding: 3px 6px; }"
        )
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


def guarded(method: Callable) -> Callable:
    """Slot wrapper: an exception becomes a message in the view, never a traceback in Qt."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except USER_ERRORS as error:
            self.show_message(str(error), "error")
        except Exception as error:  # the panel must never raise into Qt
            log.exception("weights panel: %s", method.__name__)
            self.show_message(f"Something went wrong: {error}", "error")
        return None

    return wrapper


# -- numbers -------------------------------------------------------------------------------
def fmt(value: float, decimals: int = 4) -> str:
    """A number rounded to `decimals`, without the confusing '-0.0000'."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def fmt_vector(values: Any, limit: int = 8) -> str:
    """'[0.3000, 0.1000]'; long vectors keep the first and last few values."""
    flat = np.asarray(values).reshape(-1)
    if flat.size <= limit:
        return "[" + ", ".join(fmt(v) for v in flat) + "]"
    head = ", ".join(fmt(v) for v in flat[: limit - 2])
    tail = ", ".join(fmt(v) for v in flat[-2:])
    return f"[{head}, …, {tail}] ({flat.size} values)"


def shape_text(shape: tuple) -> str:
    return " × ".join(str(d) for d in shape) if shape else "scalar"


def parse_numbers(text: str) -> np.ndarray:
    """Numbers separated by commas, semicolons, spaces or tabs (brackets allowed)."""
    cleaned = text.replace("[", " ").replace("]", " ")
    for separator in ",;\t\n":
        cleaned = cleaned.replace(separator, " ")
    values = []
    for position, token in enumerate(cleaned.split(), start=1):
        try:
            value = float(token)
        except ValueError:
            raise ValueError(
                f"Could not read “{token}” (value {position}) as a number: type numbers "
                "separated by commas, e.g. 0.3, 0.1."
            ) from None
        if not math.isfinite(value):
            raise ValueError(f"Value {position} is {token}: inputs must be finite numbers.")
        values.append(value)
    if not values:
        raise ValueError("Type the input as numbers separated by commas, e.g. 0.3, 0.1.")
    return np.asarray(values, dtype=np.float32)


# -- the model and its layers -------------------------------------------------------------
def node_label(document, node_id: str) -> str:
    node = document.design.node(node_id)
    info = document.build_result.nodes.get(node_id)
    name = node.name or (info.layer.name if info is not None and info.layer is not None else "")
    return f"{name or node_id} · {node.type}"


def weight_nodes(document) -> list[str]:
    """Node ids whose layer has weights, in the design's order (a shared layer once)."""
    result = document.build_result
    order = document.stack_order() or list(document.design.nodes)
    seen: set[int] = set()
    nodes = []
    for node_id in order:
        info = result.nodes.get(node_id)
        layer = None if info is None else info.layer
        if layer is None or id(layer) in seen or not layer.weights:
            continue
        if node_id not in document.weights:  # a shared layer's weights live under its owner
            continue
        seen.add(id(layer))
        nodes.append(node_id)
    return nodes


def current_model(document) -> tuple[Any, str]:
    """(model, '') when the design builds, else (None, why not)."""
    if not document.design.nodes:
        return None, "Add layers to the design to inspect a model."
    result = document.build_result
    if result.model is None or result.issues:
        problem = result.issues[0].text() if result.issues else "it has no output."
        return None, f"The design cannot be built: {problem}"
    return result.model, ""


def output_activation(model: Any) -> str | None:
    """The last layer's activation name (how one output unit becomes a class)."""
    try:
        from designer.engine import activations

        layer = model.graph.steps[-1][0]
        activation = getattr(layer, "activation", None)
        return None if activation is None else activations.serialize(activation)
    except Exception:
        return None


def input_shapes(model: Any) -> list[tuple]:
    return [tuple(t.shape[1:]) for t in model.inputs]


def check_fits(model: Any, x: Any) -> None:
    """ValueError in words when the data's samples do not fit the model's input(s)."""
    parts = list(x) if isinstance(x, list | tuple) else [x]
    shapes = input_shapes(model)
    if len(parts) != len(shapes):
        raise ValueError(
            f"The model has {len(shapes)} inputs but the data gives {len(parts)} arrays."
        )
    for part, shape in zip(parts, shapes, strict=True):
        if tuple(np.shape(part)[1:]) != shape:
            raise ValueError(
                f"The data's samples have shape {np.shape(part)[1:]} but the model's input "
                f"needs {shape}: reshape the data (Data panel) or change the Input."
            )


# -- data ----------------------------------------------------------------------------------
def data_split(data: Any, prefer: str = "validation") -> tuple[Any, Any, str]:
    """(x, y, name) of the validation rows (or the training rows when there are none)."""
    if data is None:
        return None, None, ""
    if prefer == "validation" and getattr(data, "x_val", None) is not None:
        return data.x_val, data.y_val, "validation"
    return data.x_train, data.y_train, "training"


def take_rows(x: Any, index: Any) -> Any:
    """Rows of x (or of each input of a multi-input list)."""
    if isinstance(x, list | tuple):
        return [np.asarray(part)[index] for part in x]
    return np.asarray(x)[index]


def row_count(x: Any) -> int:
    return len(x[0]) if isinstance(x, list | tuple) else len(x)


def is_classification(y: Any) -> bool:
    """Targets that name classes: integers, one-hot rows or ±1/0-1 labels."""
    y = np.asarray(y)
    if y.size == 0:
        return False
    if y.dtype.kind in "iub":
        return True
    if y.ndim > 1 and y.shape[-1] > 1:
        return bool(np.isin(y, (0.0, 1.0)).all())
    flat = y.reshape(-1)
    return bool(np.all(flat == np.rint(flat))) and len(np.unique(flat)) <= 50


def class_names(data: Any, y: Any, count: int) -> list[str]:
    names = list(getattr(data, "class_names", ()) or ())
    if len(names) >= count:
        return names[:count]
    y = np.asarray(y)
    single = y.ndim <= 2 and y.size and y.reshape(len(y), -1).shape[1] == 1
    if count == 2 and single and y.min() < 0:
        return ["−1", "+1"]
    return [str(i) for i in range(count)]


def is_image_sample(shape: tuple) -> bool:
    """(h, w) or (h, w, c) samples with c ≤ 4, at least 5 × 5: drawn as pictures."""
    return (
        len(shape) in (2, 3)
        and shape[0] >= 5
        and shape[1] >= 5
        and (len(shape) == 2 or shape[2] <= 4)
    )


# -- looks -----------------------------------------------------------------------------------
def diverging_colormap() -> pg.ColorMap:
    """Blue (negative) – white (0) – red (positive)."""
    return pg.colormap.get("CET-D1A")


def monospace_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    return font


def style_plot(plot: pg.PlotItem, widget: QWidget) -> None:
    """Axes in the window's text colour, no context menu: plots that look like the app."""
    palette = widget.palette()
    foreground = palette.color(QPalette.ColorRole.Text)
    plot.setMenuEnabled(False)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(pg.mkPen(QColor(foreground).lighter(160)))
        axis.setTextPen(pg.mkPen(foreground))


def background_color(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Base)
