"""The layer protocol every engine layer follows.

As in Keras: `build(input_shape)` creates weights lazily with `add_weight`;
`compute_output_shape` answers without data; `get_config` serialises. Numbers flow
through two primitives that each layer implements:

* `forward(inputs, training) -> (outputs, ctx)`: compute, and keep in `ctx` what
  backward needs. The context belongs to this call (this graph node), never to the
  layer, so a layer used twice (shared weights) back-propagates correctly.
* `backward(ctx, grad_outputs) -> (grad_inputs, weight_grads)`: the vector-Jacobian
  product; `weight_grads` lines up with `self.weights` (None where a weight gets no
  gradient).

Calling a layer on a symbolic tensor records a graph node; on arrays, runs it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from designer.engine import naming
from designer.engine.symbolic import KerasTensor, Node, Shape, is_symbolic
from designer.engine.variables import Variable

# Keyword arguments every layer accepts, including Keras 1/2 spellings.
_BASE_KWARGS = {"input_shape", "input_dim", "batch_size", "batch_input_shape", "dtype"}

_weight_budget: ContextVar[list[int] | None] = ContextVar("weight_budget", default=None)


@contextmanager
def weight_budget(values: int) -> Iterator[None]:
    """Refuse weights beyond `values` numbers in total while models are built inside.

    A model rebuilt from a file's config (`Dense(units=10**12)`) must fail before its
    weights are allocated; the file's own weights bound how many values it can hold.
    """
    token = _weight_budget.set([int(values)])
    try:
        yield
    finally:
        _weight_budget.reset(token)


def _spend_weight_budget(layer: str, shape: tuple[int, ...]) -> None:
    budget = _weight_budget.get()
    if budget is None or not all(isinstance(d, int | np.integer) for d in shape):
        return
    count = math.prod(int(d) for d in shape)
    if count > budget[0]:
        raise ValueError(
            f"Layer '{layer}' needs a weight of shape {shape} ({count:,} values), more than "
            f"the {budget[0]:,} values left for this model."
        )
    budget[0] -= count


class Layer:
    """Base class of all layers."""

    # Layers whose backward accepts `input_grad=False` (skip d(loss)/d(input) when
    # nothing upstream needs it, e.g. the first Dense of a model).
    can_skip_input_grad = False

    def __init__(
        self,
        name: str | None = None,
        trainable: bool = True,
        dtype: str | None = None,
        **kwargs: Any,
    ) -> None:
        unknown = set(kwargs) - _BASE_KWARGS
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(unknown)}"
            )
        self.name = name or naming.unique_name(naming.to_snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self.dtype = dtype or "float32"
        self.built = False
        self._weights: list[Variable] = []
        self._inbound_nodes: list[Node] = []
        self._batch_input_shape = self._legacy_input_shape(kwargs)

    @staticmethod
    def _legacy_input_shape(kwargs: dict[str, Any]) -> Shape | None:
        """`input_shape=`, `input_dim=`, `batch_input_shape=`, `batch_size=` (Keras 1/2)."""
        batch_size = kwargs.get("batch_size")
        if kwargs.get("batch_input_shape") is not None:
            return tuple(kwargs["batch_input_shape"])
        if kwargs.get("input_shape") is not None:
            shape = kwargs["input_shape"]
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            return (batch_size, *shape)
        if kwargs.get("input_dim") is not None:
            return (batch_size, int(kwargs["input_dim"]))
        return None

    # -- weights -------------------------------------------------------------------
    def add_weight(
        self,
        shape: tuple[int, ...] = (),
        initializer: Any = "glorot_uniform",
        dtype: str | None = None,
        trainable: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        name: str | None = None,
    ) -> Variable:
        from designer.engine import initializers, regularizers

        init = initializers.get(initializer)
        _spend_weight_budget(self.name, tuple(shape))
        value = np.asarray(init(tuple(shape), dtype=dtype or self.dtype), dtype=dtype or self.dtype)
        variable = Variable(
            value,
            name=name or f"variable_{len(self._weights)}",
            trainable=trainable and self._trainable,
            regularizer=regularizers.get(regularizer),
            constraint=constraint,
        )
        variable._declared_trainable = trainable  # type: ignore[attr-defined]
        variable.path = f"{self.name}/{variable.name}"
        self._weights.append(variable)
        return variable

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for variable in self._weights:
            variable.trainable = self._trainable and getattr(variable, "_declared_trainable", True)

    @property
    def weights(self) -> list[Variable]:
        return list(self._weights)

    @property
    def trainable_weights(self) -> list[Variable]:
        return [v for v in self._weights if v.trainable]

    @property
    def non_trainable_weights(self) -> list[Variable]:
        return [v for v in self._weights if not v.trainable]

    # Keras 3 aliases
    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights, in Keras' order (Dense: kernel, then bias)."""
        return [v.numpy() for v in self._weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Replace all weights at once; a wrong count or shape changes nothing."""
        weights = list(weights)
        if len(weights) != len(self._weights):
            raise ValueError(
                f"Layer '{self.name}' expected {len(self._weights)} weights, but received "
                f"{len(weights)} weights. Expected shapes: "
                f"{[v.shape for v in self._weights]}."
            )
        arrays = []
        for variable, value in zip(self._weights, weights, strict=True):
            array = np.asarray(value)
            if array.dtype == object:
                raise ValueError(f"Layer '{self.name}': weight '{variable.name}' is not numeric.")
            if array.shape != variable.shape:
                raise ValueError(
                    f"Layer '{self.name}' weight shape mismatch for '{variable.name}': "
                    f"expected shape {variable.shape}, received shape {array.shape}."
                )
            arrays.append(array)
        for variable, array in zip(self._weights, arrays, strict=True):
            variable.assign(array)

    def count_params(self) -> int:
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer "
                "isn't built. Build it first (call it on data or give it an input shape)."
            )
        return int(sum(v.size for v in self._weights))

    @property
    def losses(self) -> list[float]:
        """Regularisation penalties of this layer's weights (added to the training loss)."""
        return [float(v.regularizer(v.value)) for v in self._weights if v.regularizer is not None]

    # -- the protocol --------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def forward(self, inputs: Any, training: bool = False) -> tuple[Any, Any]:
        raise NotImplementedError(f"{type(self).__name__} does not implement forward().")

    def backward(self, ctx: Any, grad_outputs: Any) -> tuple[Any, list[np.ndarray | None]]:
        raise NotImplementedError(f"{type(self).__name__} does not implement backward().")

    def call(self, inputs: Any, training: bool = False) -> Any:
        outputs, _ = self.forward(inputs, training=training)
        return outputs

    def validate_input_shape(self, input_shape: Any) -> None:
        """Raise a clear ValueError when this layer cannot take `input_shape`."""

    # -- calling -------------------------------------------------------------------
    def __call__(self, inputs: Any, training: bool | None = None, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(f"Layer '{self.name}' got unexpected call arguments: {sorted(kwargs)}")
        if is_symbolic(inputs):
            return self._call_symbolic(inputs)
        arrays = _as_arrays(inputs, self.dtype)
        shape = _shape_of(arrays)
        self._ensure_built(shape)
        return self.call(arrays, training=bool(training))

    def _ensure_built(self, input_shape: Any) -> None:
        self.validate_input_shape(input_shape)
        if not self.built:
            self.build(input_shape)
            self.built = True

    def _call_symbolic(self, inputs: Any) -> Any:
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        shapes = [t.shape for t in inputs] if isinstance(inputs, list) else inputs.shape
        self._ensure_built(shapes)
        output_shape = self.compute_output_shape(shapes)
        multiple = isinstance(output_shape, list)
        outputs = [KerasTensor(s) for s in (output_shape if multiple else [output_shape])]
        node = Node(layer=self, inputs=inputs, outputs=outputs)
        self._inbound_nodes.append(node)
        for index, tensor in enumerate(outputs):
            tensor._keras_history = (self, len(self._inbound_nodes) - 1, index)
            tensor.name = self.name
        return outputs if multiple else outputs[0]

    # -- shapes known from the graph -----------------------------------------------
    @property
    def input(self) -> Any:
        return self._only_node("input").inputs

    @property
    def output(self) -> Any:
        outputs = self._only_node("output").outputs
        return outputs if len(outputs) > 1 else outputs[0]

    @property
    def input_shape(self) -> Any:
        node = self._only_node("input_shape")
        return (
            [t.shape for t in node.inputs] if isinstance(node.inputs, list) else node.inputs.shape
        )

    @property
    def output_shape(self) -> Any:
        shapes = [t.shape for t in self._only_node("output_shape").outputs]
        return shapes if len(shapes) > 1 else shapes[0]

    def _only_node(self, attribute: str) -> Node:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called and thus has no defined {attribute}."
            )
        return self._inbound_nodes[0]

    # -- serialisation -------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self.dtype,
        }
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _as_arrays(inputs: Any, dtype: str) -> Any:
    if isinstance(inputs, (list, tuple)):
        return [_as_array(x, dtype) for x in inputs]
    return _as_array(inputs, dtype)


def _as_array(value: Any, dtype: str) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype != dtype and array.dtype.kind in "biuf":
        array = array.astype(dtype)
    return array


def _shape_of(arrays: Any) -> Any:
    if isinstance(arrays, list):
        return [(None, *a.shape[1:]) for a in arrays]
    return (None, *arrays.shape[1:])
