"""Inputs and models: `Input(...)`, `InputLayer(...)`, `Sequential([...])` and
`model.add`, `Model(inputs, outputs)` in Keras 1/2/3 spellings, and the global image
data format that `K.set_image_dim_ordering('th')` changes for layers made after it.
"""

from __future__ import annotations

import ast
from typing import Any

from designer.importer.evaluator import Evaluator
from designer.importer.mapping import show
from designer.importer.values import (
    FuncModel,
    GNode,
    LayerObj,
    SeqModel,
    Tensor,
    Unknown,
)

_MODEL_FROM = {"inputs": ("inputs", "input"), "outputs": ("outputs", "output")}


class ModelCalls(Evaluator):
    """Constructors of inputs and models (mixed into `Calls`)."""

    def _design_kwargs(self, kwargs: dict, line: int) -> dict:
        for key in [k for k in kwargs if k.startswith("**")]:
            self.problem(line, f"Arguments passed as {key} are not imported (line {line}).")
            del kwargs[key]
        return kwargs

    def make_input(self, name: str, args: list, kwargs: dict, line: int, texts: dict) -> Any:
        """`Input(shape=...)` -> a tensor; `InputLayer(input_shape=...)` -> a layer."""
        from designer.importer.designs import input_shape_param

        kwargs = self._design_kwargs(dict(kwargs), line)
        named = dict(zip(("shape",), args, strict=False)) | kwargs
        texts = {"shape": texts.get("0", "")} | texts
        layer = LayerObj(name, "Input", line, used=True)
        shape, text = None, ""
        for key in ("shape", "input_shape", "batch_shape", "batch_input_shape"):
            if named.get(key) is not None:
                shape, text = named.pop(key), f"{key}={texts.get(key, '')}"
                if key.startswith("batch") and isinstance(shape, (tuple, list)):
                    shape = tuple(shape[1:])
                break
        for key in ("shape", "input_shape", "batch_shape", "batch_input_shape"):
            named.pop(key, None)
        if isinstance(named.get("name"), str):
            layer.name = named.pop("name")
        if named.get("batch_size") is not None:
            self.problem(
                line,
                f"{name}(batch_size={show(named['batch_size'])}) is not kept (line {line}): "
                "designs take any batch size; set it in the training settings.",
            )
        for key, value in named.items():
            if key in ("batch_size", "dtype", "sparse", "name", "ragged") and value in (
                None,
                False,
                "float32",
            ):
                continue
            self.problem(line, f"{name}({key}=...) is not imported (line {line}).")
        if shape is None:
            self.problem(
                line, f"the input shape is not given (line {line}); set it on the Input layer."
            )
        else:
            checked = input_shape_param(self, shape, text, line)
            if checked is not None:
                layer.params["shape"] = checked
        self.layers.append(layer)
        if name == "InputLayer":
            return layer
        gnode = GNode(len(self.nodes), layer, [], line)
        layer.calls.append(gnode)
        self.nodes.append(gnode)
        return Tensor(gnode)

    def make_sequential(self, args: list, kwargs: dict, node: ast.Call) -> SeqModel:
        model = SeqModel(node.lineno)
        self.models.append(model)
        items = args[0] if args else kwargs.get("layers")
        if items is not None:
            first = node.args[0] if node.args else None
            elements = first.elts if isinstance(first, (ast.List, ast.Tuple)) else []
            values = items if isinstance(items, (list, tuple)) else [items]
            for index, item in enumerate(values):
                text = self.text(elements[index]) if index < len(elements) else self.text(first)
                self.sequential_add(model, item, node.lineno, text)
        return model

    def sequential_add(self, model: SeqModel, item: Any, line: int, text: str) -> None:
        if isinstance(item, (list, tuple)):
            for element in item:
                self.sequential_add(model, element, line, text)
            return
        first = not model.items
        if isinstance(item, LayerObj):
            item.used = True
            if item.type is None:
                return  # reported where the layer was made
            if item.type == "Input" and not first:
                self.problem(line, f"An InputLayer after other layers (line {line}) is left out.")
                return
            model.items.append(item)
        elif isinstance(item, Tensor) and item.node.layer.type == "Input":
            if not first:
                self.problem(line, f"An Input after other layers (line {line}) is left out.")
                return
            model.items.append(item)
        elif isinstance(item, (SeqModel, FuncModel)):
            self.problem(line, f"A model inside a Sequential model (line {line}) is not imported.")
        elif isinstance(item, Unknown):
            self.problem(line, f"{text} (line {line}): {item.reason}; nothing is added.")
        else:
            self.problem(line, f"{text} (line {line}) is not a layer; nothing is added.")

    def make_model(self, args: list, kwargs: dict, node: ast.Call, texts: dict) -> Any:
        line = node.lineno
        found: dict[str, Any] = {}
        for index, role in enumerate(("inputs", "outputs")):
            spellings = _MODEL_FROM[role]
            keyword = next((k for k in spellings if k in kwargs), None)
            if index < len(args):
                found[role] = (args[index], texts.get(str(index), ""))
            elif keyword is not None:
                found[role] = (kwargs[keyword], texts.get(keyword, ""))
        nodes: dict[str, list[GNode]] = {}
        for role in ("inputs", "outputs"):
            value, _ = found.get(role, (Unknown(f"no {role} are given"), role))
            values = list(value.values()) if isinstance(value, dict) else value
            values = values if isinstance(values, (list, tuple)) else [values]
            nodes[role] = []
            for item in values:
                if isinstance(item, Tensor):
                    nodes[role].append(item.node)
                else:
                    why = item.reason if isinstance(item, Unknown) else "it is not a tensor"
                    self.problem(
                        line, f"The {role} of the model on line {line} cannot be read: {why}."
                    )
        if not nodes["outputs"]:
            self.problem(line, f"The model on line {line} has no outputs; it is not imported.")
            return Unknown(f"the model on line {line} could not be imported")
        model = FuncModel(line, nodes["inputs"], nodes["outputs"])
        self.models.append(model)
        return model

    def set_image_format(self, name: str, args: list, kwargs: dict, line: int) -> None:
        value = args[0] if args else next(iter(kwargs.values()), None)
        formats = {"th": "channels_first", "tf": "channels_last"}
        if name == "set_image_dim_ordering" and value in formats:
            self.image_format = formats[value]
        elif name == "set_image_data_format" and value in ("channels_first", "channels_last"):
            self.image_format = value
        else:
            self.problem(
                line,
                f"{name}({show(value)}) is not understood (line {line}); the "
                f"image layers stay {self.image_format}.",
            )
        return None
