"""MNIST-style IDX files (gzipped or not) as arrays, and Fashion-MNIST where Debian installs it.

`idx_loader` turns these arrays into Datasets, as `numpy_loader` does with `npy_format`.

The format is read by the engine (`designer.engine.datasets.idx`, which checks every
size before it allocates); this module gives its errors the data layer's type, so the
GUI shows them like any other bad data file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from designer.data.errors import DataFormatError
from designer.data.progress import ProgressFn
from designer.engine.datasets import idx as _idx
from designer.engine.datasets.idx import FASHION_MNIST_DIR, FASHION_MNIST_HINT, IdxFormatError

__all__ = ["FASHION_MNIST_DIR", "FASHION_MNIST_HINT", "load_fashion_mnist", "read_idx"]


def _data_error(error: IdxFormatError) -> DataFormatError:
    return DataFormatError(error.path, error.message, error.hint)


def read_idx(path: str | Path, progress: ProgressFn | None = None) -> np.ndarray:
    """The array stored in an IDX file (native byte order).

    `progress(fraction)` is called while reading; it may raise LoadCancelled to stop.
    """
    try:
        return _idx.read_idx(path, progress)
    except IdxFormatError as error:
        raise _data_error(error) from None


def load_fashion_mnist(
    directory: str | Path = FASHION_MNIST_DIR,
    progress: ProgressFn | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)` as `keras.datasets.fashion_mnist.load_data()`."""
    try:
        return _idx.load_fashion_mnist(directory, progress)
    except IdxFormatError as error:
        raise _data_error(error) from None
