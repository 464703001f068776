"""Shape manipulation, products, casting and constructors for `backend`.

Like `math_ops`: Tensor in -> differentiable Tensor out, arrays in -> arrays out.
Products (`dot`, `batch_dot`) are compositions of differentiable primitives
(reshape, transpose, matmul), so their gradients come for free.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from designer.engine import autodiff
from designer.engine.autodiff import Tensor, record, value_of
from designer.engine.variables import Variable

from .config import floatx
from .math_ops import to_array


def _shape_tuple(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) if s is not None else -1 for s in shape)


def reshape(x: Any, shape: Any) -> Any:
    """Reshape; -1 (or None) infers one dimension."""
    shape = _shape_tuple(shape)
    if isinstance(x, Tensor):
        return autodiff.reshape(x, shape)
    return to_array(x).reshape(shape)


def transpose(x: Any, axes: Sequence[int] | None = None) -> Any:
    """Permute axes; by default reverse them (Keras 2 `K.transpose`)."""
    axes = None if axes is None else tuple(int(a) for a in axes)
    if isinstance(x, Tensor):
        return autodiff.transpose(x, axes)
    return np.transpose(to_array(x), axes)


def permute_dimensions(x: Any, pattern: Sequence[int]) -> Any:
    """Keras 2 name for `transpose(x, pattern)`."""
    return transpose(x, pattern)


def flatten(x: Any) -> Any:
    """All elements in one axis."""
    return reshape(x, (-1,))


def batch_flatten(x: Any) -> Any:
    """(batch, ...) -> (batch, prod(...))."""
    return reshape(x, (np.shape(value_of(x))[0], -1))


def expand_dims(x: Any, axis: int = -1) -> Any:
    """Insert a size-1 axis at `axis`."""
    shape = np.expand_dims(np.empty(np.shape(value_of(x)), dtype=bool), axis).shape
    return reshape(x, shape)


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove size-1 axes (`axis` given: only that one, which must be size 1)."""
    xs = np.shape(value_of(x))
    if axis is not None and xs[axis] != 1:
        raise ValueError(f"Cannot squeeze axis {axis}: expected size 1, received shape {xs}.")
    shape = np.squeeze(np.empty(xs, dtype=bool), axis=axis).shape
    return reshape(x, shape)


def _split_back(values: list[np.ndarray], tensors: list[Any], axis: int, stacked: bool):
    def back(g: np.ndarray) -> tuple[np.ndarray, ...]:
        if stacked:
            parts = [np.take(g, i, axis=axis) for i in range(len(values))]
        else:
            cuts = np.cumsum([v.shape[axis] for v in values])[:-1]
            parts = np.split(g, cuts, axis=axis)
        return tuple(p for p, t in zip(parts, tensors, strict=True) if isinstance(t, Tensor))

    return back


def _join(tensors: Sequence[Any], axis: int, stacked: bool) -> Any:
    tensors = list(tensors)
    values = [np.asarray(value_of(t)) for t in tensors]
    kinds = {v.dtype.kind for v in values}
    if "f" in kinds:  # labels (ints) joined with floats stay in the float dtype
        fdt = np.result_type(*[v for v in values if v.dtype.kind == "f"])
        values = [v if v.dtype.kind == "f" else v.astype(fdt) for v in values]
    out = np.stack(values, axis=axis) if stacked else np.concatenate(values, axis=axis)
    parents = tuple(t for t in tensors if isinstance(t, Tensor))
    if not parents:
        return out
    if not stacked:
        axis = axis % values[0].ndim
    return record(out, parents, _split_back(values, tensors, axis, stacked))


def concatenate(tensors: Sequence[Any], axis: int = -1) -> Any:
    """Join along an existing axis."""
    return _join(tensors, axis, stacked=False)


def stack(x: Sequence[Any], axis: int = 0) -> Any:
    """Join along a new axis."""
    return _join(x, axis, stacked=True)


def tile(x: Any, n: Any) -> Any:
    """Repeat the whole array `n[i]` times along axis i."""
    reps = _shape_tuple(n)
    if not isinstance(x, Tensor):
        return np.tile(to_array(x), reps)
    xv = x.value
    reps = (1,) * (xv.ndim - len(reps)) + reps
    shape = (1,) * (len(reps) - xv.ndim) + xv.shape
    out = np.tile(xv, reps)

    def back(g: np.ndarray) -> tuple[np.ndarray]:
        inter = [d for pair in zip(reps, shape, strict=True) for d in pair]
        summed = g.reshape(inter).sum(axis=tuple(range(0, 2 * len(reps), 2)))
        return (summed.reshape(xv.shape),)

    return record(out, (x,), back)


def repeat_elements(x: Any, rep: int, axis: int) -> Any:
    """Repeat each element `rep` times along `axis` (np.repeat)."""
    if not isinstance(x, Tensor):
        return np.repeat(to_array(x), rep, axis=axis)
    xv = x.value
    ax = axis % xv.ndim

    def back(g: np.ndarray) -> tuple[np.ndarray]:
        split = (*g.shape[:ax], xv.shape[ax], rep, *g.shape[ax + 1 :])
        return (g.reshape(split).sum(axis=ax + 1),)

    return record(np.repeat(xv, rep, axis=ax), (x,), back)


def gather(reference: Any, indices: Any) -> Any:
    """reference[indices] along axis 0 (gradients add up for repeated indices)."""
    idx = np.asarray(value_of(indices)).astype(np.intp)
    if isinstance(reference, Tensor):
        return reference[idx]
    return to_array(reference)[idx]


def cast(x: Any, dtype: Any) -> Any:
    """Change dtype; float->float stays differentiable, anything else is constant."""
    dtype = np.dtype(dtype)
    if not isinstance(x, Tensor):
        return to_array(x).astype(dtype)
    src = x.value.dtype
    out = x.value.astype(dtype)
    if dtype.kind == "f" and src.kind == "f":
        return record(out, (x,), lambda g: (g.astype(src),))
    return Tensor(out)


def stop_gradient(x: Any) -> Any:
    """The same values, cut off from the graph."""
    return Tensor(x.value) if isinstance(x, Tensor) else to_array(x)


def matmul(a: Any, b: Any) -> Any:
    """NumPy matmul semantics (batch broadcasting)."""
    return autodiff.matmul(a, b)


def dot(x: Any, y: Any) -> Any:
    """Keras 2 `K.dot`: matmul for rank <= 2, otherwise contract x's last axis
    with y's second-to-last (like Theano/TF `dot`)."""
    xs, ys = np.shape(value_of(x)), np.shape(value_of(y))
    if len(xs) <= 2 and len(ys) <= 2:
        return matmul(x, y)
    perm = [len(ys) - 2] + [i for i in range(len(ys)) if i != len(ys) - 2]
    x2 = reshape(x, (-1, xs[-1]))
    y2 = reshape(transpose(y, perm), (ys[-2], -1))
    return reshape(matmul(x2, y2), xs[:-1] + ys[:-2] + ys[-1:])


def batch_dot(x: Any, y: Any, axes: Any = None) -> Any:
    """Keras 2 `K.batch_dot`: per-sample dot product contracting `axes`."""
    xs, ys = np.shape(value_of(x)), np.shape(value_of(y))
    if len(xs) < 2 or len(ys) < 2:
        raise ValueError(
            "Cannot do batch_dot on inputs with rank < 2. "
            f"Received inputs with shapes {xs} and {ys}."
        )
    if xs[0] != ys[0]:
        raise ValueError(
            "Cannot do batch_dot on inputs with different batch sizes. "
            f"Received inputs with shapes {xs} and {ys}."
        )
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (len(xs) - 1, len(ys) - 1 if len(ys) == 2 else len(ys) - 2)
    a0, a1 = axes[0] % len(xs), axes[1] % len(ys)
    if a0 == 0 or a1 == 0:
        raise ValueError(
            "Cannot perform batch_dot over axis 0. If your inputs are not "
            "batched, add a dummy batch dimension with K.expand_dims(x, 0)."
        )
    if xs[a0] != ys[a1]:
        raise ValueError(
            f"Cannot do batch_dot on inputs with shapes {xs} and {ys} with "
            f"axes={tuple(axes)}. x.shape[{a0}] != y.shape[{a1}] "
            f"({xs[a0]} != {ys[a1]})."
        )
    x_rest = [i for i in range(1, len(xs)) if i != a0]
    y_rest = [i for i in range(1, len(ys)) if i != a1]
    xt = reshape(transpose(x, [0, *x_rest, a0]), (xs[0], -1, xs[a0]))
    yt = reshape(transpose(y, [0, a1, *y_rest]), (ys[0], ys[a1], -1))
    out_shape = (xs[0], *(xs[i] for i in x_rest), *(ys[i] for i in y_rest))
    if len(out_shape) == 1:
        out_shape = (xs[0], 1)
    return reshape(matmul(xt, yt), out_shape)


# --- constructors and introspection -----------------------------------------


def _dtype(dtype: Any) -> np.dtype:
    return np.dtype(floatx() if dtype is None else dtype)


def constant(
    value: Any, dtype: Any = None, shape: Any = None, name: str | None = None
) -> np.ndarray:
    """An array of `value` (broadcast to `shape` if given), floatx by default."""
    arr = np.asarray(value, dtype=_dtype(dtype))
    if shape is not None:
        arr = np.array(np.broadcast_to(arr, _shape_tuple(shape)))
    return arr


def variable(
    value: Any, dtype: Any = None, name: str | None = None, constraint: Any = None
) -> Variable:
    """An engine `Variable` (read it with `eval`/`get_value`)."""
    return Variable(
        np.asarray(value_of(value)),
        name=name or "variable",
        dtype=_dtype(dtype),
        constraint=constraint,
    )


def zeros(shape: Any, dtype: Any = None, name: str | None = None) -> np.ndarray:
    return np.zeros(_shape_tuple(shape), dtype=_dtype(dtype))


def ones(shape: Any, dtype: Any = None, name: str | None = None) -> np.ndarray:
    return np.ones(_shape_tuple(shape), dtype=_dtype(dtype))


def eye(size: int, dtype: Any = None, name: str | None = None) -> np.ndarray:
    return np.eye(size, dtype=_dtype(dtype))


def zeros_like(x: Any, dtype: Any = None, name: str | None = None) -> np.ndarray:
    return np.zeros_like(np.asarray(value_of(x)), dtype=dtype)


def ones_like(x: Any, dtype: Any = None, name: str | None = None) -> np.ndarray:
    return np.ones_like(np.asarray(value_of(x)), dtype=dtype)


def one_hot(indices: Any, num_classes: int) -> np.ndarray:
    """Integer labels -> floatx one-hot rows (a new last axis)."""
    idx = np.asarray(value_of(indices)).astype(np.intp)
    return np.eye(num_classes, dtype=floatx())[idx]


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: Any = "int32") -> np.ndarray:
    return np.arange(start, stop, step, dtype=dtype)


def random_uniform(
    shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: int | None = None
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(minval, maxval, _shape_tuple(shape)).astype(_dtype(dtype))


def random_normal(
    shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: int | None = None
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(mean, stddev, _shape_tuple(shape)).astype(_dtype(dtype))


def _raw(x: Any) -> np.ndarray:
    if isinstance(x, Variable):
        return x.value
    return np.asarray(value_of(x))


def _shape_of(x: Any) -> tuple:
    # symbolic tensors (layers' KerasTensor) have a shape but no values
    if not isinstance(x, (np.ndarray, Tensor, Variable)) and hasattr(x, "shape"):
        return tuple(x.shape)
    return tuple(_raw(x).shape)


def shape(x: Any) -> tuple:
    """The shape as a tuple (concrete for arrays; None for a symbolic batch axis)."""
    return _shape_of(x)


def int_shape(x: Any) -> tuple:
    return _shape_of(x)


def ndim(x: Any) -> int:
    return len(_shape_of(x))


def dtype(x: Any) -> str:
    """The dtype name, e.g. 'float32'."""
    if not isinstance(x, (np.ndarray, Tensor, Variable)) and hasattr(x, "dtype"):
        return str(np.dtype(x.dtype))
    return str(_raw(x).dtype)


def count_params(x: Any) -> int:
    return int(_raw(x).size)


def eval(x: Any) -> np.ndarray:
    """The value as an ndarray."""
    return _raw(x)


def get_value(x: Any) -> np.ndarray:
    return _raw(x).copy()


def set_value(x: Variable, value: Any) -> None:
    """Write into a Variable (in place, keeping views valid)."""
    x.assign(np.asarray(value))


def batch_get_value(xs: Sequence[Any]) -> list[np.ndarray]:
    return [get_value(x) for x in xs]


def batch_set_value(tuples: Sequence[tuple[Variable, Any]]) -> None:
    for var, value in tuples:
        set_value(var, value)
