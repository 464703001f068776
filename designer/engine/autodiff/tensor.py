"""The `Tensor` type and the primitives its operators record.

A Tensor wraps an ndarray and remembers the primitive that produced it
(`record(value, parents, backward)`); `graph.backward` walks those records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

# Dtype given to bare Python floats wrapped in a Tensor; `backend.set_floatx`
# keeps it in step with `floatx()` (autodiff must not import backend).
_default_float = "float32"


def get_default_float() -> str:
    return _default_float


def set_default_float(name: str) -> None:
    global _default_float
    _default_float = str(name)


Backward = Callable[[np.ndarray], Sequence[Any]]


def is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


def value_of(x: Any) -> Any:
    """The ndarray (or Python scalar) behind `x`, without copying."""
    return x.value if isinstance(x, Tensor) else x


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `g` over the axes that broadcasting added or stretched to get `shape`."""
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    if g.shape != shape:  # only when g was smaller than shape (never for our ops)
        g = np.broadcast_to(g, shape)
    return g


def _as_operand(x: Any) -> Any:
    """Keep Python scalars weak (so float32 stays float32); arrays for the rest."""
    if isinstance(x, Tensor):
        return x.value
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x
    return np.asarray(x)


def coerce_pair(a: Any, b: Any) -> tuple[Any, Any]:
    """Keras-like promotion: an int/bool array meeting a float array takes its dtype.

    NumPy would turn int64 (labels) with float32 into float64; Keras keeps float32.
    """
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        ka, kb = a.dtype.kind, b.dtype.kind
        if ka == "f" and kb in "biu":
            b = b.astype(a.dtype)
        elif kb == "f" and ka in "biu":
            a = a.astype(b.dtype)
    return a, b


class Tensor:
    """An ndarray that records how it was computed so gradients can flow back.

    Comparisons return plain boolean ndarrays (they have no gradient).
    """

    __slots__ = ("__weakref__", "_backward", "_parents", "grad", "name", "value")
    # Make NumPy defer `ndarray <op> Tensor` to our reflected operators.
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __init__(self, value: Any, name: str | None = None) -> None:
        if isinstance(value, Tensor):
            value = value.value
        elif isinstance(value, float):
            value = np.asarray(value, dtype=_default_float)
        elif not isinstance(value, np.ndarray):
            value = np.asarray(value)
        self.value: np.ndarray = value
        self.grad: np.ndarray | None = None
        self._parents: tuple[Tensor, ...] = ()
        self._backward: Backward | None = None
        self.name = name

    # -- array-like properties -------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    @property
    def size(self) -> int:
        return self.value.size

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        return f"Tensor({self.value!r})"

    def numpy(self) -> np.ndarray:
        return self.value

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.value if dtype is None else self.value.astype(dtype)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __float__(self) -> float:
        return float(self.value)

    __hash__ = object.__hash__

    def backward(self, seed: Any = None) -> None:
        """Accumulate d(sum(self * seed))/d(leaf) into every leaf's `.grad`."""
        from .graph import backward

        backward(self, seed)

    # -- arithmetic ------------------------------------------------------------
    def __add__(self, other: Any) -> Tensor:
        return binary_op(self, other, np.add, _d_add_a, _d_add_b)

    def __radd__(self, other: Any) -> Tensor:
        return binary_op(other, self, np.add, _d_add_a, _d_add_b)

    def __sub__(self, other: Any) -> Tensor:
        return binary_op(self, other, np.subtract, _d_add_a, _d_sub_b)

    def __rsub__(self, other: Any) -> Tensor:
        return binary_op(other, self, np.subtract, _d_add_a, _d_sub_b)

    def __mul__(self, other: Any) -> Tensor:
        return binary_op(self, other, np.multiply, _d_mul_a, _d_mul_b)

    def __rmul__(self, other: Any) -> Tensor:
        return binary_op(other, self, np.multiply, _d_mul_a, _d_mul_b)

    def __truediv__(self, other: Any) -> Tensor:
        return binary_op(self, other, np.true_divide, _d_div_a, _d_div_b)

    def __rtruediv__(self, other: Any) -> Tensor:
        return binary_op(other, self, np.true_divide, _d_div_a, _d_div_b)

    def __pow__(self, other: Any) -> Tensor:
        return binary_op(self, other, np.power, _d_pow_a, _d_pow_b)

    def __rpow__(self, other: Any) -> Tensor:
        return binary_op(other, self, np.power, _d_pow_a, _d_pow_b)

    def __matmul__(self, other: Any) -> Tensor:
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul(other, self)

    def __neg__(self) -> Tensor:
        return record(-self.value, (self,), lambda g: (-g,))

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        x = self.value
        return record(np.abs(x), (self,), lambda g: (g * np.sign(x),))

    # -- comparisons: plain, non-differentiable results ------------------------
    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self.value == _as_operand(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self.value != _as_operand(other)

    def __lt__(self, other: Any) -> np.ndarray:
        return self.value < _as_operand(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.value <= _as_operand(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.value > _as_operand(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.value >= _as_operand(other)

    # -- structure -------------------------------------------------------------
    def __getitem__(self, index: Any) -> Tensor:
        if isinstance(index, Tensor):
            index = index.value
        elif isinstance(index, tuple):
            index = tuple(i.value if isinstance(i, Tensor) else i for i in index)
        x = self.value
        out = x[index]
        fancy = _is_fancy(index)

        def back(g: np.ndarray) -> tuple[np.ndarray]:
            gx = np.zeros(x.shape, dtype=g.dtype)
            if fancy:
                np.add.at(gx, index, g)  # repeated indices must accumulate
            else:
                gx[index] = g
            return (gx,)

        return record(np.asarray(out), (self,), back)

    def reshape(self, *shape: Any) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def transpose(self, *axes: Any) -> Tensor:
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return transpose(self, axes or None)

    # `dtype`/`out` let np.sum(t) / np.mean(t) dispatch here (they must be None).
    def sum(
        self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False
    ) -> Tensor:
        _no_out(out)
        return reduce_sum(self, axis, keepdims)

    def mean(
        self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False
    ) -> Tensor:
        _no_out(out)
        return reduce_mean(self, axis, keepdims)

    def astype(self, dtype: Any) -> Tensor:
        src = self.value.dtype
        return record(self.value.astype(dtype), (self,), lambda g: (g.astype(src),))


def _no_out(out: Any) -> None:
    if out is not None:
        raise TypeError("Tensor reductions cannot write into `out=` arrays.")


def _is_fancy(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, (list, np.ndarray)) for i in items)


def record(value: Any, parents: Sequence[Tensor], backward_fn: Backward) -> Tensor:
    """A new Tensor holding `value`, whose gradient flows to `parents` via `backward_fn`.

    `backward_fn(g)` gets the upstream gradient (shape of `value`) and returns one
    array (or None) per parent, already in that parent's shape. It must not write
    into `g`.
    """
    t = Tensor(value if isinstance(value, np.ndarray) else np.asarray(value))
    t._parents = tuple(parents)
    t._backward = backward_fn
    return t


def binary_op(a: Any, b: Any, fwd: Callable, da: Callable, db: Callable) -> Tensor:
    """Record `fwd(a, b)`; `da/db(g, a, b, out)` give the (pre-unbroadcast) grads."""
    av, bv = coerce_pair(_as_operand(a), _as_operand(b))
    out = fwd(av, bv)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    parents = tuple(t for t, keep in ((a, ta), (b, tb)) if keep)

    def back(g: np.ndarray) -> tuple[Any, ...]:
        grads = []
        if ta:
            grads.append(unbroadcast(da(g, av, bv, out), a.value.shape))
        if tb:
            grads.append(unbroadcast(db(g, av, bv, out), b.value.shape))
        return tuple(grads)

    return record(out, parents, back)


# Gradients of the binary operators: (g, a, b, out) -> grad before unbroadcasting.
def _d_pow_b(g, a, b, out):
    a = np.asarray(a)
    safe = np.where(a > 0, a, 1)  # d(a**b)/db = a**b * log(a), defined for a > 0
    return g * out * np.log(safe)


_d_add_a = _d_add_b = lambda g, a, b, out: g
_d_sub_b = lambda g, a, b, out: -g  # noqa: E731
_d_mul_a = lambda g, a, b, out: g * b  # noqa: E731
_d_mul_b = lambda g, a, b, out: g * a  # noqa: E731
_d_div_a = lambda g, a, b, out: g / b  # noqa: E731
_d_div_b = lambda g, a, b, out: -g * out / b  # noqa: E731
_d_pow_a = lambda g, a, b, out: g * b * np.power(a, b - 1)  # noqa: E731


def norm_axis(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (list, tuple)):
        return tuple(sorted(int(a) % ndim for a in axis)) if ndim else ()
    return (int(axis) % ndim,) if ndim else ()


def keep_reduced(g: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """Re-insert the reduced axes into `g` so it broadcasts against the input."""
    return g if keepdims or not axes else np.expand_dims(g, axes)


def reduce_sum(x: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
    xv = x.value
    axes = norm_axis(axis, xv.ndim)
    out = np.sum(xv, axis=axes, keepdims=keepdims)
    shape = xv.shape
    return record(out, (x,), lambda g: (np.broadcast_to(keep_reduced(g, axes, keepdims), shape),))


def reduce_mean(x: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
    xv = x.value
    axes = norm_axis(axis, xv.ndim)
    out = np.mean(xv, axis=axes, keepdims=keepdims)
    shape = xv.shape
    n = max(int(np.prod([shape[a] for a in axes])), 1)
    return record(
        out,
        (x,),
        lambda g: (np.broadcast_to(keep_reduced(g, axes, keepdims) / n, shape),),
    )


def reshape(x: Tensor, shape: Sequence[int]) -> Tensor:
    src = x.value.shape
    return record(x.value.reshape(shape), (x,), lambda g: (g.reshape(src),))


def transpose(x: Tensor, axes: Sequence[int] | None = None) -> Tensor:
    if axes is None:
        axes = tuple(reversed(range(x.value.ndim)))
    inverse = tuple(np.argsort(axes))
    return record(np.transpose(x.value, axes), (x,), lambda g: (np.transpose(g, inverse),))


def matmul(a: Any, b: Any) -> Any:
    """`a @ b` with NumPy's matmul rules (1-D operands, batch broadcasting)."""
    av, bv = coerce_pair(_as_operand(a), _as_operand(b))
    av, bv = np.asarray(av), np.asarray(bv)
    out = np.matmul(av, bv)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if not (ta or tb):
        return out

    def back(g: np.ndarray) -> tuple[np.ndarray, ...]:
        a2 = av[None, :] if av.ndim == 1 else av
        b2 = bv[:, None] if bv.ndim == 1 else bv
        g2 = np.asarray(g)
        if bv.ndim == 1:  # restore the dropped column axis first, then the row axis
            g2 = g2[..., None]
        if av.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        grads = []
        if ta:
            ga = np.matmul(g2, np.swapaxes(b2, -1, -2))
            ga = unbroadcast(ga, a2.shape)
            grads.append(ga.reshape(av.shape))
        if tb:
            gb = np.matmul(np.swapaxes(a2, -1, -2), g2)
            gb = unbroadcast(gb, b2.shape)
            grads.append(gb.reshape(bv.shape))
        return tuple(grads)

    return record(out, tuple(t for t, k in ((a, ta), (b, tb)) if k), back)
