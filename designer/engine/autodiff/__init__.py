"""A small reverse-mode automatic differentiation engine over NumPy arrays.

Built-in layers, losses and activations have hand-written backward passes; this
module exists so that *user* code written with `backend` ops (custom losses,
metrics, activations, Lambda layers) can train too. A `Tensor` wraps an ndarray
and remembers the primitive that produced it; `backward` walks the graph in
reverse topological order and accumulates gradients with `+` on fan-out
(micrograd's rule), reducing broadcast gradients back to each operand's shape.

Primitives are added with `record(value, parents, backward)`: `backward(g)`
returns one gradient (or None) per parent. See `backend` for the op library.
"""

from __future__ import annotations

from .graph import backward, value_and_grad, vjp
from .tensor import (
    Tensor,
    binary_op,
    coerce_pair,
    get_default_float,
    is_tensor,
    keep_reduced,
    matmul,
    norm_axis,
    record,
    reduce_mean,
    reduce_sum,
    reshape,
    set_default_float,
    transpose,
    unbroadcast,
    value_of,
)

__all__ = [
    "Tensor",
    "backward",
    "binary_op",
    "coerce_pair",
    "get_default_float",
    "is_tensor",
    "keep_reduced",
    "matmul",
    "norm_axis",
    "record",
    "reduce_mean",
    "reduce_sum",
    "reshape",
    "set_default_float",
    "transpose",
    "unbroadcast",
    "value_and_grad",
    "value_of",
    "vjp",
]
