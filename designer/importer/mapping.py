"""A layer call in the code -> a catalog layer type and checked parameters.

Positional arguments follow the engine class's signature (the Keras 3 order);
Keras 1/2 keywords are renamed first; every value goes through the catalog's
`ParamSpec.check`. A value that fails keeps the default and becomes a problem, an
argument the design cannot hold becomes a problem: nothing is dropped silently.
"""

from __future__ import annotations

import inspect
import re
from functools import cache
from typing import Any, Protocol

from designer.engine.legacy_keywords import DIM_ORDERING, KERAS1_KEYWORDS
from designer.importer.names import engine_layer_names, meaning
from designer.importer.values import (
    LayerObj,
    Pending,
    Ref,
    UserClass,
    UserFunction,
    find_unknown,
    is_constant,
    strip_assumed,
)
from designer.spec.catalog import catalog
from designer.spec.params import ParamError, ParamSpec

_NUMERIC_KINDS = ("int", "float", "int_tuple", "shape")
_SHAPE_ARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "input_length")


class Context(Protocol):
    image_format: str

    def problem(self, line: int, message: str) -> None: ...

    def use_pending(self, value: Pending, line: int) -> None: ...


@cache
def engine_signature(layer_type: str) -> tuple[list[str], dict[str, Any]]:
    """(positional parameter names, defaults) of the engine class behind a catalog type."""
    cls = catalog()[layer_type].engine_class()
    names, defaults = [], {}
    for parameter in inspect.signature(cls.__init__).parameters.values():
        if parameter.name == "self" or parameter.kind in (
            parameter.VAR_KEYWORD,
            parameter.VAR_POSITIONAL,
        ):
            continue
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            names.append(parameter.name)
        defaults[parameter.name] = parameter.default
    return names, defaults


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def show(value: Any) -> str:
    """A short text for a value in a message (the code's own text is preferred)."""
    plain = strip_assumed(value)[0]
    if isinstance(plain, LayerObj):
        return f"{plain.class_name}(...)"
    if is_constant(plain) and len(repr(plain)) <= 80:
        return repr(plain)
    return f"a {type(plain).__name__} value"


def make_layer(
    ctx: Context,
    class_name: str,
    args: list[Any],
    kwargs: dict[str, Any],
    line: int,
    texts: dict[str, str],
) -> LayerObj:
    """The LayerObj for `class_name(*args, **kwargs)`; `texts` holds each argument's
    source text by position ("0", "1", ...) or keyword, for messages."""
    layer_type = engine_layer_names().get(class_name)
    if layer_type is None:
        ctx.problem(
            line,
            f"{class_name} layers are not available in Network Designer (line {line}); "
            "the layer is left out.",
        )
        return LayerObj(class_name, None, line)
    layer = LayerObj(class_name, layer_type, line)
    positional, defaults = engine_signature(layer_type)
    if layer_type == "Conv2D" and len(args) >= 3 and all(_is_int(a) for a in args[1:3]):
        # Keras 1 Convolution2D(nb_filter, nb_row, nb_col); Keras 2 read Conv2D the same.
        args = [args[0], (args[1], args[2]), *args[3:]]
        texts = {"0": texts.get("0", ""), "1": f"{texts.get('1')}, {texts.get('2')}"}
    named: dict[str, tuple[Any, str]] = {}
    for index, value in enumerate(args):
        if index >= len(positional):
            ctx.problem(
                line,
                f"{class_name} takes at most {len(positional)} positional arguments; "
                f"{texts.get(str(index), show(value))} is left out (line {line}).",
            )
            continue
        named[positional[index]] = (value, texts.get(str(index), ""))
    for key, value in kwargs.items():
        new = KERAS1_KEYWORDS.get(key, key)  # renamed only where the new name exists
        if new != key and new not in defaults:
            new = key
        if key in ("nb_row", "nb_col") and "kernel_size" in defaults:
            current = named.get("kernel_size", (None, ""))[0]
            pair = current if isinstance(current, tuple) and len(current) == 2 else (None, None)
            rows, cols = pair
            pair = (value, cols) if key == "nb_row" else (rows, value)
            named["kernel_size"] = (pair, "nb_row, nb_col")
            continue
        if new in named:
            ctx.problem(line, f"{class_name} got {new} twice (line {line}); the last is kept.")
        named[new] = (value, texts.get(key, ""))
    _read_base_arguments(ctx, layer, named, line)
    description = catalog()[layer_type]
    specs = {spec.name: spec for spec in description.params}
    for key, (value, text) in named.items():
        if key in specs:
            if key == "data_format":
                value = DIM_ORDERING.get(value, value) if isinstance(value, str) else value
                if value is None:
                    continue
            checked = convert_param(ctx, class_name, specs[key], value, text, line)
            if checked is not _FAILED:
                layer.params[key] = checked
        elif key in defaults:
            if not _same_as_default(value, defaults[key]):
                ctx.problem(
                    line,
                    f"{class_name}({key}={text or show(value)}) is not supported by the "
                    f"designer (line {line}); the argument is left out.",
                )
        else:
            ctx.problem(
                line,
                f"Unknown argument {key}= for {class_name} (line {line}); it is left out.",
            )
    for spec in description.params:
        default = defaults.get(spec.name)
        required = default is inspect.Parameter.empty or (
            default is None and spec.kind in _NUMERIC_KINDS and spec.default is not None
        )
        if required and spec.name not in named:
            ctx.problem(
                line,
                f"{class_name} is made without {spec.name} (line {line}); the design uses "
                f"{spec.name}={spec.format(spec.default)}.",
            )
    if "data_format" in specs and "data_format" not in layer.params:
        layer.params["data_format"] = ctx.image_format
    return layer


def _is_int(value: Any) -> bool:
    plain = strip_assumed(value)[0]
    return isinstance(plain, int) and not isinstance(plain, bool)


def _same_as_default(value: Any, default: Any) -> bool:
    plain = strip_assumed(value)[0]
    if not is_constant(plain):
        return False
    if isinstance(plain, list):
        plain = tuple(plain)
    if isinstance(default, list):
        default = tuple(default)
    return plain == default


def _read_base_arguments(
    ctx: Context, layer: LayerObj, named: dict[str, tuple[Any, str]], line: int
) -> None:
    """name=, trainable=, dtype=, weights= and the input-shape arguments of every layer."""
    cls = layer.class_name
    if "name" in named:
        value, text = named.pop("name")
        if isinstance(value, str) and value:
            layer.name = value
        else:
            ctx.problem(line, f"{cls} name={text} is not a fixed string (line {line}); left out.")
    if "trainable" in named:
        value, _ = named.pop("trainable")
        if value is not True:
            ctx.problem(
                line,
                f"{cls}(trainable={show(value)}) is not kept (line {line}): the design trains "
                "every layer.",
            )
    if "dtype" in named:
        value, _ = named.pop("dtype")
        if value not in (None, "float32"):
            ctx.problem(line, f"{cls}(dtype={show(value)}) is not kept (line {line}); float32.")
    if "weights" in named:
        named.pop("weights")
        ctx.problem(
            line,
            f"{cls}(weights=...) is not imported (line {line}): the design starts from "
            "fresh weights.",
        )
    shape_args = {k: named.pop(k) for k in _SHAPE_ARGS if k in named}
    if not shape_args:
        return
    batch_size = shape_args.pop("batch_size", (None, ""))[0]
    if batch_size is not None:
        ctx.problem(
            line,
            f"{cls}(batch_size={show(batch_size)}) is not kept (line {line}): designs take "
            "any batch size; set it in the training settings.",
        )
    if "batch_input_shape" in shape_args:
        value, text = shape_args["batch_input_shape"]
        layer.shape_text = f"batch_input_shape={text}"
        shape = value[1:] if isinstance(value, (tuple, list)) else value
    elif "input_shape" in shape_args:
        value, text = shape_args["input_shape"]
        layer.shape_text = f"input_shape={text}"
        shape = value
    elif "input_dim" in shape_args:
        value, text = shape_args["input_dim"]
        layer.shape_text = f"input_dim={text}"
        shape = (value,)
        if "input_length" in shape_args:
            length, length_text = shape_args["input_length"]
            layer.shape_text += f", input_length={length_text}"
            shape = (length, value)
    else:
        return
    layer.declared_shape = tuple(shape) if isinstance(shape, list) else shape


_FAILED = object()


def convert_param(
    ctx: Context, class_name: str, spec: ParamSpec, value: Any, text: str, line: int
) -> Any:
    """The checked value for `spec`, or _FAILED after reporting why (default kept)."""
    where = f"{class_name} {spec.name}={text or show(value)} (line {line})"
    keeps = f"{spec.name} keeps its default {spec.format(spec.default) or 'None'}"
    if spec.kind == "activation":
        value = activation_name(ctx, value, where, line)
    elif spec.kind == "initializer":
        value = initializer_name(ctx, value, line)
    elif spec.kind == "regularizer":
        value = regularizer_name(ctx, value, line)
    elif spec.kind == "choice" and isinstance(value, str):
        value = value.lower() if value.lower() in spec.choices else value
    if value is _FAILED:
        ctx.problem(line, f"{where} is not imported; {keeps}.")
        return _FAILED
    unknown = find_unknown(value)
    if unknown is not None:
        ctx.problem(line, f"{where}: {unknown.reason}; {keeps}.")
        return _FAILED
    if not is_constant(value):
        ctx.problem(line, f"{where} is not a value the designer can hold; {keeps}.")
        return _FAILED
    plain, note = strip_assumed(value)
    if isinstance(plain, list):
        plain = tuple(plain)
    try:
        checked = spec.check(plain)
    except ParamError as error:
        default = spec.format(spec.default) or "None"
        ctx.problem(line, f"{where}: {error} The default {spec.name}={default} is kept.")
        return _FAILED
    if note:
        ctx.problem(
            line,
            f"{where} is read as {spec.format(checked)} from {note}; check it against your data.",
        )
    return checked


def activation_name(ctx: Context, value: Any, where: str, line: int) -> Any:
    """'tanh', K.tanh, keras.activations.tanh, None -> the activation's name."""
    if value is None:
        return "linear"
    if isinstance(value, str):
        from designer.spec.params import activation_names

        return value.lower() if value.lower() in activation_names() else value
    if isinstance(value, Ref):
        kind, name = meaning(value.path)
        if kind == "activation":
            return name
    if isinstance(value, UserFunction):
        ctx.problem(line, f"Custom activation {value.name} is not imported (line {line}).")
        return _FAILED
    if isinstance(value, LayerObj):
        ctx.problem(
            line, f"A {value.class_name} layer as an activation is not imported (line {line})."
        )
        return _FAILED
    return value


def initializer_name(ctx: Context, value: Any, line: int) -> Any:
    from designer.spec.params import initializer_names

    if isinstance(value, Ref):
        kind, name = meaning(value.path)
        if kind != "initializer":
            return _FAILED
        value = name
    elif isinstance(value, Pending) and value.kind == "initializer":
        ctx.use_pending(value, line)
        value = value.name
    if isinstance(value, str):
        snake = snake_case(value)
        return snake if snake in initializer_names() else value
    return value


def regularizer_name(ctx: Context, value: Any, line: int) -> Any:
    if isinstance(value, Pending) and value.kind == "regularizer":
        ctx.use_pending(value, line)
        return value.name
    if isinstance(value, Ref):
        kind, name = meaning(value.path)
        return snake_case(name).replace("l1l2", "l1_l2") if kind == "regularizer" else _FAILED
    if isinstance(value, str):
        return value.lower()
    return value


def is_layer_class(value: Any) -> bool:
    return isinstance(value, UserClass) and value.kind == "layer"
