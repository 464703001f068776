"""`Sequential`: a plain stack of layers, run on the same graph machinery as `Model`.

The graph is (re)built whenever the input shape is known: from an `InputLayer` or an
`Input` added first, from the first layer's `input_shape=`/`input_dim=`, or, failing
both, from the first data the model sees (`fit`, `predict`, ...).
"""

from __future__ import annotations

from typing import Any

from designer.engine.layers.base import Layer
from designer.engine.layers.input_layer import InputLayer
from designer.engine.models.functional import Model
from designer.engine.symbolic import KerasTensor


class Sequential(Model):
    """`Sequential([Dense(20, input_dim=5, activation='tanh'), Dense(1)])`, or `.add(...)`."""

    def __init__(
        self,
        layers: list[Any] | None = None,
        name: str | None = None,
        trainable: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._layers: list[Layer] = []
        self._input_layer: InputLayer | None = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    @staticmethod
    def _default_name() -> str:
        return "sequential"

    @property
    def layers(self) -> list[Layer]:
        """The layers as added (Keras leaves out the InputLayer)."""
        return list(self._layers)

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer; its input comes from the previous layer's output."""
        if isinstance(layer, KerasTensor) and layer.node.is_input:
            layer = layer.node.layer
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._layers:
                raise ValueError(
                    "An InputLayer can only be added first to a Sequential model, and only once."
                )
            self._input_layer = layer
        elif isinstance(layer, (Layer, Model)):
            if any(existing is layer for existing in self._layers):
                raise ValueError(f"Layer '{layer.name}' is already in model '{self.name}'.")
            self._layers.append(layer)
        else:
            raise ValueError(
                "Only instances of `Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if rebuild:
            try:
                self._rebuild()
            except Exception:
                # Nothing half-applied: the model stays as it was before this add.
                if self._layers and self._layers[-1] is layer:
                    self._layers.pop()
                if layer is self._input_layer:
                    self._input_layer = None
                self._rebuild()
                raise

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self._layers:
            raise ValueError("There are no layers in the model to pop.")
        layer = self._layers.pop()
        if rebuild:
            self._rebuild()
        return layer

    def _declared_input_shape(self) -> tuple | None:
        if self._input_layer is not None:
            return self._input_layer.batch_shape
        if self._layers and getattr(self._layers[0], "_batch_input_shape", None) is not None:
            return self._layers[0]._batch_input_shape
        return None

    def _rebuild(self, batch_shape: tuple | None = None) -> None:
        """Build the functional graph over the current layers (if the input is known)."""
        batch_shape = batch_shape or self._declared_input_shape()
        self._forget_own_nodes()
        if batch_shape is None or not self._layers:
            self.graph = None
            self._pack = None
            return
        if self._input_layer is None or self._input_layer.batch_shape != tuple(batch_shape):
            self._input_layer = InputLayer(batch_shape=batch_shape, name=self._input_name())
        inputs = self._input_layer.output_tensor
        x = inputs
        self._own_nodes: list[tuple[Layer, int]] = []
        for layer in self._layers:
            before = len(layer._inbound_nodes)
            x = layer(x)
            self._own_nodes.append((layer, before))
        self._set_graph(inputs, x)

    def _input_name(self) -> str:
        from designer.engine import naming

        return naming.unique_name("input_layer")

    def _forget_own_nodes(self) -> None:
        """Drop the nodes an earlier build added, so layer.input_shape stays truthful."""
        for layer, start in getattr(self, "_own_nodes", []):
            del layer._inbound_nodes[start:]
        self._own_nodes = []

    def _ensure_graph_for(self, what: str) -> None:
        """Compiling before the input shape is known is allowed (Keras builds on fit)."""

    def _build_from_data(self, shape: tuple) -> None:
        if not self._layers:
            raise ValueError(f"Sequential model '{self.name}' has no layers to run.")
        self._rebuild((None, *shape[1:]))

    @property
    def output_names(self) -> list[str]:
        if self._layers:
            return [self._layers[-1].name]
        return ["output"]

    @property
    def input_names(self) -> list[str]:
        return [self._input_layer.name] if self._input_layer is not None else ["input"]

    def get_config(self) -> dict[str, Any]:
        from designer.engine.models.serialization import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Sequential:
        from designer.engine.models.serialization import sequential_from_config

        return sequential_from_config(config)
