"""Initializers: Keras 3 names, defaults, fans, statistics, seeds and legacy aliases."""

from __future__ import annotations

import math
import random as python_random

import numpy as np
import pytest

from designer.engine import initializers
from designer.engine import random as engine_random

SNAKE_NAMES = [
    "zeros", "ones", "constant", "random_uniform", "random_normal", "truncated_normal",
    "variance_scaling", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
    "lecun_uniform", "lecun_normal", "orthogonal", "identity",
]


@pytest.mark.parametrize("name", SNAKE_NAMES)
def test_every_name_gives_float32_of_the_shape(name: str) -> None:
    init = initializers.get(name)
    out = init((4, 5))
    assert out.shape == (4, 5)
    assert out.dtype == np.float32
    assert init((4, 5), dtype="float64").dtype == np.float64


@pytest.mark.parametrize(
    ("shape", "fans"),
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((3, 4), (3, 4)),
        ((5, 8, 16), (40, 80)),  # Conv1D kernel (k, in, out)
        ((3, 3, 16, 32), (144, 288)),  # Conv2D kernel (kh, kw, in, out)
    ],
)
def test_compute_fans_as_keras(shape: tuple[int, ...], fans: tuple[int, int]) -> None:
    assert initializers.compute_fans(shape) == fans


def test_glorot_uniform_bounds_and_variance() -> None:
    x = initializers.GlorotUniform(seed=1)((400, 600))
    limit = math.sqrt(6.0 / (400 + 600))
    assert np.abs(x).max() <= limit
    assert np.abs(x).max() > 0.99 * limit
    assert abs(x.mean()) < 2e-3
    assert x.var() == pytest.approx(limit**2 / 3, rel=0.02)


def test_glorot_uniform_conv_kernel_counts_the_receptive_field() -> None:
    x = initializers.GlorotUniform(seed=2)((3, 3, 16, 32))
    limit = math.sqrt(6.0 / (144 + 288))
    assert np.abs(x).max() <= limit
    assert np.abs(x).max() > 0.95 * limit


@pytest.mark.parametrize(
    ("cls", "expected_std"),
    [
        (initializers.HeNormal, math.sqrt(2.0 / 500)),
        (initializers.LecunNormal, math.sqrt(1.0 / 500)),
        (initializers.GlorotNormal, math.sqrt(2.0 / (500 + 400))),
    ],
)
def test_truncated_normal_families_have_the_target_std(cls: type, expected_std: float) -> None:
    # Keras divides by 0.8796 (the std of a 2-sigma truncated normal) to hit the target.
    x = cls(seed=3)((500, 400))
    assert x.std() == pytest.approx(expected_std, rel=0.02)
    assert np.abs(x).max() < 2 * expected_std / 0.87962566103423978


@pytest.mark.parametrize(
    ("cls", "limit"),
    [
        (initializers.HeUniform, math.sqrt(6.0 / 300)),
        (initializers.LecunUniform, math.sqrt(3.0 / 300)),
    ],
)
def test_uniform_families_have_the_keras_limit(cls: type, limit: float) -> None:
    x = cls(seed=4)((300, 200))
    assert np.abs(x).max() <= limit
    assert np.abs(x).max() > 0.99 * limit


def test_variance_scaling_modes_and_distributions() -> None:
    x = initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=5)((200, 800))
    assert x.std() == pytest.approx(math.sqrt(2.0 / 800), rel=0.02)
    assert np.abs(x).max() > 3 * x.std()  # not truncated
    x = initializers.VarianceScaling(1.0, "fan_avg", "uniform", seed=5)((200, 800))
    assert np.abs(x).max() <= math.sqrt(3.0 / 500)
    # "normal" is Keras' alias of truncated_normal
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="mode"):
        initializers.VarianceScaling(mode="fan_sideways")
    with pytest.raises(ValueError, match="distribution"):
        initializers.VarianceScaling(distribution="cauchy")
    with pytest.raises(ValueError, match="scale"):
        initializers.VarianceScaling(scale=0.0)


def test_random_normal_uniform_and_truncated_statistics() -> None:
    x = initializers.RandomNormal(mean=1.0, stddev=0.5, seed=6)((300, 300))
    assert x.mean() == pytest.approx(1.0, abs=0.01)
    assert x.std() == pytest.approx(0.5, rel=0.02)
    x = initializers.RandomUniform(minval=2.0, maxval=3.0, seed=6)((300, 300))
    assert x.min() >= 2.0
    assert x.max() <= 3.0
    assert x.mean() == pytest.approx(2.5, abs=0.01)
    x = initializers.TruncatedNormal(stddev=0.05, seed=6)((300, 300))
    assert np.abs(x).max() < 0.1
    assert x.std() == pytest.approx(0.05 * 0.87962566, rel=0.02)


def test_constant_zeros_ones() -> None:
    assert np.array_equal(initializers.Zeros()((2, 3)), np.zeros((2, 3), np.float32))
    assert np.array_equal(initializers.Ones()((2,)), np.ones(2, np.float32))
    assert np.array_equal(initializers.Constant(3.5)((2, 2)), np.full((2, 2), 3.5, np.float32))
    out = initializers.Constant([1.0, 2.0, 3.0])((2, 3))  # broadcast, as Keras
    assert np.array_equal(out, [[1, 2, 3], [1, 2, 3]])


def test_orthogonal_is_orthogonal_for_tall_wide_and_conv_shapes() -> None:
    q = initializers.Orthogonal(seed=7)((6, 4))
    np.testing.assert_allclose(q.T @ q, np.eye(4), atol=1e-5)
    q = initializers.Orthogonal(seed=7)((4, 6))
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-5)
    q = initializers.Orthogonal(gain=2.0, seed=7)((3, 3, 4, 8)).reshape(36, 8)
    np.testing.assert_allclose(q.T @ q, 4.0 * np.eye(8), atol=1e-4)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        initializers.Orthogonal()((5,))


def test_identity() -> None:
    np.testing.assert_array_equal(initializers.Identity(gain=2.0)((2, 3)),
                                  [[2, 0, 0], [0, 2, 0]])
    with pytest.raises(ValueError, match="2D"):
        initializers.Identity()((2, 2, 2))


def test_seeded_initializers_repeat_and_differ_by_seed() -> None:
    a = initializers.GlorotUniform(seed=42)
    np.testing.assert_array_equal(a((3, 4)), a((3, 4)))  # same values each call (Keras 3)
    np.testing.assert_array_equal(a((3, 4)), initializers.GlorotUniform(seed=42)((3, 4)))
    assert not np.array_equal(a((3, 4)), initializers.GlorotUniform(seed=43)((3, 4)))


def test_unseeded_instance_repeats_but_two_instances_differ() -> None:
    # Keras 3 draws an unseeded initializer's seed once, at construction.
    a, b = initializers.RandomNormal(), initializers.RandomNormal()
    np.testing.assert_array_equal(a((5,)), a((5,)))
    assert not np.array_equal(a((5,)), b((5,)))
    assert a.get_config()["seed"] is None  # a clone draws a fresh seed


def test_generator_seed_advances_between_calls() -> None:
    init = initializers.RandomNormal(seed=np.random.default_rng(0))
    assert not np.array_equal(init((5,)), init((5,)))


def test_np_random_seed_makes_default_initializers_reproducible() -> None:
    np.random.seed(7)
    first = [initializers.get("glorot_uniform")((3, 4)), initializers.get("uniform")((2,))]
    np.random.seed(7)
    second = [initializers.get("glorot_uniform")((3, 4)), initializers.get("uniform")((2,))]
    for x, y in zip(first, second, strict=True):
        np.testing.assert_array_equal(x, y)


def test_legacy_string_aliases() -> None:
    uniform = initializers.get("uniform")  # Keras 1's init='uniform'
    assert isinstance(uniform, initializers.RandomUniform)
    assert (uniform.minval, uniform.maxval) == (-0.05, 0.05)
    normal = initializers.get("normal")
    assert isinstance(normal, initializers.RandomNormal)
    assert normal.stddev == 0.05
    assert isinstance(initializers.get("zero"), initializers.Zeros)
    assert isinstance(initializers.get("one"), initializers.Ones)
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("OrthogonalInitializer"), initializers.Orthogonal)


def test_get_accepts_dicts_instances_classes_callables_and_arrays() -> None:
    init = initializers.get({"class_name": "RandomNormal", "config": {"stddev": 2.0}})
    assert isinstance(init, initializers.RandomNormal)
    assert init.stddev == 2.0
    inst = initializers.HeNormal()
    assert initializers.get(inst) is inst
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)

    def fn(shape: tuple[int, ...], dtype: str = "float32") -> np.ndarray:
        return np.full(shape, 9.0, dtype)

    assert initializers.get(fn) is fn
    from_array = initializers.get(np.arange(4.0).reshape(2, 2))
    np.testing.assert_array_equal(from_array((2, 2)), [[0, 1], [2, 3]])
    with pytest.raises(ValueError, match="Expected `shape`"):
        from_array((4,))
    assert initializers.get(None) is None


def test_unknown_identifier_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"Could not interpret initializer identifier: 'glorot'"
                                         r".*Valid names are: .*glorot_uniform"):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="Could not interpret"):
        initializers.get(3.5)


@pytest.mark.parametrize("name", SNAKE_NAMES)
def test_serialize_round_trip(name: str) -> None:
    init = initializers.get(name)
    config = initializers.serialize(init)
    assert config["class_name"] == type(init).__name__
    clone = initializers.deserialize(config)
    assert type(clone) is type(init)
    assert clone.get_config() == init.get_config()


def test_seeded_round_trip_gives_the_same_values() -> None:
    init = initializers.HeUniform(seed=11)
    clone = initializers.HeUniform.from_config(init.get_config())
    np.testing.assert_array_equal(init((3, 3)), clone((3, 3)))


def test_make_rng_and_set_random_seed() -> None:
    engine_random.set_random_seed(3)
    a = (python_random.random(), np.random.rand(), engine_random.make_rng().random())
    engine_random.set_random_seed(3)
    b = (python_random.random(), np.random.rand(), engine_random.make_rng().random())
    assert a == b
    assert engine_random.make_rng(5).random() == engine_random.make_rng(5).random()
    with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
        engine_random.set_random_seed(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed"):
        engine_random.make_rng("abc")  # type: ignore[arg-type]


def test_truncated_normal_helper_redraws_outside_two_sigma() -> None:
    x = engine_random.truncated_normal(engine_random.make_rng(0), (100_000,), 1.0, 2.0)
    assert x.dtype == np.float32
    assert x.min() > -3.0
    assert x.max() < 5.0
