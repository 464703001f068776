"""Merge layers: combine several tensors into one (the Functional API's joins)."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.layers.base import Layer


def _reduce_to(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back down to an operand's shape."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class _Merge(Layer):
    """Element-wise merge of two or more inputs of compatible shapes."""

    min_inputs = 2
    max_inputs: int | None = None

    def validate_input_shape(self, input_shape: Any) -> None:
        kind = type(self).__name__
        if not isinstance(input_shape, list) or len(input_shape) < self.min_inputs:
            raise ValueError(
                f"A `{kind}` layer should be called on a list of at least {self.min_inputs} "
                f"inputs. Received: input_shape={input_shape}"
            )
        if self.max_inputs is not None and len(input_shape) > self.max_inputs:
            raise ValueError(
                f"A `{kind}` layer should be called on exactly {self.max_inputs} inputs. "
                f"Received {len(input_shape)} inputs."
            )
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = [tuple(s) for s in input_shape]
        rank = max(len(s) for s in shapes)
        out: list[int | None] = []
        for axis in range(rank):
            dims = {s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0}
            known = {d for d in dims if d not in (None, 1)}
            if len(known) > 1:
                raise ValueError(
                    f"Inputs of layer '{self.name}' ({type(self).__name__}) have incompatible "
                    f"shapes. Received shapes {', '.join(str(s) for s in shapes)}: every "
                    "input must have the same shape."
                )
            out.append(known.pop() if known else (1 if dims == {1} else None))
        return tuple(out)

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def forward(self, inputs: list[np.ndarray], training: bool = False) -> tuple[np.ndarray, Any]:
        y = self._reduce(inputs)
        return y, (inputs, y)


class Add(_Merge):
    """Sum of the inputs. Input shapes: equal. Output shape: the same."""

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        total = inputs[0] + inputs[1]
        for x in inputs[2:]:
            total += x
        return total

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        inputs, _ = ctx
        return [_reduce_to(dy, x.shape) for x in inputs], []


class Subtract(_Merge):
    """First input minus the second. Input shapes: two, equal. Output shape: the same."""

    max_inputs = 2

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        return inputs[0] - inputs[1]

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        (a, b), _ = ctx
        return [_reduce_to(dy, a.shape), _reduce_to(-dy, b.shape)], []


class Multiply(_Merge):
    """Element-wise product of the inputs. Input shapes: equal. Output shape: the same."""

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        product = inputs[0] * inputs[1]
        for x in inputs[2:]:
            product *= x
        return product

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        inputs, _ = ctx
        grads = []
        for i, x in enumerate(inputs):
            others = dy
            for j, other in enumerate(inputs):
                if j != i:
                    others = others * other
            grads.append(_reduce_to(others, x.shape))
        return grads, []


class Average(_Merge):
    """Element-wise mean of the inputs. Input shapes: equal. Output shape: the same."""

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        total = Add._reduce(self, inputs)
        return total * np.asarray(1.0 / len(inputs), dtype=total.dtype)

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        inputs, _ = ctx
        share = dy * np.asarray(1.0 / len(inputs), dtype=dy.dtype)
        return [_reduce_to(share, x.shape) for x in inputs], []


class _Extremum(_Merge):
    """Maximum/Minimum: the gradient goes to the input that was chosen (first on ties)."""

    _pick: Any = None

    def _reduce(self, inputs: list[np.ndarray]) -> np.ndarray:
        result = inputs[0]
        for x in inputs[1:]:
            result = type(self)._pick(result, x)
        return result

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        inputs, y = ctx
        taken = np.zeros(np.broadcast_shapes(*(x.shape for x in inputs)), dtype=bool)
        grads = []
        for x in inputs:
            chosen = (x == y) & ~taken
            taken |= chosen
            grads.append(_reduce_to(dy * chosen, x.shape))
        return grads, []


class Maximum(_Extremum):
    """Element-wise maximum of the inputs. Input shapes: equal. Output shape: the same."""

    _pick = np.maximum


class Minimum(_Extremum):
    """Element-wise minimum of the inputs. Input shapes: equal. Output shape: the same."""

    _pick = np.minimum


class Concatenate(Layer):
    """Joins the inputs along `axis` (default: the last).

    Input shapes: equal except along `axis`. Output shape: the sum along `axis`.
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = int(axis)

    def validate_input_shape(self, input_shape: Any) -> None:
        if not isinstance(input_shape, list) or len(input_shape) < 2:
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 2 inputs. "
                f"Received: input_shape={input_shape}"
            )
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        shapes = [tuple(s) for s in input_shape]
        rank = len(shapes[0])
        axis = self.axis % rank
        if any(len(s) != rank for s in shapes) or any(
            len({s[i] for s in shapes} - {None}) > 1 for i in range(rank) if i != axis
        ):
            raise ValueError(
                f"A `Concatenate` layer requires inputs with matching shapes except for the "
                f"concatenation axis. Received: input_shape={shapes}"
            )
        sizes = [s[axis] for s in shapes]
        total = None if None in sizes else sum(sizes)
        out = list(next((s for s in shapes if None not in s[1:]), shapes[0]))
        out[axis] = total
        return tuple(out)

    def forward(self, inputs: list[np.ndarray], training: bool = False) -> tuple[np.ndarray, Any]:
        return np.concatenate(inputs, axis=self.axis), [x.shape[self.axis] for x in inputs]

    def backward(self, ctx: Any, dy: np.ndarray) -> tuple[list[np.ndarray], list]:
        splits = np.cumsum(ctx)[:-1]
        return list(np.split(dy, splits, axis=self.axis)), []

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
