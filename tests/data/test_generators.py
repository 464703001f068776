"""Synthetic data: shapes, float32, one seed one data set, and what the labels mean."""

from __future__ import annotations

import numpy as np
import pytest

from designer.data.generators import GENERATORS, generate, resolve_params
from designer.spec.params import ParamError, ParamSpec


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_shape_dtype_and_determinism(name: str) -> None:
    info = GENERATORS[name]
    a = generate(name, n=60, seed=3)
    b = generate(name, n=60, seed=3)
    c = generate(name, n=60, seed=4)
    assert a.x_train.dtype == np.float32 and len(a.x_train) == 60 and a.x_train.ndim == 2
    assert len(a.y_train) == 60
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.x_train, c.x_train)
    assert a.source.to_dict()["options"]["params"] == resolve_params(name, {"n": 60, "seed": 3})
    for spec in info.params:
        assert spec.help and spec.check(spec.default) == spec.default
    if a.task == "regression":
        assert a.y_train.dtype == np.float32
    else:
        assert a.y_train.dtype == np.int64


def test_tutorial_set_labels() -> None:
    data = generate("threshold_sum")
    x, y = data.x_train, data.y_train
    assert x.shape == (250, 5) and x.min() >= 0 and x.max() < 1
    np.testing.assert_array_equal(y, (np.sum(x, axis=1) > 2.5) * 2 - 1)
    small = generate("threshold_sum", d=2, threshold=0.5, labels="zero_one", seed=9)
    np.testing.assert_array_equal(small.y_train, np.sum(small.x_train, axis=1) > 0.5)
    noisy = generate("threshold_sum", noise=0.5)
    assert 0 < np.mean(noisy.y_train != (np.sum(noisy.x_train, axis=1) > 2.5) * 2 - 1) < 0.5


def test_label_semantics_of_toy_sets() -> None:
    clean = generate("xor", n=400, noise=0.0)
    x, y = clean.x_train, clean.y_train
    np.testing.assert_array_equal(y, (x[:, 0] > 0) != (x[:, 1] > 0))
    circles = generate("circles", n=400, noise=0.0, factor=0.3)
    radius = np.hypot(*circles.x_train.T)
    np.testing.assert_allclose(radius[circles.y_train == 1], 0.3, atol=1e-5)
    np.testing.assert_allclose(radius[circles.y_train == 0], 1.0, atol=1e-5)
    spirals = generate("spirals", n=300, classes=4)
    assert np.bincount(spirals.y_train).tolist() == [75, 75, 75, 75]
    blobs = generate("blobs", n=90, centers=3, d=4, noise=0.01)
    assert blobs.input_shape == (4,)
    for k in range(3):
        assert blobs.x_train[blobs.y_train == k].std(axis=0).max() < 0.05
    sine = generate("sine", noise=0.0, frequency=2.0)
    np.testing.assert_allclose(sine.y_train, np.sin(4 * np.pi * sine.x_train[:, 0]), atol=1e-5)
    moons = generate("moons", n=100)
    assert np.bincount(moons.y_train).tolist() == [50, 50]
    # classes arrive mixed, so Keras' validation split (the last rows) sees both
    assert len(set(moons.y_train[-20:])) == 2


def test_parameter_checks() -> None:
    with pytest.raises(ValueError, match=r"Invalid value for `n`: expected a positive integer"):
        generate("moons", n=0)
    with pytest.raises(ParamError, match=r"`classes`: must be at least 2; received 1\."):
        generate("spirals", classes=1)
    with pytest.raises(ValueError, match=r"`d`: expected a whole number, received 2\.5"):
        generate("blobs", d=2.5)
    with pytest.raises(ValueError, match=r"Invalid value for `labels`"):
        generate("threshold_sum", labels="yes")
    with pytest.raises(ValueError, match=r"Unknown parameter\(s\) colour .*Valid parameters"):
        generate("xor", colour=1)
    with pytest.raises(ValueError, match="Unknown data generator: 'nope'"):
        generate("nope")
    with pytest.raises(ValueError, match="Invalid value for `noise`"):
        generate("xor", noise=float("nan"))
    assert generate("xor", n=10.0).n_samples == 10


def test_generators_share_the_one_parameter_schema() -> None:
    """The GUI builds its checked fields from the same specs the generators check with."""
    for info in GENERATORS.values():
        for spec in info.params:
            assert isinstance(spec, ParamSpec) and spec.kind in ("int", "float", "choice")
    n = GENERATORS["moons"].params[0]
    assert n.label == "Samples" and n.check("120") == 120
    assert issubclass(ParamError, ValueError)
