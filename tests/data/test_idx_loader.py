"""IDX image/label pairs and Fashion-MNIST as Datasets, with progress and cancel."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from designer.data.errors import DataFormatError, LoadCancelled
from designer.data.idx_format import FASHION_MNIST_DIR
from designer.data.idx_loader import FASHION_MNIST_CLASSES, load_fashion_mnist_dataset, load_idx
from designer.engine.datasets import idx as engine_idx
from tests.data.test_idx import idx_bytes


def write_pair(
    tmp_path: Path, n: int, n_labels: int | None = None, gz: bool = False, prefix: str = "train"
) -> tuple[Path, Path]:
    rng = np.random.default_rng(n)
    images = rng.integers(0, 256, (n, 6, 5), dtype=np.uint8)
    labels = rng.integers(0, 10, n if n_labels is None else n_labels, dtype=np.uint8)
    paths = []
    for name, array in (("images", images), ("labels", labels)):
        data = idx_bytes(array)
        path = tmp_path / f"{prefix}-{name}.idx{'.gz' if gz else ''}"
        path.write_bytes(gzip.compress(data) if gz else data)
        paths.append(path)
    return paths[0], paths[1]


@pytest.mark.parametrize("gz", [False, True])
def test_pair_and_test_pair(tmp_path: Path, gz: bool) -> None:
    images, labels = write_pair(tmp_path, 7, gz=gz)
    t_images, t_labels = write_pair(tmp_path, 3, gz=gz, prefix="t10k")
    seen: list[float] = []
    data = load_idx(images, labels, t_images, t_labels, progress=seen.append)
    assert data.x_train.shape == (7, 6, 5) and data.x_train.dtype == np.uint8
    assert data.y_train.shape == (7,) and data.n_test == 3 and data.is_image
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
    assert data.source.kind == "idx" and data.source.options["test_labels"] == str(t_labels)


def test_count_mismatch(tmp_path: Path) -> None:
    images, labels = write_pair(tmp_path, 7, n_labels=6)
    with pytest.raises(DataFormatError, match=r"has 6 labels but train-images.idx has 7 images"):
        load_idx(images, labels)


def test_swapped_files(tmp_path: Path) -> None:
    images, labels = write_pair(tmp_path, 4)
    with pytest.raises(DataFormatError, match="expected images"):
        load_idx(labels, images)


def test_truncated_gzip(tmp_path: Path) -> None:
    images, labels = write_pair(tmp_path, 50, gz=True)
    images.write_bytes(images.read_bytes()[:-20])
    with pytest.raises(DataFormatError, match=r"train-images.idx.gz: is truncated"):
        load_idx(images, labels)


def test_cancel_between_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_idx, "_CHUNK", 16)
    images, labels = write_pair(tmp_path, 20)
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(LoadCancelled):
        load_idx(images, labels, cancelled=cancelled)


def test_missing_fashion_mnist_explains(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist_dataset(tmp_path)


@pytest.mark.skipif(not FASHION_MNIST_DIR.exists(), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_dataset() -> None:
    seen: list[float] = []
    data = load_fashion_mnist_dataset(progress=seen.append)
    assert data.class_names == FASHION_MNIST_CLASSES and data.num_classes == 10
    assert data.input_shape == (28, 28) and data.n_test == 10000
    assert seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    assert data.source.to_dict() == {"kind": "fashion_mnist", "options": {}}
