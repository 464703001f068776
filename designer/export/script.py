"""A design as a Python script that builds, compiles and trains it.

Two flavours from one generator: `target="keras"` writes Keras 3 code (`import keras`)
for any machine with Keras; `target="engine"` writes the same program on
`designer.engine`. Only settings that differ from the catalog's defaults are written,
so the code reads like a person wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from designer import __version__
from designer.spec.build import _topological_order
from designer.spec.catalog import catalog
from designer.spec.compile_settings import CompileSettings, hyper_parameters
from designer.spec.design import Design
from designer.training.config import TrainingConfig


@dataclass
class ScriptOptions:
    target: str = "keras"  # "keras" or "engine"
    title: str = "design"
    data_code: str | None = None  # code defining x_train, y_train (and x_val, y_val)
    weights_file: str | None = None  # load these weights before training, when given
    train: bool = True


def _literal(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(float(f"{value:.10g}"))
    return repr(value)


def _engine_defaults(layer_type) -> dict[str, Any]:
    """The engine constructor's defaults; a parameter without one is required."""
    import inspect

    signature = inspect.signature(layer_type.engine_class().__init__)
    return {
        name: parameter.default
        for name, parameter in signature.parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }


def _same(value: Any, default: Any) -> bool:
    if isinstance(value, tuple) and isinstance(default, (list, tuple)):
        return tuple(value) == tuple(default)
    if isinstance(value, tuple) and isinstance(default, int):
        return all(v == default for v in value)
    return value == default


def _layer_call(node, layers_prefix: str) -> str:
    layer_type = catalog()[node.type]
    defaults = _engine_defaults(layer_type)
    args = []
    for spec in layer_type.params:
        value = node.params.get(spec.name, spec.default)
        if spec.name in defaults and _same(value, defaults[spec.name]):
            continue
        if spec.name == "data_format" and value == "channels_last":
            continue  # the engine's and Keras' default unless the user changed the ordering
        args.append(f"{spec.name}={_literal(value)}")
    if node.name:
        args.append(f"name={node.name!r}")
    return f"{layers_prefix}{node.type}({', '.join(args)})"


def _variable_names(design: Design) -> dict[str, str]:
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for node_id in design.nodes:
        node = design.nodes[node_id]
        base = (node.name or node.type).lower()
        base = "".join(c if c.isalnum() else "_" for c in base)
        if not base[0].isalpha():
            base = f"layer_{base}"
        counts[base] = counts.get(base, 0) + 1
        names[node_id] = base if counts[base] == 1 else f"{base}_{counts[base]}"
    return names


def model_code(design: Design, target: str) -> list[str]:
    """Lines that define `model` for the design."""
    prefix = "layers."
    input_fn = "keras.Input" if target == "keras" else "Input"
    chain = design.chain_order()
    lines: list[str] = []
    if chain and all(not design.nodes[n].shares for n in chain):
        first = design.nodes[chain[0]]
        sequential = "keras.Sequential" if target == "keras" else "Sequential"
        lines.append(f"model = {sequential}([")
        lines.append(f"    {input_fn}(shape={_literal(tuple(first.params['shape']))}),")
        lines.extend(f"    {_layer_call(design.nodes[n], prefix)}," for n in chain[1:])
        lines.append("])")
        return lines
    names = _variable_names(design)
    order, _ = _topological_order(design)
    layer_objects: dict[str, str] = {}
    inputs, outputs = [], []
    for node_id in order:
        node = design.nodes[node_id]
        var = names[node_id]
        if catalog()[node.type].is_input:
            name = f", name={node.name!r}" if node.name else ""
            lines.append(f"{var} = {input_fn}(shape={_literal(tuple(node.params['shape']))}{name})")
            inputs.append(var)
            continue
        edges = design.inputs_of(node_id)
        args = [names[e.source] for e in edges]
        arg = f"[{', '.join(args)}]" if catalog()[node.type].is_merge else args[0]
        if node.shares:
            layer = layer_objects[node.shares]
        elif any(n.shares == node_id for n in design.nodes.values()):
            layer = f"shared_{var}"
            lines.append(f"{layer} = {_layer_call(node, prefix)}  # used more than once")
        else:
            layer = _layer_call(node, prefix)
        layer_objects[node_id] = layer
        lines.append(f"{var} = {layer}({arg})")
        if not design.outputs_of(node_id):
            outputs.append(var)
    model_fn = "keras.Model" if target == "keras" else "Model"
    ins = inputs[0] if len(inputs) == 1 else f"[{', '.join(inputs)}]"
    outs = outputs[0] if len(outputs) == 1 else f"[{', '.join(outputs)}]"
    lines.append(f"model = {model_fn}(inputs={ins}, outputs={outs})")
    return lines


def compile_code(settings: CompileSettings, target: str) -> list[str]:
    defaults = {hp.name: hp.default for hp in hyper_parameters(settings.optimizer)}
    args = [
        f"{k}={_literal(v)}"
        for k, v in settings.optimizer_params.items()
        if defaults.get(k) != v and not (k == "weight_decay" and v == 0.0)
    ]
    class_name = {
        "sgd": "SGD",
        "adam": "Adam",
        "adamw": "AdamW",
        "rmsprop": "RMSprop",
        "adagrad": "Adagrad",
        "adadelta": "Adadelta",
        "adamax": "Adamax",
        "nadam": "Nadam",
    }[settings.optimizer]
    module = "keras.optimizers" if target == "keras" else "optimizers"
    return [
        "model.compile(",
        f"    optimizer={module}.{class_name}({', '.join(args)}),",
        f"    loss={settings.loss!r},",
        f"    metrics={list(settings.metrics)!r},",
        ")",
    ]


def fit_code(config: TrainingConfig, has_validation_data: bool) -> list[str]:
    validation = (
        "validation_data=(x_val, y_val)"
        if has_validation_data
        else f"validation_split={config.validation_split!r}"
    )
    return [
        "history = model.fit(",
        "    x_train, y_train,",
        f"    epochs={config.epochs}, batch_size={config.batch_size}, "
        f"shuffle={config.shuffle}, {validation},",
        ")",
    ]


def export_script(
    design: Design, settings: CompileSettings, config: TrainingConfig, options: ScriptOptions
) -> str:
    """The whole script as text."""
    target = options.target
    if target not in ("keras", "engine"):
        raise ValueError(f"Unknown script target {target!r}: expected 'keras' or 'engine'.")
    head = [
        f'"""{options.title}: generated by Network Designer {__version__}.',
        "",
        "Builds, compiles and trains the design "
        + (
            "with Keras 3 (pip install keras)."
            if target == "keras"
            else "on designer.engine, the app's NumPy engine\nwith the Keras API."
        ),
        '"""',
        "",
        "import numpy as np",
    ]
    if target == "keras":
        head += ["import keras", "from keras import layers"]
    else:
        head += ["from designer.engine import Input, Model, Sequential, layers, optimizers"]
    body = ["", "# -- data " + "-" * 70]
    body += (options.data_code or _placeholder_data(design, settings)).rstrip().split("\n")
    body += ["", "# -- model " + "-" * 69, *model_code(design, target)]
    body += compile_code(settings, target)
    body.append("model.summary()")
    if options.weights_file:
        body += ["", f"model.load_weights({options.weights_file!r})"]
    if options.train:
        has_val = bool(options.data_code and "x_val" in options.data_code)
        body += ["", "# -- training " + "-" * 66, *fit_code(config, has_val)]
        body.append("print({k: round(v[-1], 4) for k, v in history.history.items()})")
    return "\n".join(head + body) + "\n"


def _placeholder_data(design: Design, settings: CompileSettings) -> str:
    """Random data of the right shapes, so the script runs before real data is wired in."""
    shapes = [
        tuple(n.params["shape"]) for n in design.nodes.values() if catalog()[n.type].is_input
    ] or [(1,)]
    lines = [
        "# No data source was chosen: random stand-in data of the model's input shapes.",
        "rng = np.random.default_rng(0)",
    ]
    names = []
    for index, shape in enumerate(shapes):
        name = "x_train" if len(shapes) == 1 else f"x_train_{index}"
        lines.append(f"{name} = rng.random({_literal((256, *shape))}).astype('float32')")
        names.append(name)
    if len(names) > 1:
        lines.append(f"x_train = [{', '.join(names)}]")
    first = names[0]
    outputs = [n for n in design.nodes.values() if not design.outputs_of(n.id)]
    units = int(outputs[0].params.get("units", 1)) if len(outputs) == 1 else 1
    label = f"({first}.reshape(len({first}), -1).mean(axis=1) > 0.5)"
    if settings.loss == "categorical_crossentropy" and units > 1:
        lines.append(f"y_train = np.eye({units}, dtype='float32')[rng.integers(0, {units}, 256)]")
    elif settings.loss == "sparse_categorical_crossentropy":
        lines.append(f"y_train = rng.integers(0, {units}, 256)")
    elif settings.loss in ("hinge", "squared_hinge"):
        lines.append(f"y_train = {label}.astype('float32') * 2 - 1")
    else:
        lines.append(f"y_train = np.repeat({label}.astype('float32')[:, None], {units}, axis=1)")
    return "\n".join(lines)
