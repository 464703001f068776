"""The import paths the issue fixes, as users and the GUI write them."""

from __future__ import annotations

import numpy as np
import pytest


def test_documented_imports_work() -> None:
    from designer.engine import (  # noqa: F401
        Input,
        Model,
        Sequential,
        activations,
        callbacks,
        initializers,
        layers,
        losses,
        metrics,
        models,
        optimizers,
        regularizers,
        utils,
    )
    from designer.engine import backend as K
    from designer.engine.layers import (  # noqa: F401
        Activation,
        Add,
        Average,
        Concatenate,
        Dense,
        Dropout,
        Flatten,
        InputLayer,
        Maximum,
        Minimum,
        Multiply,
        Reshape,
        Subtract,
    )
    from designer.engine.models import Model as M2
    from designer.engine.models import Sequential as S2
    from designer.engine.utils import np_utils, set_random_seed, to_categorical

    assert M2 is Model and S2 is Sequential
    assert np_utils.to_categorical is to_categorical
    assert callable(set_random_seed) and callable(K.mean)


def test_to_categorical() -> None:
    from designer.engine.utils import to_categorical

    np.testing.assert_array_equal(to_categorical([0, 2, 1]), np.eye(3)[[0, 2, 1]])
    assert to_categorical([[1], [0]], num_classes=4).shape == (2, 4)
    assert to_categorical([1]).dtype == np.float32
    with pytest.raises(ValueError, match="num_classes=3"):
        to_categorical([5], num_classes=3)
    with pytest.raises(ValueError, match="integer"):
        to_categorical([0.5])


def test_set_random_seed_makes_models_and_training_reproducible() -> None:
    from designer.engine import Sequential
    from designer.engine.layers import Dense, Dropout
    from designer.engine.utils import set_random_seed

    def run() -> list[np.ndarray]:
        set_random_seed(42)
        model = Sequential([Dense(8, input_dim=3, activation="relu"), Dropout(0.3), Dense(1)])
        model.compile("adam", "mse")
        x = np.random.rand(64, 3)
        model.fit(x, x.sum(axis=1), epochs=3, verbose=0)
        return model.get_weights()

    for a, b in zip(run(), run(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_mnist_loader_reads_a_local_npz_and_never_unpickles(tmp_path) -> None:
    from designer.engine.datasets import mnist

    arrays = {
        k: np.zeros((2, 28, 28) if k.startswith("x") else (2,), np.uint8)
        for k in ("x_train", "y_train", "x_test", "y_test")
    }
    np.savez(tmp_path / "mnist.npz", **arrays)
    (x_train, _), (x_test, _) = mnist.load_data(tmp_path / "mnist.npz")
    assert x_train.shape == (2, 28, 28) and x_test.shape == (2, 28, 28)
    np.save(tmp_path / "evil.npy", np.array([{"a": 1}], dtype=object))
    np.savez(tmp_path / "objects.npz", x_train=np.array([{"a": 1}], dtype=object))
    with pytest.raises(ValueError):
        mnist.load_data(tmp_path / "objects.npz")
    with pytest.raises(FileNotFoundError, match=r"missing\.npz"):
        mnist.load_data(tmp_path / "missing.npz")
