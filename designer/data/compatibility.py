"""Does the prepared data fit the model? Advice with machine-readable fixes for the GUI.

`check_data(input_shape, output_shape, loss, x, y)` looks at the shapes the model
declares (Keras' `model.input_shape`/`output_shape`, with or without the batch `None`),
the loss name and the arrays, and explains each mismatch. A fix is a small dict:
    {"action": "reshape", "value": (28, 28, 1)}     reshape samples
    {"action": "one_hot"} / {"action": "integer"} / {"action": "plus_minus_one"}
                                                    label encoding
    {"action": "loss", "value": "sparse_categorical_crossentropy"}
    {"action": "units", "value": 10}                output units
    {"action": "input_shape", "value": (5,)}        the design's Input takes the samples' shape
    {"action": "scaling", "value": "divide_255"}    input scaling
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from designer.data.labels import LabelInfo, describe_labels

SEVERITIES = ("error", "warning", "info")
_CATEGORICAL = ("categorical_crossentropy", "categorical_hinge")
_BINARY = ("binary_crossentropy", "binary_focal_crossentropy")
_HINGE = ("hinge", "squared_hinge")


@dataclass(frozen=True)
class Advice:
    """One finding: `message` for people, `fixes` (alternatives, best first) for buttons."""

    message: str
    fixes: tuple[dict[str, Any], ...] = ()
    severity: str = "error"

    @property
    def fix(self) -> dict[str, Any] | None:
        """The preferred fix, or None when there is nothing to click."""
        return self.fixes[0] if self.fixes else None


def canonical_loss(loss: Any) -> str | None:
    """The built-in function name for a loss name, alias, class, instance or function.

    "crossentropy"/"ce" stay as they are (Keras picks by shapes); custom losses give None.
    """
    from designer.engine import losses

    if loss is None:
        return None
    if isinstance(loss, str):
        if loss.lower() in ("crossentropy", "ce"):
            return "crossentropy"
        obj = losses.ALL_OBJECTS_DICT.get(loss)
    elif isinstance(loss, losses.Loss):
        obj = getattr(loss, "fn", type(loss))
    else:
        obj = loss
    fn = getattr(obj, "fn", None) if isinstance(obj, type) else obj
    if fn in losses.BUILTIN_CLASSES:
        return fn.__name__
    if isinstance(loss, str) and loss in ("binary_focal_crossentropy",):
        return loss
    return None


def _per_sample(shape: Sequence[int | None] | None) -> tuple[int | None, ...] | None:
    if shape is None:
        return None
    shape = tuple(shape)
    if shape and shape[0] is None:
        shape = shape[1:]
    return shape


def _matches(actual: tuple[int, ...], expected: tuple[int | None, ...]) -> bool:
    return len(actual) == len(expected) and all(
        e is None or a == e for a, e in zip(actual, expected, strict=True)
    )


def _check_inputs(expected: tuple[int | None, ...], x: np.ndarray) -> list[Advice]:
    actual = tuple(int(d) for d in x.shape[1:])
    advice = []
    if not _matches(actual, expected):
        shown = tuple(expected)
        fixes: tuple[dict[str, Any], ...] = ()
        text = f"The model expects inputs of shape {shown}, but the samples have shape {actual}"
        input_fix = {"action": "input_shape", "value": actual}
        if None not in expected and math.prod(actual) == math.prod(expected):
            fixes = ({"action": "reshape", "value": tuple(int(d) for d in expected)}, input_fix)
            text += f". Both hold {math.prod(actual)} values, so the samples can be reshaped."
        else:
            fixes = (input_fix,) if actual else ()
            text += f" ({math.prod(actual)} values per sample)."
        advice.append(Advice(text, fixes))
    if x.size and x.dtype.kind in "biuf":
        high, low = float(np.max(x)), float(np.min(x))
        if high > 10.0 or low < -10.0:
            integral = x.dtype.kind in "biu" or bool(np.all(x == np.round(x)))
            byte_like = integral and low >= 0 and high <= 255
            scaling = "divide_255" if byte_like else "standardize"
            advice.append(
                Advice(
                    f"Inputs range from {low:g} to {high:g}; networks train faster on small "
                    f"values. Scaling ({scaling}) is recommended.",
                    ({"action": "scaling", "value": scaling},),
                    "info",
                )
            )
    return advice


def _units(output: tuple[int | None, ...]) -> int | None:
    return output[-1] if output else 1


def _width(y: np.ndarray) -> int:
    """Values per target: 1 for labels of shape (n,) or (n, 1)."""
    return int(y.shape[-1]) if y.ndim >= 2 else 1


def _too_many_classes(info: LabelInfo, units: int | None, loss: str) -> Advice | None:
    if units is None or info.num_classes is None or info.num_classes <= units:
        return None
    return Advice(
        f"Labels go up to {int(info.maximum)} ({info.num_classes} classes), but the output "
        f"layer has {units} unit(s), so {loss} can only score classes 0..{units - 1}.",
        ({"action": "units", "value": info.num_classes},),
    )


def _check_sparse(info: LabelInfo, units: int | None, loss: str) -> list[Advice]:
    if info.kind == "one_hot":
        return [
            Advice(
                f"{loss} expects integer class labels, but the targets are one-hot "
                f"(width {info.num_classes}).",
                ({"action": "integer"}, {"action": "loss", "value": "categorical_crossentropy"}),
            )
        ]
    if info.kind == "plus_minus_one":
        return [
            Advice(
                f"{loss} expects class labels 0..K-1, but the targets are -1/+1.",
                ({"action": "integer"}, {"action": "loss", "value": "hinge"}),
            )
        ]
    if info.kind == "continuous":
        return [_needs_classes(loss, info)]
    if units == 1 and info.num_classes is not None and info.num_classes <= 2:
        return [
            Advice(
                f"{loss} with a single output unit cannot tell two classes apart (softmax "
                "over one unit is always 1). Use binary_crossentropy with one sigmoid unit, "
                "or two output units.",
                (
                    {"action": "loss", "value": "binary_crossentropy"},
                    {"action": "units", "value": 2},
                ),
            )
        ]
    found = _too_many_classes(info, units, loss)
    return [found] if found else []


def _needs_classes(loss: str, info: LabelInfo) -> Advice:
    return Advice(
        f"{loss} needs class labels, but the targets are continuous values "
        f"(from {info.minimum:g} to {info.maximum:g}).",
        ({"action": "loss", "value": "mean_squared_error"},),
    )


def _check_categorical(
    info: LabelInfo, units: int | None, loss: str, y: np.ndarray
) -> list[Advice]:
    if info.kind in ("integer", "plus_minus_one") and _width(y) == 1:
        kind = "-1/+1 labels" if info.kind == "plus_minus_one" else "integer class labels"
        fixes: list[dict[str, Any]] = [{"action": "one_hot"}]
        if loss == "categorical_crossentropy" and info.kind == "integer":
            fixes.append({"action": "loss", "value": "sparse_categorical_crossentropy"})
        advice = [
            Advice(
                f"{loss} expects one-hot targets of width {units}, but the targets are {kind}.",
                tuple(fixes),
            )
        ]
        found = _too_many_classes(info, units, loss)
        return advice + ([found] if found else [])
    if info.kind == "continuous" and (y.min() < 0 or y.max() > 1):
        return [_needs_classes(loss, info)]
    if units is not None and _width(y) != units:
        return [
            Advice(
                f"The targets have {_width(y)} values per sample (one-hot width), but the "
                f"output layer has {units} units.",
                ({"action": "units", "value": _width(y)},),
            )
        ]
    return []


def _check_binary(info: LabelInfo, units: int | None, loss: str, y: np.ndarray) -> list[Advice]:
    if info.kind == "plus_minus_one":
        return [
            Advice(
                f"{loss} expects 0/1 targets, but the targets are -1/+1.",
                ({"action": "integer"}, {"action": "loss", "value": "hinge"}),
            )
        ]
    if info.kind == "integer" and info.num_classes is not None and info.num_classes > 2:
        fixes: list[dict[str, Any]] = [
            {"action": "loss", "value": "sparse_categorical_crossentropy"}
        ]
        if units != info.num_classes:
            fixes.append({"action": "units", "value": info.num_classes})
        return [
            Advice(
                f"{loss} is for two classes (0/1), but the labels go up to "
                f"{int(info.maximum)} ({info.num_classes} classes).",
                tuple(fixes),
            )
        ]
    if info.kind == "continuous" and (y.min() < 0 or y.max() > 1):
        return [
            Advice(
                f"{loss} expects targets between 0 and 1, but they range from "
                f"{info.minimum:g} to {info.maximum:g}.",
                ({"action": "loss", "value": "mean_squared_error"},),
            )
        ]
    return _check_width(y, units, info)


def _check_hinge(info: LabelInfo, units: int | None, loss: str, y: np.ndarray) -> list[Advice]:
    if info.kind == "integer" and info.num_classes is not None and info.num_classes > 2:
        return [
            Advice(
                f"{loss} is for two classes (-1/+1 or 0/1), but the labels go up to "
                f"{int(info.maximum)}.",
                ({"action": "loss", "value": "sparse_categorical_crossentropy"},),
            )
        ]
    if info.kind == "continuous":
        return [
            Advice(
                f"{loss} expects -1/+1 (or 0/1) targets, but they are continuous values.",
                ({"action": "loss", "value": "mean_squared_error"},),
                "warning",
            )
        ]
    return _check_width(y, units, info)


def _check_width(y: np.ndarray, units: int | None, info: LabelInfo) -> list[Advice]:
    width = _width(y)
    if units is None or width == units:
        return []
    if width == 1 and info.kind == "integer" and info.num_classes == units:
        return [
            Advice(
                f"Each target is one class label, but the output layer has {units} units; "
                "one-hot encode the labels to match.",
                ({"action": "one_hot"}, {"action": "units", "value": 1}),
            )
        ]
    return [
        Advice(
            f"The targets have {width} value(s) per sample, but the output layer has "
            f"{units} units.",
            ({"action": "units", "value": width},),
        )
    ]


def check_data(
    input_shape: Sequence[int | None] | None,
    output_shape: Sequence[int | None] | None,
    loss: Any,
    x: np.ndarray,
    y: np.ndarray | None,
) -> list[Advice]:
    """Every mismatch between data and model, most serious first (empty = good to go)."""
    x = np.asarray(x)
    advice: list[Advice] = []
    if y is not None and len(x) != len(y):
        advice.append(
            Advice(f"There are {len(x)} input samples but {len(y)} targets; they must pair up.")
        )
    expected = _per_sample(input_shape)
    if expected is not None:
        advice.extend(_check_inputs(expected, x))
    if y is not None and output_shape is not None:
        y = np.asarray(y)
        output = _per_sample(output_shape)
        units = _units(output)
        info = describe_labels(y)
        name = canonical_loss(loss)
        if name == "crossentropy":
            name = (
                "binary_crossentropy"
                if units == 1
                else "sparse_categorical_crossentropy"
                if _width(y) == 1
                else "categorical_crossentropy"
            )
        if name == "sparse_categorical_crossentropy":
            advice.extend(_check_sparse(info, units, name))
        elif name in _CATEGORICAL:
            advice.extend(_check_categorical(info, units, name, y))
        elif name in _BINARY:
            advice.extend(_check_binary(info, units, name, y))
        elif name in _HINGE:
            advice.extend(_check_hinge(info, units, name, y))
        else:
            advice.extend(_check_width(y, units, info))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(advice, key=lambda a: order[a.severity])
