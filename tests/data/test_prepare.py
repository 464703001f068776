"""Preparation: scaling fitted on training rows only, labels, reshape, split, shuffle."""

from __future__ import annotations

import json

import numpy as np
import pytest

from designer.data.dataset import Dataset
from designer.data.prepare import Preparation, prepare, reshape_samples
from designer.data.scaling import ScalerStats


def tabular(n: int = 10) -> Dataset:
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    return Dataset(x, np.arange(n) % 3)


def test_split_takes_the_last_rows_like_keras() -> None:
    data = prepare(tabular(10), Preparation(validation="split", validation_split=0.25))
    # Keras: split_at = floor(10 * 0.75) = 7
    np.testing.assert_array_equal(data.x_train[:, 0], np.arange(0, 14, 2))
    np.testing.assert_array_equal(data.x_val[:, 0], [14, 16, 18])
    assert data.validation_data is not None and len(data.y_val) == 3
    with pytest.raises(ValueError, match="leaves no training or no validation samples out of 1"):
        prepare(tabular(1), Preparation(validation_split=0.1))


def test_seeded_shuffle_before_split() -> None:
    a = prepare(tabular(20), Preparation(shuffle=True, seed=5))
    b = prepare(tabular(20), Preparation(shuffle=True, seed=5))
    c = prepare(tabular(20), Preparation(shuffle=True, seed=6))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)
    rows = np.concatenate([a.x_train, a.x_val])[:, 0] // 2
    assert sorted(rows.tolist()) == list(range(20))
    labels = np.concatenate([a.y_train, a.y_val])
    np.testing.assert_array_equal(labels, rows.astype(int) % 3)  # pairs stay together


@pytest.mark.parametrize("kind", ["min_max", "standardize"])
def test_scaling_is_fitted_on_training_rows_only(kind: str) -> None:
    x = np.zeros((10, 2), np.float32)
    x[:8] = np.arange(16, dtype=np.float32).reshape(8, 2)
    x[8:] = 1000.0  # validation rows must not influence the statistics
    data = prepare(Dataset(x, np.zeros(10)), Preparation(scaling=kind, validation_split=0.2))
    train = x[:8]
    if kind == "min_max":
        expected = (train - train.min(0)) / (train.max(0) - train.min(0))
        assert data.x_train.min() == 0 and data.x_train.max() == 1
    else:
        expected = (train - train.mean(0)) / train.std(0)
        np.testing.assert_allclose(data.x_train.mean(0), 0, atol=1e-6)
    np.testing.assert_allclose(data.x_train, expected, rtol=1e-6)
    assert data.x_val.min() > 10  # scaled with the training statistics
    assert data.scaler.fitted_on == 8 and data.x_train.dtype == np.float32
    restored = ScalerStats.from_dict(json.loads(json.dumps(data.scaler.to_dict())))
    np.testing.assert_allclose(restored.apply(x[8:]), data.x_val)


def test_images_divide_255_and_global_statistics() -> None:
    x = np.zeros((6, 4, 4), np.uint8)
    x[:, 1:3, 1:3] = 255
    y = np.arange(6) % 2
    data = prepare(Dataset(x, y), Preparation(scaling="divide_255", validation="none"))
    assert data.x_train.dtype == np.float32 and data.x_train.max() == 1.0
    std = prepare(Dataset(x, y), Preparation(scaling="standardize", validation="none"))
    assert std.scaler.offset.shape == () and np.isfinite(std.x_train).all()


def test_constant_feature_does_not_divide_by_zero() -> None:
    x = np.ones((5, 2), np.float32)
    data = prepare(Dataset(x, np.zeros(5)), Preparation(scaling="standardize", validation="none"))
    np.testing.assert_array_equal(data.x_train, 0)


def test_one_hot_uses_all_classes_even_if_a_split_misses_some() -> None:
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 2, 2])
    data = prepare(Dataset(np.zeros((10, 1)), y), Preparation(labels="one_hot"))
    assert data.y_train.shape == (8, 3) and data.y_val.shape == (2, 3)
    assert data.y_train.dtype == np.float32
    np.testing.assert_array_equal(data.y_val, [[0, 0, 1], [0, 0, 1]])
    wide = prepare(Dataset(np.zeros((10, 1)), y), Preparation(labels="one_hot", num_classes=5))
    assert wide.y_train.shape == (8, 5)


def test_label_encodings_between_pm1_integer_and_one_hot() -> None:
    pm1 = Dataset(np.zeros((4, 1)), np.array([-1, 1, 1, -1]))
    to_int = prepare(pm1, Preparation(labels="integer", validation="none"))
    np.testing.assert_array_equal(to_int.y_train, [0, 1, 1, 0])
    onehot = prepare(pm1, Preparation(labels="one_hot", validation="none"))
    np.testing.assert_array_equal(onehot.y_train, [[1, 0], [0, 1], [0, 1], [1, 0]])
    zero_one = Dataset(np.zeros((4, 1)), np.array([0, 1, 1, 0]))
    back = prepare(zero_one, Preparation(labels="plus_minus_one", validation="none"))
    np.testing.assert_array_equal(back.y_train, [-1, 1, 1, -1])
    hot = Dataset(np.zeros((3, 1)), np.eye(3, dtype=np.float32))
    np.testing.assert_array_equal(
        prepare(hot, Preparation(labels="integer", validation="none")).y_train, [0, 1, 2]
    )
    with pytest.raises(ValueError, match="Labels -1/\\+1 need two classes; the targets have 3"):
        prepare(hot, Preparation(labels="plus_minus_one", validation="none"))
    regression = Dataset(np.zeros((3, 1)), np.array([0.5, 1.5, 2.25]))
    with pytest.raises(
        ValueError, match="'one_hot' needs class labels; the targets are continuous"
    ):
        prepare(regression, Preparation(labels="one_hot", validation="none"))


def test_reshape_samples() -> None:
    flat = Dataset(np.arange(2 * 784, dtype=np.float32).reshape(2, 784), np.zeros(2))
    data = prepare(flat, Preparation(sample_shape=(28, 28, 1), validation="none"))
    assert data.x_train.shape == (2, 28, 28, 1)
    first = prepare(flat, Preparation(sample_shape=(1, 28, 28), validation="none"))
    np.testing.assert_array_equal(first.x_train[:, 0], data.x_train[..., 0])
    with pytest.raises(
        ValueError,
        match=r"Cannot reshape samples of shape \(784,\) \(784 values\) "
        r"to \(28, 28, 3\) \(2352 values\)",
    ):
        prepare(flat, Preparation(sample_shape=(28, 28, 3), validation="none"))
    colour = np.random.default_rng(0).random((2, 5, 4, 3)).astype(np.float32)
    moved = reshape_samples(colour, (3, 5, 4))
    np.testing.assert_array_equal(moved[:, 2], colour[..., 2])  # channels moved, not re-flowed
    np.testing.assert_array_equal(reshape_samples(moved, (5, 4, 3)), colour)


def test_test_set_as_validation_or_kept_for_evaluation() -> None:
    data = Dataset(np.zeros((8, 2)), np.arange(8) % 2, np.ones((3, 2)), np.array([0, 1, 1]))
    as_val = prepare(data, Preparation(validation="test", scaling="min_max"))
    assert len(as_val.x_val) == 3 and as_val.x_test is None and len(as_val.x_train) == 8
    kept = prepare(data, Preparation(validation="split", validation_split=0.25))
    assert len(kept.x_val) == 2 and len(kept.x_test) == 3
    with pytest.raises(ValueError, match="has no test set"):
        prepare(tabular(), Preparation(validation="test"))
    assert "Test: 3 samples" in kept.describe()


def test_prepared_arrays_are_writable_copies() -> None:
    data = tabular()
    prepared = prepare(data, Preparation(validation="none"))
    prepared.x_train[0, 0] = 99
    prepared.y_train[0] = 2
    assert data.x_train[0, 0] == 0 and data.y_train[0] == 0


def test_preparation_json_round_trip_and_checks() -> None:
    prep = Preparation("standardize", "one_hot", 10, (28, 28, 1), "split", 0.1, True, 7)
    text = json.dumps(prep.to_dict())
    assert Preparation.from_dict(json.loads(text)) == prep
    assert Preparation.from_dict({}) == Preparation()
    with pytest.raises(ValueError, match=r"Invalid value for `scaling`: 'log'\. Valid values are"):
        Preparation(scaling="log")
    with pytest.raises(ValueError, match="`validation_split` must be between 0 and 1"):
        Preparation(validation_split=1.0)
    with pytest.raises(ValueError, match="Unknown data preparation setting"):
        Preparation.from_dict({"scale": "none"})
    with pytest.raises(ValueError, match="sample_shape"):
        Preparation(sample_shape=(28, 0))
