"""MNIST from a local `mnist.npz` (Keras' file: x_train, y_train, x_test, y_test)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_data(
    path: str | Path = "mnist.npz",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)` from Keras' `mnist.npz` layout.

    Keras downloads the file; this engine never fetches anything, so pass the path of
    a copy you have. Arrays are read with `allow_pickle=False`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} not found. Download Keras' mnist.npz once and pass its path: "
            "mnist.load_data('/path/to/mnist.npz')."
        )
    with np.load(path, allow_pickle=False) as data:
        missing = [k for k in KEYS if k not in data.files]
        if missing:
            raise ValueError(
                f"{path.name} lacks {missing}: expected Keras' mnist.npz layout with arrays "
                f"{list(KEYS)}; found {data.files}."
            )
        x_train, y_train, x_test, y_test = (data[k] for k in KEYS)
    return (x_train, y_train), (x_test, y_test)
