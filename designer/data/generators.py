"""Synthetic data sets: the tutorials' sum-above-threshold set and the classic toy problems.

Every generator takes `n`, `noise` and `seed` (plus its own parameters), returns float32
features, and is deterministic for a seed. Classification rows come in random order,
so Keras' validation split (the last rows) sees every class. `GENERATORS` describes
the parameters with the one parameter schema (`designer.spec.params.ParamSpec`: type,
default, limits, help), so the GUI builds its checked form fields from it and a
project's values are checked the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from designer.data.dataset import Dataset
from designer.spec.params import ParamError, ParamSpec

Arrays = tuple[np.ndarray, np.ndarray]


def _n(default: int) -> ParamSpec:
    return ParamSpec(
        "n", "int", default, "Number of samples.", minimum=1, maximum=1_000_000, title="Samples"
    )


def _noise(default: float, help: str) -> ParamSpec:
    return ParamSpec("noise", "float", default, help, minimum=0.0, maximum=100.0)


def _features(default: int) -> ParamSpec:
    return ParamSpec(
        "d", "int", default, "Number of input features.", minimum=1, maximum=1000, title="Features"
    )


SEED = ParamSpec(
    "seed", "int", 0, "Random seed: same seed, same data.", minimum=0, maximum=2**32 - 1
)


def _uniform(rng: np.random.Generator, shape: Any, low: float, high: float) -> np.ndarray:
    return low + (high - low) * rng.random(shape, dtype=np.float32)


def _normal(rng: np.random.Generator, shape: Any, scale: float) -> np.ndarray:
    return scale * rng.standard_normal(shape, dtype=np.float32)


def _balanced(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    """Labels 0..classes-1 in equal shares, in random order."""
    return rng.permutation(np.arange(n, dtype=np.int64) % classes)


def threshold_sum(
    n: int = 250,
    d: int = 5,
    threshold: float = 2.5,
    labels: str = "plus_minus_one",
    noise: float = 0.0,
    seed: int = 0,
) -> Arrays:
    """The tutorials' set: x uniform in [0, 1)^d, label = sum(x) > threshold.

    `np.random.rand(250, 5)`; `(np.sum(data, axis=1) > 2.5) * 2 - 1`. Noise is the
    standard deviation of Gaussian noise added to the sum before comparing.
    """
    rng = np.random.default_rng(seed)
    x = rng.random((n, d), dtype=np.float32)
    total = np.sum(x, axis=1)
    if noise:
        total = total + _normal(rng, n, noise)
    above = (total > threshold).astype(np.int64)
    return x, (above * 2 - 1 if labels == "plus_minus_one" else above)


def xor(n: int = 200, noise: float = 0.05, seed: int = 0) -> Arrays:
    """x uniform in [-1, 1]^2; label 1 where exactly one coordinate is positive."""
    rng = np.random.default_rng(seed)
    x = _uniform(rng, (n, 2), -1.0, 1.0)
    y = ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(np.int64)
    return x + _normal(rng, (n, 2), noise), y


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Arrays:
    """Two interleaving half circles (class 0 on top, class 1 below, shifted)."""
    rng = np.random.default_rng(seed)
    y = _balanced(rng, n, 2)
    t = _uniform(rng, n, 0.0, math.pi)
    x = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = y == 1
    x[lower, 0] = 1.0 - x[lower, 0]
    x[lower, 1] = 0.5 - x[lower, 1]
    return x + _normal(rng, (n, 2), noise), y


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> Arrays:
    """A small circle (class 1, radius `factor`) inside a large one (class 0, radius 1)."""
    rng = np.random.default_rng(seed)
    y = _balanced(rng, n, 2)
    t = _uniform(rng, n, 0.0, 2 * math.pi)
    radius = np.where(y == 1, np.float32(factor), np.float32(1.0))
    x = np.stack([radius * np.cos(t), radius * np.sin(t)], axis=1)
    return x + _normal(rng, (n, 2), noise), y


def spirals(
    n: int = 300, classes: int = 3, turns: float = 1.0, noise: float = 0.1, seed: int = 0
) -> Arrays:
    """`classes` spiral arms from the centre (CS231n's spiral set); noise jitters the angle."""
    rng = np.random.default_rng(seed)
    y = _balanced(rng, n, classes)
    r = rng.random(n, dtype=np.float32)
    theta = (2 * math.pi / classes) * y.astype(np.float32) + (2 * math.pi * turns) * r
    theta += _normal(rng, n, noise)
    x = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
    return x, y


def blobs(
    n: int = 300,
    centers: int = 3,
    d: int = 2,
    noise: float = 1.0,
    box: float = 10.0,
    seed: int = 0,
) -> Arrays:
    """Gaussian clusters around centres drawn in [-box, box]^d; noise is the spread."""
    rng = np.random.default_rng(seed)
    middle = _uniform(rng, (centers, d), -box, box)
    y = _balanced(rng, n, centers)
    return middle[y] + _normal(rng, (n, d), noise), y


def sine(n: int = 200, frequency: float = 1.0, noise: float = 0.1, seed: int = 0) -> Arrays:
    """Regression: y = sin(2π·frequency·x) + noise, x uniform in [-1, 1] (shape (n, 1))."""
    rng = np.random.default_rng(seed)
    x = _uniform(rng, (n, 1), -1.0, 1.0)
    y = np.sin((2 * math.pi * frequency) * x[:, 0]) + _normal(rng, n, noise)
    return x, y


def polynomial(n: int = 200, degree: int = 3, noise: float = 0.1, seed: int = 0) -> Arrays:
    """Regression: a polynomial with coefficients drawn in [-1, 1] from the seed, plus noise."""
    rng = np.random.default_rng(seed)
    coefficients = _uniform(rng, degree + 1, -1.0, 1.0)
    x = _uniform(rng, (n, 1), -1.0, 1.0)
    y = np.polyval(coefficients, x[:, 0]) + _normal(rng, n, noise)
    return x, y.astype(np.float32)


@dataclass(frozen=True)
class GeneratorInfo:
    """A generator as the GUI lists it; `function(**params)` returns (x, y)."""

    name: str
    title: str
    description: str
    function: Callable[..., Arrays]
    params: tuple[ParamSpec, ...]
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


_CLASS_NOISE = "Standard deviation of Gaussian noise added to the inputs."
GENERATORS: dict[str, GeneratorInfo] = {
    info.name: info
    for info in (
        GeneratorInfo(
            "threshold_sum",
            "Sum above a threshold (tutorial)",
            "n x d values uniform in [0, 1); label: is their sum above the threshold?",
            threshold_sum,
            (
                _n(250),
                _features(5),
                ParamSpec(
                    "threshold",
                    "float",
                    2.5,
                    "Sums above it are class +1.",
                    minimum=-1e6,
                    maximum=1e6,
                ),
                ParamSpec(
                    "labels",
                    "choice",
                    "plus_minus_one",
                    "-1/+1 (for tanh and hinge) or 0/1 (for sigmoid and binary crossentropy).",
                    choices=("plus_minus_one", "zero_one"),
                ),
                _noise(0.0, "Standard deviation of noise added to the sum before comparing."),
                SEED,
            ),
        ),
        GeneratorInfo(
            "xor",
            "XOR",
            "Points in [-1, 1]^2; class 1 where exactly one coordinate is positive.",
            xor,
            (_n(200), _noise(0.05, _CLASS_NOISE), SEED),
            ("x1", "x2"),
        ),
        GeneratorInfo(
            "moons",
            "Two moons",
            "Two interleaving half circles.",
            moons,
            (_n(200), _noise(0.1, _CLASS_NOISE), SEED),
            ("x1", "x2"),
        ),
        GeneratorInfo(
            "circles",
            "Circles",
            "A small circle inside a large one.",
            circles,
            (
                _n(200),
                _noise(0.05, _CLASS_NOISE),
                ParamSpec(
                    "factor",
                    "float",
                    0.5,
                    "Inner radius / outer radius.",
                    minimum=0.01,
                    maximum=0.99,
                ),
                SEED,
            ),
            ("x1", "x2"),
        ),
        GeneratorInfo(
            "spirals",
            "Spirals",
            "Interleaved spiral arms, one per class.",
            spirals,
            (
                _n(300),
                ParamSpec("classes", "int", 3, "Number of arms (classes).", minimum=2, maximum=10),
                ParamSpec("turns", "float", 1.0, "Turns of each arm.", minimum=0.1, maximum=5.0),
                _noise(0.1, "Standard deviation of noise added to the angle (radians)."),
                SEED,
            ),
            ("x1", "x2"),
        ),
        GeneratorInfo(
            "blobs",
            "Gaussian blobs",
            "Gaussian clusters, one per class.",
            blobs,
            (
                _n(300),
                ParamSpec(
                    "centers", "int", 3, "Number of clusters (classes).", minimum=1, maximum=50
                ),
                _features(2),
                _noise(1.0, "Standard deviation of each cluster."),
                ParamSpec(
                    "box",
                    "float",
                    10.0,
                    "Centres lie in [-box, box]^d.",
                    minimum=0.0,
                    maximum=1e6,
                    title="Box size",
                ),
                SEED,
            ),
        ),
        GeneratorInfo(
            "sine",
            "Noisy sine (regression)",
            "y = sin(2π·frequency·x) + noise for x in [-1, 1].",
            sine,
            (
                _n(200),
                ParamSpec(
                    "frequency",
                    "float",
                    1.0,
                    "Periods per unit of x.",
                    minimum=0.01,
                    maximum=100.0,
                ),
                _noise(0.1, "Standard deviation of noise added to y."),
                SEED,
            ),
            ("x",),
        ),
        GeneratorInfo(
            "polynomial",
            "Noisy polynomial (regression)",
            "y = a random polynomial of x in [-1, 1], plus noise.",
            polynomial,
            (
                _n(200),
                ParamSpec("degree", "int", 3, "Degree of the polynomial.", minimum=0, maximum=10),
                _noise(0.1, "Standard deviation of noise added to y."),
                SEED,
            ),
            ("x",),
        ),
    )
}


def resolve_params(name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """All parameters of generator `name`, defaults filled in and values checked."""
    if name not in GENERATORS:
        raise ValueError(
            f"Unknown data generator: {name!r}. Valid names are: {', '.join(GENERATORS)}."
        )
    info = GENERATORS[name]
    params = dict(params or {})
    specs = {p.name: p for p in info.params}
    unknown = sorted(set(params) - set(specs))
    if unknown:
        raise ValueError(
            f"Unknown parameter(s) {', '.join(unknown)} for generator {name!r}. "
            f"Valid parameters are: {', '.join(specs)}."
        )
    return {key: _checked(spec, params.get(key, spec.default)) for key, spec in specs.items()}


def _checked(spec: ParamSpec, value: Any) -> Any:
    """The value the generator gets; ParamError (a ValueError) naming the argument."""
    try:
        return spec.check(value)
    except ParamError as error:
        message = f"Invalid value for `{spec.name}`: {error.reason}"
        raise ParamError(spec.name, message, error.reason) from None


def generate(name: str, **params: Any) -> Dataset:
    """Run generator `name` and wrap the arrays as a Dataset that can be re-created."""
    from designer.data.source import DataSource

    values = resolve_params(name, params)
    info = GENERATORS[name]
    x, y = info.function(**values)
    x = x.astype(np.float32, copy=False)
    if y.dtype.kind == "f":
        y = y.astype(np.float32, copy=False)
    return Dataset(
        x,
        y,
        feature_names=info.feature_names,
        class_names=info.class_names,
        source=DataSource("generator", {"name": name, "params": values}),
        name=info.title,
    )
