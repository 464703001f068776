"""`Input(...)` and the `InputLayer` behind it: where a graph starts."""

from __future__ import annotations

from typing import Any

from designer.engine.layers.base import Layer
from designer.engine.symbolic import KerasTensor, Node, Shape


class InputLayer(Layer):
    """Holds the shape of a model input; has no weights and computes nothing.

    Input shape: `shape` (without batch). Output shape: `(batch_size, *shape)`.
    """

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: str | None = None,
        sparse: bool | None = None,
        batch_shape: Any = None,
        input_tensor: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        # Keras 2 spellings
        if shape is None and kwargs.get("input_shape") is not None:
            shape = kwargs.pop("input_shape")
        if batch_shape is None and kwargs.get("batch_input_shape") is not None:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("input_shape", None)
        kwargs.pop("batch_input_shape", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        if batch_shape is not None:
            batch_shape = tuple(batch_shape)
        elif shape is not None:
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size, *shape)
        else:
            raise ValueError(
                "You must pass a `shape` argument to Input/InputLayer, e.g. Input(shape=(5,))."
            )
        for dim in batch_shape:
            if dim is not None and (not isinstance(dim, int) or dim <= 0):
                raise ValueError(
                    f"Invalid input shape {batch_shape}: every dimension must be a positive "
                    "integer or None."
                )
        self.batch_shape: Shape = batch_shape
        self.built = True
        tensor = KerasTensor(batch_shape, dtype=self.dtype, name=self.name)
        node = Node(layer=self, inputs=[], outputs=[tensor])
        self._inbound_nodes.append(node)
        tensor._keras_history = (self, 0, 0)
        self.output_tensor = tensor

    def forward(self, inputs: Any, training: bool = False) -> tuple[Any, None]:
        return inputs, None

    def backward(self, ctx: Any, grad_outputs: Any) -> tuple[Any, list]:
        return grad_outputs, []

    def get_config(self) -> dict[str, Any]:
        return {
            "batch_shape": list(self.batch_shape),
            "dtype": self.dtype,
            "sparse": False,
            "name": self.name,
        }


def Input(
    shape: Any = None,
    batch_size: int | None = None,
    dtype: str | None = None,
    sparse: bool | None = None,
    batch_shape: Any = None,
    name: str | None = None,
    tensor: Any = None,
) -> KerasTensor:
    """A symbolic model input: `inputs = Input(shape=(5,))`."""
    layer = InputLayer(
        shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape, name=name
    )
    return layer.output_tensor
