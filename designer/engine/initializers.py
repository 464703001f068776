"""Weight initializers with Keras 3 names, defaults and formulas.

As in Keras 3, a random initializer fixes its seed when it is constructed (drawn
from NumPy's global state when not given), so calling the same instance twice gives
the same values; `np.random.seed(7)` before building a model makes it reproducible.
Keras 1 string aliases (`init='uniform'`, `'normal'`, `'zero'`, `'one'`) are accepted.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from designer.engine import random as _random
from designer.engine.registry import Registry

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "compute_fans",
    "deserialize",
    "get",
    "serialize",
]


def _dtype(dtype: Any) -> np.dtype:
    return np.dtype("float32" if dtype is None else dtype)


def _shape(shape: Sequence[int] | int) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def compute_fans(
    shape: Sequence[int],
    input_axes: Sequence[int] | None = None,
    output_axes: Sequence[int] | None = None,
) -> tuple[int, int]:
    """(fan_in, fan_out) as Keras: conv kernels (..., in, out) count the receptive field."""
    shape = _shape(shape)
    if input_axes is not None and output_axes is not None:
        return (
            int(math.prod(shape[a] for a in input_axes)),
            int(math.prod(shape[a] for a in output_axes)),
        )
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class Initializer:
    """Base class: `init(shape, dtype="float32") -> np.ndarray`."""

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        return cls(**config)

    def clone(self) -> Initializer:
        """A new instance with the same config (a fresh seed if none was given)."""
        return self.__class__.from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{self.__class__.__name__}({args})"


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        return np.zeros(_shape(shape), dtype=_dtype(dtype))


class Ones(Initializer):
    """All ones."""

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        return np.ones(_shape(shape), dtype=_dtype(dtype))


class Constant(Initializer):
    """A constant (a scalar, or an array broadcast to the shape)."""

    def __init__(self, value: Any = 0.0) -> None:
        self.value = value

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        value = np.asarray(self.value, dtype=_dtype(dtype))
        return np.array(np.broadcast_to(value, _shape(shape)))

    def get_config(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
        return {"value": value}


class Identity(Initializer):
    """`gain` times the identity matrix (2D shapes only)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = gain

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError(
                "Identity matrix initializer can only be used for 2D matrices. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        return (float(self.gain) * np.eye(*shape)).astype(_dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed fixed at construction."""

    def __init__(self, seed: int | np.random.Generator | None = None) -> None:
        if seed is not None and not isinstance(seed, np.random.Generator) and (
            isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
        ):
            raise ValueError(
                "`seed` argument should be an integer, a `numpy.random.Generator` or None. "
                f"Received: seed={seed!r}"
            )
        self._init_seed = seed
        # Keras 3 draws a default seed once, so an instance repeats its values.
        self.seed = _random.draw_seed() if seed is None else seed

    def _rng(self) -> np.random.Generator:
        # An int seed restarts each call (same values); a Generator seed advances
        # between calls, like a keras.random.SeedGenerator.
        return _random.make_rng(self.seed)

    def get_config(self) -> dict[str, Any]:
        seed = self._init_seed
        return {"seed": int(seed) if isinstance(seed, (int, np.integer)) else None}


class RandomUniform(RandomInitializer):
    """Uniform in [minval, maxval). Keras 1's `init='uniform'` is this with the defaults."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None) -> None:
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        return _random.uniform(self._rng(), _shape(shape), self.minval, self.maxval, _dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class RandomNormal(RandomInitializer):
    """Normal with `mean` and `stddev`."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        return _random.normal(self._rng(), _shape(shape), self.mean, self.stddev, _dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Normal redrawn beyond two standard deviations from the mean."""

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        return _random.truncated_normal(
            self._rng(), _shape(shape), self.mean, self.stddev, _dtype(dtype)
        )


class VarianceScaling(RandomInitializer):
    """Scale divided by a fan; the base of the Glorot, He and LeCun initializers."""

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: Any = None,
        input_axes: Sequence[int] | None = None,
        output_axes: Sequence[int] | None = None,
    ) -> None:
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in allowed_modes:
            raise ValueError(
                f"Invalid `mode` argument: {mode!r}. Please use one of {allowed_modes}"
            )
        distribution = str(distribution).lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        allowed = ("uniform", "truncated_normal", "untruncated_normal")
        if distribution not in allowed:
            raise ValueError(
                f"Invalid `distribution` argument: {distribution!r}. Please use one of {allowed}"
            )
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        shape = _shape(shape)
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = float(self.scale) / max(1.0, fan[self.mode])
        rng, dtype = self._rng(), _dtype(dtype)
        if self.distribution == "truncated_normal":
            # 0.8796... is the stddev of a standard normal truncated to (-2, 2).
            stddev = math.sqrt(scale) / 0.87962566103423978
            return _random.truncated_normal(rng, shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return _random.normal(rng, shape, 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return _random.uniform(rng, shape, -limit, limit, dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "input_axes": self.input_axes,
            "output_axes": self.output_axes,
        }


def _named_variance_scaling(
    name: str, scale: float, mode: str, distribution: str, doc: str
) -> type[VarianceScaling]:
    def __init__(self: VarianceScaling, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution,
                                 seed=seed, input_axes=input_axes, output_axes=output_axes)

    def get_config(self: VarianceScaling) -> dict[str, Any]:
        return {**RandomInitializer.get_config(self), "input_axes": self.input_axes,
                "output_axes": self.output_axes}

    return type(name, (VarianceScaling,), {
        "__init__": __init__, "get_config": get_config, "__doc__": doc,
        "__module__": __name__, "__qualname__": name,
    })


GlorotUniform = _named_variance_scaling(
    "GlorotUniform", 1.0, "fan_avg", "uniform",
    "Uniform in ±sqrt(6 / (fan_in + fan_out)); the Keras default kernel initializer.")
GlorotNormal = _named_variance_scaling(
    "GlorotNormal", 1.0, "fan_avg", "truncated_normal",
    "Truncated normal with stddev sqrt(2 / (fan_in + fan_out)).")
HeUniform = _named_variance_scaling(
    "HeUniform", 2.0, "fan_in", "uniform", "Uniform in ±sqrt(6 / fan_in); suits ReLU.")
HeNormal = _named_variance_scaling(
    "HeNormal", 2.0, "fan_in", "truncated_normal",
    "Truncated normal with stddev sqrt(2 / fan_in); suits ReLU.")
LecunUniform = _named_variance_scaling(
    "LecunUniform", 1.0, "fan_in", "uniform", "Uniform in ±sqrt(3 / fan_in).")
LecunNormal = _named_variance_scaling(
    "LecunNormal", 1.0, "fan_in", "truncated_normal",
    "Truncated normal with stddev sqrt(1 / fan_in); suits SELU.")


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, from the QR of a normal matrix."""

    def __init__(self, gain: float = 1.0, seed: Any = None) -> None:
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError(
                "The tensor to initialize must be at least two-dimensional. "
                f"Received: shape={shape} of rank {len(shape)}."
            )
        num_rows, num_cols = math.prod(shape[:-1]), shape[-1]
        flat_shape = (max(num_cols, num_rows), min(num_cols, num_rows))
        a = _random.normal(self._rng(), flat_shape, dtype="float64")
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # makes the decomposition unique
        if num_rows < num_cols:
            q = q.T
        return (float(self.gain) * q).reshape(shape).astype(_dtype(dtype))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "gain": self.gain}


ALL_OBJECTS: tuple[type[Initializer], ...] = (
    Initializer, Zeros, Ones, Constant, Identity, RandomUniform, RandomNormal,
    TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal,
    LecunUniform, LecunNormal, Orthogonal,
)


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


ALL_OBJECTS_DICT: dict[str, type[Initializer]] = {}
for _cls in ALL_OBJECTS:
    ALL_OBJECTS_DICT[_cls.__name__] = _cls
    ALL_OBJECTS_DICT[_snake(_cls.__name__)] = _cls
ALL_OBJECTS_DICT.update({
    # Keras 1/2 names.
    "uniform": RandomUniform,
    "normal": RandomNormal,
    "zero": Zeros,
    "one": Ones,
    "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
})


def _array_initializer(value: np.ndarray | np.generic) -> Callable[..., np.ndarray]:
    """An array given as an initializer: it fills exactly its own shape (Keras 3)."""
    array = np.asarray(value)

    def initialize_fn(shape: Sequence[int], dtype: Any = "float32") -> np.ndarray:
        if _shape(shape) != array.shape:
            raise ValueError(
                f"Expected `shape` to be {array.shape} for direct tensor as initializer. "
                f"Received shape={_shape(shape)}"
            )
        return array.astype(_dtype(dtype))

    return initialize_fn


def _adapt(identifier: Any) -> Any:
    """Arrays, any class (instantiated) and plain functions serve as initializers too."""
    if isinstance(identifier, (np.ndarray, np.generic)):
        return _array_initializer(identifier)
    if inspect.isclass(identifier):
        return identifier()
    return identifier if callable(identifier) else None


REGISTRY = Registry(
    "initializer",
    "keras.initializers",
    ALL_OBJECTS_DICT,
    base=Initializer,
    listing=lambda objects: sorted(k for k in objects if k[0].islower()),
    full_stop=False,
    ignore_case=True,
    adapt=_adapt,
)


def serialize(initializer: Initializer) -> dict[str, Any]:
    """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
    return REGISTRY.serialize(initializer)


def deserialize(config: dict[str, Any] | str, custom_objects: dict[str, Any] | None = None
                ) -> Initializer:
    """Inverse of `serialize`; also takes a bare name."""
    return REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Initializer | Callable[..., np.ndarray] | None:
    """An initializer from a name, a config dict, an instance, a class or a callable."""
    return REGISTRY.get(identifier)
