"""Model configs as plain data (Keras 3's layout), `to_json` and `model_from_json`.

Nothing here executes code from a config: class names are looked up in the engine's
own layer registry, and unknown names are refused with the list of known ones.
"""

from __future__ import annotations

import json
from typing import Any

from designer.engine.layers.base import Layer
from designer.engine.layers.input_layer import InputLayer
from designer.engine.registry import serialize_object


def serialize_layer(layer: Layer) -> dict[str, Any]:
    return serialize_object(layer, "keras.layers")


def deserialize_layer(config: dict[str, Any]) -> Layer:
    from designer.engine import layers

    return layers.deserialize(config)


def _tensor_ref(tensor: Any, node_numbers: dict[int, int]) -> dict[str, Any]:
    layer, _, tensor_index = tensor._keras_history
    return {
        "class_name": "__keras_tensor__",
        "config": {
            "shape": list(tensor.shape),
            "dtype": tensor.dtype,
            "keras_history": [layer.name, node_numbers[id(tensor.node)], tensor_index],
        },
    }


def functional_config(model: Any) -> dict[str, Any]:
    graph = model.graph
    # Number each layer's nodes within this model (a shared layer has several).
    node_numbers: dict[int, int] = {}
    per_layer: dict[int, int] = {}
    for node in graph.nodes:
        node_numbers[id(node)] = per_layer.get(id(node.layer), 0)
        per_layer[id(node.layer)] = node_numbers[id(node)] + 1
    layer_configs = []
    for layer in graph.layers:
        entry = serialize_layer(layer)
        entry["name"] = layer.name
        inbound = []
        for node in graph.nodes:
            if node.layer is not layer or node.is_input:
                continue
            if isinstance(node.inputs, list):
                args = [[_tensor_ref(t, node_numbers) for t in node.inputs]]
            else:
                args = [_tensor_ref(node.inputs, node_numbers)]
            inbound.append({"args": args, "kwargs": {}})
        entry["inbound_nodes"] = inbound
        layer_configs.append(entry)

    def refs(tensors: list[Any]) -> list[list[Any]]:
        return [[t.node.layer.name, node_numbers[id(t.node)], t._keras_history[2]] for t in tensors]

    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layer_configs,
        "input_layers": refs(graph.inputs),
        "output_layers": refs(graph.outputs),
    }


def functional_from_config(config: dict[str, Any]) -> Any:
    from designer.engine.models.functional import Model

    created: dict[str, Layer] = {}
    outputs_of: dict[tuple[str, int], list[Any]] = {}
    pending: list[tuple[Layer, int, dict[str, Any]]] = []
    for entry in config["layers"]:
        layer = deserialize_layer(entry)
        name = entry.get("name", layer.name)
        created[name] = layer
        if isinstance(layer, InputLayer):
            outputs_of[(name, 0)] = [layer.output_tensor]
        for index, node in enumerate(entry.get("inbound_nodes", [])):
            pending.append((layer, index, node))

    def resolve(ref: Any) -> Any:
        if isinstance(ref, list):
            return [resolve(r) for r in ref]
        history = ref["config"]["keras_history"]
        return outputs_of[(history[0], history[1])][history[2]]

    while pending:
        progressed = False
        for item in list(pending):
            layer, index, node = item
            try:
                args = resolve(node["args"][0])
            except KeyError:
                continue
            result = layer(args)
            outputs_of[(layer.name, index)] = result if isinstance(result, list) else [result]
            pending.remove(item)
            progressed = True
        if not progressed:
            names = sorted({layer.name for layer, _, _ in pending})
            raise ValueError(f"Model config is inconsistent: cannot connect layers {names}.")

    def tensors(refs: list[Any]) -> list[Any]:
        return [outputs_of[(name, node)][index] for name, node, index in refs]

    inputs = tensors(config["input_layers"])
    outputs = tensors(config["output_layers"])
    return Model(
        inputs[0] if len(inputs) == 1 else inputs,
        outputs[0] if len(outputs) == 1 else outputs,
        name=config.get("name"),
    )


def sequential_config(model: Any) -> dict[str, Any]:
    layers = []
    if model._input_layer is not None:
        layers.append(serialize_layer(model._input_layer))
    layers += [serialize_layer(layer) for layer in model.layers]
    return {"name": model.name, "trainable": model.trainable, "layers": layers}


def sequential_from_config(config: dict[str, Any]) -> Any:
    from designer.engine.models.sequential import Sequential

    return Sequential([deserialize_layer(c) for c in config["layers"]], name=config.get("name"))


def model_to_json(model: Any, **kwargs: Any) -> str:
    class_name = "Sequential" if type(model).__name__ == "Sequential" else "Functional"
    payload = {
        "module": "keras",
        "class_name": class_name,
        "config": model.get_config(),
        "registered_name": None,
    }
    return json.dumps(payload, **kwargs)


def model_from_config(payload: dict[str, Any]) -> Any:
    class_name = payload.get("class_name")
    if class_name == "Sequential":
        return sequential_from_config(payload["config"])
    if class_name in ("Functional", "Model"):
        return functional_from_config(payload["config"])
    raise ValueError(f"Unknown model class {class_name!r}: expected 'Sequential' or 'Functional'.")


def model_from_json(json_string: str, custom_objects: Any = None) -> Any:
    """Rebuild a model (architecture only, fresh weights) from `model.to_json()`."""
    try:
        payload = json.loads(json_string)
    except json.JSONDecodeError as error:
        raise ValueError(f"Invalid model JSON: {error}") from None
    if not isinstance(payload, dict):
        raise ValueError("Invalid model JSON: expected an object with 'class_name' and 'config'.")
    return model_from_config(payload)
