"""Calls: Keras constructors and functions, layer calls on tensors, model methods.

Nothing is run: each call of the Keras API becomes a value (a layer, a tensor, a
model, a setting object); calls of anything else give `Unknown` and are reported
only if a design ends up needing their result.
"""

from __future__ import annotations

import ast
from typing import Any

from designer.importer import data_calls
from designer.importer.compile_args import make_optimizer, make_setting, read_compile
from designer.importer.mapping import make_layer, show
from designer.importer.model_calls import ModelCalls
from designer.importer.names import MERGE_FUNCTIONS, meaning
from designer.importer.values import (
    DataArray,
    FuncModel,
    GNode,
    LayerObj,
    Pending,
    Ref,
    SeqModel,
    Tensor,
    Unknown,
    UserClass,
    UserFunction,
)
from designer.spec.catalog import catalog

_TRAINING = ("fit", "fit_generator", "train_on_batch")
_K1_MODES = {
    "sum": "Add",
    "mul": "Multiply",
    "ave": "Average",
    "max": "Maximum",
    "concat": "Concatenate",
}


class Calls(ModelCalls):
    """Call dispatch; see the module docstring."""

    # -- arguments --------------------------------------------------------------------
    def call(self, node: ast.Call) -> Any:
        texts = {str(i): self.text(a) for i, a in enumerate(node.args)}
        texts.update({k.arg: self.text(k.value) for k in node.keywords if k.arg})
        if isinstance(node.func, ast.Attribute):
            receiver = self.eval(node.func.value)
            if not isinstance(receiver, Ref):
                args, kwargs = self.arguments(node)
                return self.call_method(receiver, node.func.attr, args, kwargs, node, texts)
            func = self.attribute(receiver, node.func.attr, node.func)
        else:
            func = self.eval(node.func)
        args, kwargs = self.arguments(node)
        return self.call_value(func, args, kwargs, node, texts)

    def arguments(self, node: ast.Call) -> tuple[list[Any], dict[str, Any]]:
        args = self.eval_items(node.args)
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.eval(keyword.value)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
            elif isinstance(value, dict):
                kwargs.update({str(k): v for k, v in value.items()})
            else:
                kwargs[f"**{self.text(keyword.value)}"] = value
        return args, kwargs

    # -- calling a value --------------------------------------------------------------
    def call_value(self, func: Any, args: list, kwargs: dict, node: ast.Call, texts: dict) -> Any:
        line = node.lineno
        if isinstance(func, Ref):
            return self.call_ref(func, args, kwargs, node, texts)
        if isinstance(func, LayerObj):
            return self.call_layer(func, args, kwargs, node)
        if isinstance(func, UserClass):
            if func.kind == "layer":
                self.problem(
                    line,
                    f"Custom layer class {func.name} (defined on line {func.line}) is not "
                    f"imported (line {line}); the layer is left out.",
                )
                layer = LayerObj(func.name, None, line)
                self.layers.append(layer)
                return layer
            if func.kind == "model":
                self.problem(
                    line,
                    f"Custom model class {func.name} (defined on line {func.line}) is not "
                    f"imported (line {line}).",
                )
            return self.later(node)
        if isinstance(func, UserFunction):
            if func.builds:
                return Unknown(f"{func.name}() builds it inside a function (line {func.line})")
            return self.later(node)
        if isinstance(func, (SeqModel, FuncModel)):
            self.problem(line, f"Using a model as a layer (line {line}) is not imported.")
            return Unknown(f"a model used as a layer (line {line}) is not imported")
        if isinstance(func, Unknown):
            return func
        return self.later(node)

    def call_ref(self, func: Ref, args: list, kwargs: dict, node: ast.Call, texts: dict) -> Any:
        line = node.lineno
        kind, name = meaning(func.path)
        if kind == "layer":
            layer = make_layer(self, name, args, self._design_kwargs(kwargs, line), line, texts)
            self.layers.append(layer)
            return layer
        if kind in ("input", "input_layer"):
            return self.make_input(name, args, kwargs, line, texts)
        if kind == "sequential":
            return self.make_sequential(args, kwargs, node)
        if kind == "model":
            return self.make_model(args, kwargs, node, texts)
        if kind == "merge":
            return self.merge(MERGE_FUNCTIONS[name], args, kwargs, node, texts)
        if kind == "merge_k1":
            return self.merge_keras1(args, kwargs, node, texts)
        if kind == "optimizer":
            return make_optimizer(name, args, kwargs, line, texts)
        if kind in ("loss", "metric") and name[:1].isupper():
            return make_setting(kind, name, args, kwargs, line, texts)
        if kind in ("initializer", "regularizer"):
            return make_setting(kind, name, args, kwargs, line, texts)
        if kind == "activation":
            return Unknown(f"{self.text(node)} on tensors is not imported; use an Activation layer")
        if kind == "set_format":
            return self.set_image_format(name, args, kwargs, line)
        if kind == "get_format":
            if name == "image_dim_ordering":
                return "th" if self.image_format == "channels_first" else "tf"
            return self.image_format
        if func.path.startswith("builtins."):
            return data_calls.builtin(func.last, args, node)
        return data_calls.data_call(kind, name, args, kwargs, node)

    # -- layers on tensors ------------------------------------------------------------
    def call_layer(self, layer: LayerObj, args: list, kwargs: dict, node: ast.Call) -> Any:
        line = node.lineno
        for key in kwargs:
            self.problem(
                line, f"Calling {layer.class_name} with {key}= is not imported (line {line})."
            )
        layer.used = True
        if not args:
            self.problem(line, f"{layer.class_name} is called without inputs (line {line}).")
            return Unknown(f"{layer.class_name} is called without inputs (line {line})")
        value, arg_node = args[0], node.args[0] if node.args else None
        if layer.type is None:
            if isinstance(value, Tensor):
                return value  # reported where the layer was made; its input goes on
            return Unknown(f"{layer.class_name} (line {layer.line}) is not available")
        if layer.type == "Input":
            self.problem(line, f"An InputLayer called on a tensor (line {line}) is not imported.")
            return Unknown(f"an InputLayer called on a tensor (line {line})")
        merge = catalog()[layer.type].is_merge
        elements = arg_node.elts if isinstance(arg_node, (ast.List, ast.Tuple)) else []
        if isinstance(value, (list, tuple)):
            items = [
                (v, self.text(elements[i]) if i < len(elements) else "")
                for i, v in enumerate(value)
            ]
            if not merge:
                self.problem(
                    line,
                    f"{layer.class_name} takes one input but is called on "
                    f"{len(items)} (line {line}); the first is used.",
                )
                items = items[:1]
        else:
            items = [(value, self.text(arg_node))]
            if merge:
                self.problem(line, f"{layer.class_name} takes a list of inputs (line {line}).")
        sources: list[GNode | None] = []
        for item, text in items:
            if isinstance(item, Tensor):
                sources.append(item.node)
                continue
            why = item.reason if isinstance(item, Unknown) else "it is not a tensor"
            self.problem(
                line,
                f"{layer.class_name} is called on {text or show(item)} (line {line}), but {why}; "
                "the layer is left unconnected.",
            )
            sources.append(None)
        gnode = GNode(len(self.nodes), layer, sources, line)
        layer.calls.append(gnode)
        self.nodes.append(gnode)
        return Tensor(gnode)

    def merge(self, class_name: str, args: list, kwargs: dict, node: ast.Call, texts: dict):
        """`add([a, b])`, `concatenate([a, b], axis=1)`: a merge layer called at once."""
        kwargs = self._design_kwargs(dict(kwargs), node.lineno)
        inputs = args[0] if args else kwargs.pop("inputs", Unknown("no inputs are given"))
        layer_texts = {k: v for k, v in texts.items() if not k.isdigit()}
        layer = make_layer(self, class_name, list(args[1:]), kwargs, node.lineno, layer_texts)
        self.layers.append(layer)
        call = ast.Call(node.func, node.args[:1], [])
        ast.copy_location(call, node)
        return self.call_layer(layer, [inputs], {}, call)

    def merge_keras1(self, args: list, kwargs: dict, node: ast.Call, texts: dict) -> Any:
        """Keras 1 `merge([a, b], mode='concat', concat_axis=1)`."""
        kwargs = dict(kwargs)
        mode = kwargs.pop("mode", "sum")
        class_name = _K1_MODES.get(mode) if isinstance(mode, str) else None
        if class_name is None:
            self.problem(
                node.lineno, f"merge(mode={show(mode)}) is not available (line {node.lineno})."
            )
            return Unknown(f"merge(mode={show(mode)}) is not available")
        if class_name == "Concatenate" and "concat_axis" in kwargs:
            kwargs["axis"] = kwargs.pop("concat_axis")
        return self.merge(class_name, args, kwargs, node, texts)

    # -- methods ----------------------------------------------------------------------
    def call_method(
        self, receiver: Any, method: str, args: list, kwargs: dict, node: ast.Call, texts: dict
    ) -> Any:
        line = node.lineno
        if isinstance(receiver, (SeqModel, FuncModel)):
            if method == "add" and isinstance(receiver, SeqModel):
                for index, item in enumerate(args):
                    self.sequential_add(receiver, item, line, texts.get(str(index), ""))
                return None
            if method == "pop" and isinstance(receiver, SeqModel) and receiver.items:
                receiver.items.pop()
                return None
            if method == "compile":
                receiver.compile = read_compile(self, args, kwargs, line, texts)
                receiver.last_used = line
            elif method in _TRAINING:
                receiver.last_used = line
            elif method == "load_weights":
                self.problem(
                    line,
                    f"load_weights (line {line}) is not imported: the design "
                    "starts from fresh weights.",
                )
            return self.later(node)
        if isinstance(receiver, LayerObj) and method == "set_weights":
            self.problem(
                line,
                f"{self.text(node.func)} (line {line}) is not imported: the design "
                "starts from fresh weights.",
            )
        if isinstance(receiver, list) and method in ("append", "extend", "insert"):
            if method == "append" and args:
                receiver.append(args[0])
            elif method == "extend" and args and isinstance(args[0], (list, tuple)):
                receiver.extend(args[0])
            elif method == "insert" and len(args) == 2 and isinstance(args[0], int):
                receiver.insert(args[0], args[1])
            return None
        if isinstance(receiver, DataArray):
            return data_calls.array_method(receiver, method, args)
        if isinstance(receiver, Unknown):
            if method == "add" and any(isinstance(a, LayerObj) for a in args):
                self.problem(
                    line,
                    f"{self.text(node.func)} (line {line}): {receiver.reason}; "
                    "the layer is left out.",
                )
                for item in args:
                    if isinstance(item, LayerObj):
                        item.used = True
            return receiver
        if isinstance(receiver, Pending):
            return Unknown(f"{self.text(node)} is not imported")
        return self.later(node)
