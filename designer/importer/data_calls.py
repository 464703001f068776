"""Data preparation the importer can follow: the shapes of known data sets and of
random arrays of literal size, so `input_dim=x_train.shape[1]` or
`num_classes = y_test.shape[1]` can still be read. Nothing is loaded or computed.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from designer.importer.evaluator import data_shape, reshape, text_of
from designer.importer.names import DATASET_TITLES, KNOWN_DATASETS
from designer.importer.values import DataArray, DataDict, Unknown, strip_assumed

_SAME_SHAPE = {"astype", "copy", "clip", "round"}


def _later(node: ast.Call) -> Unknown:
    return Unknown(f"{text_of(node)} is only known when the program runs", generic=True)


def _dims(value: Any) -> tuple[int, ...] | None:
    value = strip_assumed(value)[0]
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (tuple, list)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return tuple(value)
    return None


def _dataset(name: str, line: int, source: str) -> tuple:
    x_train, y_train, x_test, y_test, classes = KNOWN_DATASETS[name]
    note = f"the standard {DATASET_TITLES[name]} shapes ({source}, line {line})"
    return (
        (DataArray(x_train, note), DataArray(y_train, note, classes)),
        (DataArray(x_test, note), DataArray(y_test, note, classes)),
    )


def data_call(kind: str, name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
    line = node.lineno
    if kind == "dataset_load":
        if name in KNOWN_DATASETS:
            return _dataset(name, line, f"{name}.load_data()")
        where = f"the {name} data loaded on line {line}"
        return Unknown(f"it comes from {where}", source=where)
    if kind == "numpy_load":
        path = args[0] if args else kwargs.get("file")
        if isinstance(path, str):
            lowered = path.lower().replace("\\", "/").rsplit("/", 1)[-1]
            if "mnist" in lowered and lowered.endswith(".npz"):
                name = "fashion_mnist" if "fashion" in lowered else "mnist"
                (xtr, ytr), (xte, yte) = _dataset(name, line, f"loaded from {path!r}")
                return DataDict({"x_train": xtr, "y_train": ytr, "x_test": xte, "y_test": yte})
            where = f"the data loaded from {path!r} on line {line}"
        else:
            where = f"the data loaded on line {line}"
        return Unknown(f"it comes from {where}", source=where)
    if kind == "numpy_array":
        return _random_array(name, args, kwargs, node)
    if kind == "to_categorical":
        labels = args[0] if args else kwargs.get("y")
        count = strip_assumed(args[1] if len(args) > 1 else kwargs.get("num_classes"))[0]
        if isinstance(labels, DataArray) and labels.shape:
            classes = count if isinstance(count, int) else labels.classes
            if classes is not None:
                return DataArray((labels.shape[0], classes), labels.note)
        if isinstance(labels, Unknown):
            return labels
    return _later(node)


def _random_array(name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
    if name in ("rand", "randn"):
        shape = _dims(list(args)) if args else ()
    elif name in ("randint", "uniform", "normal"):
        shape = (
            _dims(kwargs["size"])
            if "size" in kwargs
            else (_dims(args[2]) if len(args) > 2 else None)
        )
    else:  # random, random_sample, zeros, ones, empty, full
        first = args[0] if args else kwargs.get("shape", kwargs.get("size"))
        shape = _dims(first) if first is not None else None
    if shape is None:
        return _later(node)
    return DataArray(shape)


def array_method(array: DataArray, method: str, args: list) -> Any:
    if method == "reshape":
        return reshape(array, list(args))
    if method in _SAME_SHAPE:
        return array
    if method in ("flatten", "ravel") and None not in array.shape:
        return DataArray((math.prod(array.shape),), array.note)
    return Unknown(f"the result of .{method}() is only known when the program runs", generic=True)


def builtin(name: str, args: list, node: ast.Call) -> Any:
    """int(), len(), max()... on plain values; anything else is only known at run time."""
    plain = [strip_assumed(a)[0] for a in args]
    notes = [strip_assumed(a)[1] for a in args]
    note = next((n for n in notes if n), None)
    if name == "print":
        return None
    if name == "len" and len(args) == 1:
        if isinstance(args[0], DataArray) and args[0].shape and args[0].shape[0] is not None:
            return data_shape(args[0])[0]
        plain_value = plain[0]
        if isinstance(plain_value, (tuple, list, str, dict)):
            return len(plain_value)
    try:
        simple = all(isinstance(p, (int, float, str)) for p in plain)
        if name in ("int", "float", "str", "abs", "round") and plain and simple:
            function = {"int": int, "float": float, "str": str, "abs": abs, "round": round}[name]
            return _with_note(function(*plain), note)
        if name in ("tuple", "list") and len(plain) == 1 and isinstance(plain[0], (tuple, list)):
            return tuple(args[0]) if name == "tuple" else list(args[0])
        if name in ("max", "min", "sum") and plain:
            items = plain[0] if len(plain) == 1 and isinstance(plain[0], (tuple, list)) else plain
            if all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in items):
                result = {"max": max, "min": min, "sum": sum}[name](items)
                return _with_note(result, note)
    except (TypeError, ValueError, OverflowError):
        pass
    return _later(node)


def _with_note(value: Any, note: str | None) -> Any:
    from designer.importer.values import Assumed

    if note and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Assumed(value, note)
    return value
