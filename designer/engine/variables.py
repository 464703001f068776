"""Weights as named float32 arrays that layers own and optimizers update in place.

A `Variable` wraps one NumPy array. Its `value` may be re-pointed to a view into a
flat buffer shared by all of a model's trainable weights (see
`designer.engine.models.parameters`), so code must write through `assign` (which
copies into the existing storage) rather than rebinding `value`.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Variable:
    """A named, shaped weight array, as `keras.Variable`."""

    def __init__(
        self,
        value: Any,
        name: str = "variable",
        trainable: bool = True,
        dtype: str | np.dtype = "float32",
        regularizer: Any = None,
        constraint: Any = None,
    ) -> None:
        self.value = np.array(value, dtype=dtype)
        self.name = name
        self.path = name
        self.trainable = trainable
        self.regularizer = regularizer
        self.constraint = constraint
        self._grad_pack: Any = None  # set by the ParameterPack that stores this weight

    def gradient_buffer(self) -> np.ndarray | None:
        """Storage that this training step's gradient may be written straight into.

        Layers pass it as `out=` to the product that computes their weight gradient,
        which saves copying the gradient into the optimizer's flat buffer. None outside
        a training step, or when the weight already got a gradient this step (a shared
        layer's second call, whose gradient must be added instead).
        """
        pack = self._grad_pack
        return None if pack is None else pack.claim_grad(self)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    @property
    def size(self) -> int:
        return int(self.value.size)

    def numpy(self) -> np.ndarray:
        """A copy of the current value, safe to keep."""
        return self.value.copy()

    def assign(self, value: Any) -> None:
        """Copy `value` into the existing storage (keeps flat-buffer views valid)."""
        value = np.asarray(value)
        if value.shape != self.value.shape:
            raise ValueError(
                f"Cannot assign to variable `{self.path}`: expected shape "
                f"{self.value.shape}, received shape {value.shape}."
            )
        self.value[...] = value

    def assign_add(self, delta: Any) -> None:
        self.value += delta

    def assign_sub(self, delta: Any) -> None:
        self.value -= delta

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.value if dtype is None else self.value.astype(dtype)

    def __repr__(self) -> str:
        return f"<Variable path={self.path} shape={self.shape} dtype={self.dtype}>"
