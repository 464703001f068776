"""IDX image/label pairs (MNIST layout) and Fashion-MNIST as Datasets, in one step."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from designer.data.checks import check_samples
from designer.data.dataset import Dataset
from designer.data.errors import DataFormatError
from designer.data.idx_format import FASHION_MNIST_DIR, load_fashion_mnist, read_idx
from designer.data.progress import CancelledFn, ProgressFn, Reporter

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def _pair(images: Path, labels: Path, reporter: Reporter) -> tuple[np.ndarray, np.ndarray]:
    x = read_idx(images, reporter.sub(0.0, 0.95).report)
    y = read_idx(labels, reporter.sub(0.95, 1.0).report)
    check_samples(images, "the image file", x)
    if x.ndim < 2:
        raise DataFormatError(
            images, f"holds an array of shape {x.shape}; expected images (count, rows, cols)."
        )
    if y.ndim != 1:
        raise DataFormatError(
            labels, f"holds an array of shape {y.shape}; expected one label per image."
        )
    if len(x) != len(y):
        raise DataFormatError(
            labels,
            f"has {len(y)} labels but {images.name} has {len(x)} images; the files must pair up.",
        )
    return x, y


def load_idx(
    images: str | Path,
    labels: str | Path,
    test_images: str | Path | None = None,
    test_labels: str | Path | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """Images and labels from IDX files (gzipped or not); optionally a test pair."""
    from designer.data.source import DataSource

    if (test_images is None) != (test_labels is None):
        raise DataFormatError(
            test_images or test_labels, "needs its partner: give test images and test labels."
        )
    reporter = Reporter(progress, cancelled)
    reporter.check()
    split = 1.0 if test_images is None else 6 / 7
    x, y = _pair(Path(images), Path(labels), reporter.sub(0.0, split))
    x_test = y_test = None
    if test_images is not None:
        x_test, y_test = _pair(Path(test_images), Path(test_labels), reporter.sub(split, 1.0))
        if x_test.shape[1:] != x.shape[1:]:
            raise DataFormatError(
                test_images,
                f"holds images of shape {x_test.shape[1:]} but the training images are "
                f"{x.shape[1:]}.",
            )
    options = {
        "images": str(images),
        "labels": str(labels),
        "test_images": None if test_images is None else str(test_images),
        "test_labels": None if test_labels is None else str(test_labels),
    }
    return Dataset(x, y, x_test, y_test, source=DataSource("idx", options), name=Path(images).name)


def load_fashion_mnist_dataset(
    directory: str | Path | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """Fashion-MNIST (60,000 + 10,000 uint8 28x28 images) with its class names."""
    from designer.data.source import DataSource

    reporter = Reporter(progress, cancelled)
    reporter.check()
    folder = FASHION_MNIST_DIR if directory is None else Path(directory)
    (x, y), (x_test, y_test) = load_fashion_mnist(folder, reporter.report)
    options = {} if directory is None else {"directory": str(directory)}
    return Dataset(
        x,
        y,
        x_test,
        y_test,
        class_names=FASHION_MNIST_CLASSES,
        source=DataSource("fashion_mnist", options),
        name="Fashion-MNIST",
    )
