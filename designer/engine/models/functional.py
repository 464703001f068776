"""`Model(inputs, outputs)`: a network of layers over any acyclic graph.

Sequential is a subclass that builds the same kind of graph from its layer list, so
there is one executor for both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine import naming
from designer.engine.layers.base import Layer
from designer.engine.models.graph import Graph
from designer.engine.models.training import Trainer
from designer.engine.symbolic import KerasTensor
from designer.engine.variables import Variable


class Model(Trainer):
    """Groups layers into an object with training and inference features.

    `Model(inputs=inputs, outputs=outputs)`, or the Keras 1 spelling
    `Model(input=..., output=...)`.
    """

    def __init__(
        self,
        inputs: Any = None,
        outputs: Any = None,
        name: str | None = None,
        trainable: bool = True,
        **kwargs: Any,
    ) -> None:
        inputs = kwargs.pop("input", inputs)
        outputs = kwargs.pop("output", outputs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments for Model: {sorted(kwargs)}")
        self.name = name or naming.unique_name(self._default_name())
        self.trainable = trainable
        self.graph: Graph | None = None
        if type(self) is Model or inputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("A functional Model needs both `inputs` and `outputs`.")
            self._set_graph(inputs, outputs)

    @staticmethod
    def _default_name() -> str:
        return "functional"

    def _set_graph(self, inputs: Any, outputs: Any) -> None:
        self._inputs_nested = inputs
        self._outputs_nested = outputs
        in_list = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        out_list = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        self.graph = Graph(in_list, out_list)
        self._pack = None

    def _has_graph(self) -> bool:
        return self.graph is not None

    def _ensure_graph_for(self, what: str) -> None:
        """Sequential models may not know their input yet; that's fine until data arrives."""

    def _build_from_data(self, shape: tuple) -> None:
        raise ValueError(f"Model '{self.name}' has no graph to run.")

    # -- structure -----------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        return list(self.graph.layers) if self.graph else []

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name}. Existing layers are: {[la.name for la in self.layers]}."
        )

    @property
    def inputs(self) -> list[KerasTensor]:
        return list(self.graph.inputs) if self.graph else []

    @property
    def outputs(self) -> list[KerasTensor]:
        return list(self.graph.outputs) if self.graph else []

    @property
    def input(self) -> Any:
        return self.inputs[0] if len(self.inputs) == 1 else self.inputs

    @property
    def output(self) -> Any:
        return self.outputs[0] if len(self.outputs) == 1 else self.outputs

    @property
    def input_names(self) -> list[str]:
        return [t.node.layer.name for t in self.inputs] or ["input"]

    @property
    def output_names(self) -> list[str]:
        return [t.node.layer.name for t in self.outputs] or ["output"]

    def _input_shapes(self) -> list[tuple]:
        return [tuple(t.shape) for t in self.inputs]

    @property
    def input_shape(self) -> Any:
        shapes = self._input_shapes()
        if not shapes:
            raise AttributeError(f"Model '{self.name}' has no defined input shape yet.")
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        shapes = [tuple(t.shape) for t in self.outputs]
        if not shapes:
            raise AttributeError(f"Model '{self.name}' has no defined output shape yet.")
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def built(self) -> bool:
        return self.graph is not None

    # -- weights -------------------------------------------------------------------
    @property
    def weights(self) -> list[Variable]:
        seen: set[int] = set()
        result = []
        for layer in self.layers:
            for variable in layer.weights:
                if id(variable) not in seen:
                    seen.add(id(variable))
                    result.append(variable)
        return result

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    @property
    def non_trainable_weights(self) -> list[Variable]:
        trainable = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight, layer by layer, in Keras' order."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Set every weight at once; a wrong count or shape changes nothing."""
        variables = self.weights
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(
                f"Model '{self.name}' expected {len(variables)} weight arrays, but received "
                f"{len(weights)}. Expected shapes: {[v.shape for v in variables]}."
            )
        arrays = [np.asarray(w) for w in weights]
        for variable, array in zip(variables, arrays, strict=True):
            if array.shape != variable.shape:
                raise ValueError(
                    f"Weight shape mismatch for '{variable.path}' in model '{self.name}': "
                    f"expected shape {variable.shape}, received shape {array.shape}."
                )
        for variable, array in zip(variables, arrays, strict=True):
            variable.assign(array)

    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        """Write the weights to a `.weights.h5` file in Keras 3's layout."""
        from designer.engine.saving import save_weights

        save_weights(self, filepath)

    def load_weights(self, filepath: str, skip_mismatch: bool = False) -> None:
        """Read weights written by `save_weights` here or in Keras 3."""
        from designer.engine.saving import load_weights

        load_weights(self, filepath)

    def count_params(self) -> int:
        return int(sum(v.size for v in self.weights))

    @property
    def losses(self) -> list[float]:
        return [loss for layer in self.layers for loss in layer.losses]

    # -- calling -------------------------------------------------------------------
    def __call__(self, inputs: Any, training: bool = False) -> Any:
        if self.graph is None:
            raise ValueError(f"Model '{self.name}' is not built yet.")
        arrays = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        outputs, _ = self.graph.forward(
            [np.asarray(a, dtype=np.float32) for a in arrays], training=training
        )
        return outputs[0] if len(outputs) == 1 else outputs

    def layer_calls(self, inputs: Any) -> list[tuple[Layer, list[np.ndarray], list[np.ndarray]]]:
        """`(layer, inputs, outputs)` of every layer call, in execution order (inference).

        What Keras users get from `Model(model.inputs, [la.output for la in model.layers])`,
        plus each call's inputs and every call of a shared layer, in one forward pass.
        Steps are run unfused, so each value is exactly that layer's output.
        """
        if self.graph is None:
            raise ValueError(f"Model '{self.name}' is not built yet.")
        graph = self.graph
        arrays = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        values: list[Any] = [None] * graph.n_slots
        for slot, array in zip(graph.input_slots, arrays, strict=True):
            values[slot] = np.asarray(array, dtype=np.float32)
        calls = []
        for layer, ins, outs, multi in graph.steps:
            given = [values[i] for i in ins] if multi else values[ins]
            y, _ = layer.forward(given, False)
            made = list(y) if len(outs) > 1 else [y]
            for slot, value in zip(outs, made, strict=True):
                values[slot] = value
            calls.append((layer, given if multi else [given], made))
        return calls

    def summary(
        self,
        line_length: int | None = None,
        positions: Any = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        """Print Keras' table: layer (type), output shape, params (and connections)."""
        from designer.engine.models.summary import summary_text

        text = summary_text(self, line_length=line_length, show_trainable=show_trainable)
        if print_fn is None:
            print(text)
        else:
            for line in text.split("\n"):
                print_fn(line)

    # -- serialisation -------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        from designer.engine.models.serialization import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Model:
        from designer.engine.models.serialization import functional_from_config

        return functional_from_config(config)

    def to_json(self, **kwargs: Any) -> str:
        from designer.engine.models.serialization import model_to_json

        return model_to_json(self, **kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
