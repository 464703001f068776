"""Fashion-MNIST from Debian's `dataset-fashion-mnist` package (IDX files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from designer.engine.datasets.idx import FASHION_MNIST_DIR, load_fashion_mnist


def load_data(
    path: str | Path = FASHION_MNIST_DIR,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: 60,000 + 10,000 28x28 uint8 images."""
    return load_fashion_mnist(path)
