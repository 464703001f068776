"""Reverse-mode sweeps over recorded Tensors: `backward`, `vjp`, `value_and_grad`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .tensor import Tensor, get_default_float, value_of


def backward(root: Tensor, seed: Any = None) -> None:
    """Back-propagate from `root` (seed defaults to ones) into every node's `.grad`.

    Leaves (Tensors not produced by an op) accumulate across calls, as in
    PyTorch; intermediate nodes are reset first so a second call stays correct.
    """
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:  # iterative post-order DFS: deep graphs must not hit recursion limits
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for p in node._parents:
            if id(p) not in seen:
                stack.append((p, False))
    for node in order:
        if node._backward is not None:
            node.grad = None
    if seed is None:
        g0 = np.ones_like(root.value)
    else:
        g0 = np.broadcast_to(np.asarray(seed, dtype=root.value.dtype), root.value.shape)
    root.grad = g0 if root.grad is None or root._backward is not None else root.grad + g0
    for node in reversed(order):
        if node._backward is None or node.grad is None:
            continue
        grads = node._backward(node.grad)
        for parent, gp in zip(node._parents, grads, strict=True):
            if gp is None:
                continue
            parent.grad = gp if parent.grad is None else parent.grad + gp


def vjp(
    fn: Callable[..., Any], args: Sequence[Any], argnums: Sequence[int] = (0,)
) -> tuple[np.ndarray, Callable[[Any], list[np.ndarray]]]:
    """Run `fn` once on Tensors for `argnums`; return its value and a pullback.

    `pullback(seed)` returns d(sum(value * seed))/d(args[i]) for each i in
    `argnums`, each in that arg's shape and dtype. Keep the pullback instead of
    re-running `fn` when the upstream gradient is known only later (e.g. a
    Lambda layer's backward pass).
    """
    args = list(args)
    leaves = []
    for i in argnums:
        leaf = Tensor(np.asarray(value_of(args[i])))
        args[i] = leaf
        leaves.append(leaf)
    out = fn(*args)
    value = np.asarray(out.value if isinstance(out, Tensor) else out)

    def pullback(seed: Any = None) -> list[np.ndarray]:
        for leaf in leaves:
            leaf.grad = None
        if isinstance(out, Tensor):
            backward(out, seed)
        grads = []
        for leaf in leaves:
            dtype = leaf.value.dtype if leaf.value.dtype.kind == "f" else get_default_float()
            if leaf.grad is None:
                grads.append(np.zeros(leaf.value.shape, dtype=dtype))
            else:
                grads.append(np.array(leaf.grad, dtype=dtype).reshape(leaf.value.shape))
        return grads

    return value, pullback


def value_and_grad(
    fn: Callable[..., Any],
    args: Sequence[Any],
    argnums: Sequence[int] = (0,),
    seed: Any = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """`fn(*args)` and the gradient of sum(value) (or the VJP with `seed`).

    Args in `argnums` are passed to `fn` as Tensors, the others unchanged.
    """
    value, pullback = vjp(fn, args, argnums)
    return value, pullback(seed)
