"""Weight penalties (Keras 3 formulas) with the gradient the training loop adds.

A regularizer is called on a weight array and returns the penalty added to the loss;
`gradient(x)` gives d penalty / dx, which the engine adds to the weight's gradient
(our engine has no autodiff through arbitrary Python, so each penalty carries its
own derivative). Keras 2's function forms `l1(0.01)`, `l2(0.01)`, `l1_l2()` work too.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np

from designer.engine.registry import Registry

__all__ = [
    "L1",
    "L1L2",
    "L2",
    "FunctionRegularizer",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]


def validate_float_arg(value: Any, name: str) -> float:
    """A non-negative finite float, or Keras' ValueError."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (float, int, np.floating, np.integer))
        or math.isinf(value)
        or math.isnan(value)
        or value < 0
    ):
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float. "
            f"Received: {name}={value!r}"
        )
    return float(value)


class Regularizer:
    """Base class: `penalty = reg(x)`, `grad = reg.gradient(x)`."""

    def __call__(self, x: np.ndarray) -> float:
        return 0.0

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """d penalty / dx, same shape and float dtype as `x`."""
        return np.zeros_like(np.asarray(x, dtype=_float_dtype(x)))

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        return cls(**config)

    def __repr__(self) -> str:
        try:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        except NotImplementedError:
            args = ""
        return f"{self.__class__.__name__}({args})"


def _float_dtype(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.floating):
        return np.dtype(dtype)
    return np.dtype(np.float32)


def _as_array(x: Any) -> np.ndarray:
    x = getattr(x, "value", x)  # accept an engine Variable
    return np.asarray(x, dtype=_float_dtype(x))


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x**2)`."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x: np.ndarray) -> float:
        x = _as_array(x)
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * float(np.abs(x).sum())
        if self.l2:
            penalty += self.l2 * float(np.vdot(x, x))
        return penalty

    def gradient(self, x: np.ndarray) -> np.ndarray:
        x = _as_array(x)
        grad = np.zeros_like(x)
        if self.l1:
            np.sign(x, out=grad)
            grad *= self.l1
        if self.l2:
            grad += (2.0 * self.l2) * x
        return grad

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """`l1 * sum(|x|)`; its gradient at 0 is taken as 0."""

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")

    def __call__(self, x: np.ndarray) -> float:
        return self.l1 * float(np.abs(_as_array(x)).sum())

    def gradient(self, x: np.ndarray) -> np.ndarray:
        grad = np.sign(_as_array(x))
        grad *= self.l1
        return grad

    def get_config(self) -> dict[str, Any]:
        return {"l1": self.l1}


class L2(Regularizer):
    """`l2 * sum(x**2)` (no factor 1/2, as Keras)."""

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x: np.ndarray) -> float:
        x = _as_array(x)
        return self.l2 * float(np.vdot(x, x))

    def gradient(self, x: np.ndarray) -> np.ndarray:
        return (2.0 * self.l2) * _as_array(x)

    def get_config(self) -> dict[str, Any]:
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D kernel towards orthogonality.

    penalty = factor * 0.5 * sum(|off-diagonal of N N^T|) / num_pairs, where N are the
    L2-normalised rows (mode="rows") or columns (mode="columns").
    """

    _EPSILON = 1e-7  # Keras' backend.epsilon(): lower bound of a row norm

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = validate_float_arg(factor, name="factor")
        if mode not in ("rows", "columns"):
            raise ValueError(
                "Invalid value for argument `mode`. Expected one of "
                f'{{"rows", "columns"}}. Received: mode={mode}'
            )
        self.mode = mode

    def _rows(self, x: Any) -> np.ndarray:
        x = _as_array(x)
        if x.ndim != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. "
                f"Received: inputs.shape={x.shape}"
            )
        return x if self.mode == "rows" else x.T

    def _parts(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        inv = 1.0 / np.maximum(np.sqrt((rows * rows).sum(axis=1, keepdims=True)), self._EPSILON)
        normed = rows * inv.astype(rows.dtype)
        product = normed @ normed.T
        np.fill_diagonal(product, 0.0)
        size = rows.shape[0]
        scale = self.factor * 0.5 / (size * (size - 1.0) / 2.0) if size > 1 else math.nan
        return inv, normed, product, scale

    def __call__(self, x: np.ndarray) -> float:
        _, _, product, scale = self._parts(self._rows(x))
        return scale * float(np.abs(product).sum())

    def gradient(self, x: np.ndarray) -> np.ndarray:
        rows = self._rows(x)
        inv, normed, product, scale = self._parts(rows)
        # d/dN of sum|N N^T| (off-diagonal) is 2 sign(P) N; then through N = x / |x|.
        g_normed = (2.0 * scale) * (np.sign(product) @ normed)
        radial = (normed * g_normed).sum(axis=1, keepdims=True)
        clamped = np.sqrt((rows * rows).sum(axis=1, keepdims=True)) < self._EPSILON
        grad = np.where(clamped, g_normed, g_normed - normed * radial) * inv
        grad = grad.astype(rows.dtype, copy=False)
        return grad if self.mode == "rows" else np.ascontiguousarray(grad.T)

    def get_config(self) -> dict[str, Any]:
        return {"factor": self.factor, "mode": self.mode}


def l1(l1: float = 0.01) -> L1:
    """Keras 2 function form of `L1`."""
    return L1(l1=l1)


def l2(l2: float = 0.01) -> L2:
    """Keras 2 function form of `L2`."""
    return L2(l2=l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    """Keras 2 function form of `L1L2`, with Keras 2's defaults of 0.01 each."""
    return L1L2(l1=l1, l2=l2)


orthogonal_regularizer = OrthogonalRegularizer


class FunctionRegularizer(Regularizer):
    """A plain function `fn(weights) -> penalty` (as in the Keras docs) made trainable.

    Its gradient comes from the engine's autodiff, so `fn` must use `keras.backend`
    ops (`K.sum`, `K.abs`, `K.square`...) rather than raw NumPy.
    """

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def __call__(self, x: np.ndarray) -> float:
        return float(np.asarray(self.fn(_as_array(x))))

    def gradient(self, x: np.ndarray) -> np.ndarray:
        from designer.engine import autodiff  # lazy: autodiff is not needed to build layers

        x = _as_array(x)
        leaf = autodiff.Tensor(x.copy())
        name = getattr(self.fn, "__name__", repr(self.fn))
        hint = (
            f"Cannot differentiate the custom regularizer {name}: write it with "
            "`keras.backend` ops (e.g. `K.sum(K.abs(w))`), or subclass `Regularizer` and "
            "define `gradient(x)`."
        )
        try:
            out = self.fn(leaf)
        except TypeError as e:  # NumPy ufuncs refuse autodiff Tensors
            raise TypeError(f"{hint} Error: {e}") from e
        if not autodiff.is_tensor(out):
            raise TypeError(hint)
        autodiff.backward(out)
        if leaf.grad is None:
            return np.zeros_like(x)
        return np.asarray(leaf.grad, dtype=x.dtype).reshape(x.shape)

    def __repr__(self) -> str:
        return f"FunctionRegularizer({getattr(self.fn, '__name__', self.fn)!r})"


ALL_OBJECTS_DICT: dict[str, Any] = {
    "Regularizer": Regularizer,
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1,
    "l2": L2,
    "l1l2": L1L2,
    "l1_l2": l1_l2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def _adapt(identifier: Any) -> Any:
    """Any class is instantiated; a function without its own gradient is differentiated."""
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier if hasattr(identifier, "gradient") else FunctionRegularizer(identifier)
    return None


REGISTRY = Registry(
    "regularizer",
    "keras.regularizers",
    ALL_OBJECTS_DICT,
    base=Regularizer,
    listing=lambda objects: (k for k in objects if k[0].islower()),
    full_stop=False,
    adapt=_adapt,
    # 'l1_l2' is a function (Keras 2's defaults), called with the config as keywords
    from_config=lambda cls, config, custom_objects: (
        cls.from_config(config) if hasattr(cls, "from_config") else cls(**config)
    ),
)


def serialize(regularizer: Regularizer) -> dict[str, Any]:
    """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
    return REGISTRY.serialize(regularizer)


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None
                ) -> Regularizer:
    """Inverse of `serialize`."""
    return REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Regularizer | None:
    """A regularizer from a name ('l1', 'l2', 'l1_l2'), config dict, instance, class or
    plain function (wrapped in `FunctionRegularizer`)."""
    return REGISTRY.get(identifier)
