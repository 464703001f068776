"""Flatten and Reshape: change how the features of each sample are laid out."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from designer.engine.layers.base import Layer


def _known_prod(dims: Any) -> int | None:
    return None if any(d is None for d in dims) else int(math.prod(dims))


class Flatten(Layer):
    """Flattens each sample to one axis (the batch axis is kept).

    With `data_format="channels_first"` (the default after
    `K.set_image_dim_ordering('th')`), channels are moved last before flattening, as
    Keras does, so weights after it match a channels-last model's.
    Input shape: `(batch, ...)`. Output shape: `(batch, prod(...))`.
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from designer.engine import backend

        self.data_format = data_format or backend.image_data_format()

    def _moves_channels(self, ndim: int) -> bool:
        return self.data_format == "channels_first" and ndim > 2

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return (input_shape[0], _known_prod(input_shape[1:]))

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        x = inputs
        if self._moves_channels(x.ndim):
            x = np.moveaxis(x, 1, -1)
        return x.reshape(x.shape[0], -1), inputs.shape

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        shape = ctx
        if self._moves_channels(len(shape)):
            moved = (shape[0], *shape[2:], shape[1])
            return np.moveaxis(grad_outputs.reshape(moved), -1, 1), []
        return grad_outputs.reshape(shape), []

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (one entry may be -1).

    Input shape: `(batch, ...)`. Output shape: `(batch, *target_shape)`.
    """

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target_shape = (target_shape,) if isinstance(target_shape, int) else tuple(target_shape)
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(
                f"There can only be one unknown dimension (-1) in `target_shape`. "
                f"Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape

    def _resolve(self, input_shape: Any) -> tuple:
        size = _known_prod(input_shape[1:])
        target = list(self.target_shape)
        if -1 in target and size is not None:
            known = math.prod(d for d in target if d != -1)
            if known == 0 or size % known:
                raise self._mismatch(input_shape)
            target[target.index(-1)] = size // known
        elif -1 in target:
            target[target.index(-1)] = None
        elif size is not None and math.prod(target) != size:
            raise self._mismatch(input_shape)
        return tuple(target)

    def _mismatch(self, input_shape: Any) -> ValueError:
        return ValueError(
            f"Layer '{self.name}' (Reshape): the total size of the target shape "
            f"{self.target_shape} must equal the size of each input sample. Received input "
            f"shape {input_shape} ({_known_prod(input_shape[1:])} values per sample)."
        )

    def validate_input_shape(self, input_shape: Any) -> None:
        self._resolve(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return (input_shape[0], *self._resolve(input_shape))

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        return inputs.reshape(inputs.shape[0], *self.target_shape), inputs.shape

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        return grad_outputs.reshape(ctx), []

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "target_shape": list(self.target_shape)}
