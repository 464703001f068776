"""IDX files as MNIST and Fashion-MNIST ship them, and the ways they can be broken."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from designer.data.errors import DataFormatError
from designer.data.idx_format import FASHION_MNIST_DIR, load_fashion_mnist, read_idx


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


@pytest.mark.parametrize("compressed", [False, True])
def test_reads_images_plain_and_gzipped(tmp_path: Path, compressed: bool) -> None:
    images = np.arange(2 * 28 * 28, dtype=np.uint16).reshape(2, 28, 28) % 256
    data = idx_bytes(images)
    path = tmp_path / ("x.idx.gz" if compressed else "x.idx")
    path.write_bytes(gzip.compress(data) if compressed else data)
    array = read_idx(path)
    assert array.shape == (2, 28, 28) and array.dtype == np.uint8
    np.testing.assert_array_equal(array, images)


def test_big_endian_int32_values(tmp_path: Path) -> None:
    values = np.array([1, -2, 70000], dtype=">i4")
    path = tmp_path / "v.idx"
    path.write_bytes(bytes([0, 0, 0x0C, 1]) + (3).to_bytes(4, "big") + values.tobytes())
    np.testing.assert_array_equal(read_idx(path), [1, -2, 70000])


def test_wrong_magic_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.idx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(DataFormatError, match=r"bad\.idx: is not an IDX file"):
        read_idx(path)


def test_truncated_file_says_how_much_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "short.idx"
    path.write_bytes(idx_bytes(np.zeros((3, 4), np.uint8))[:-5])
    with pytest.raises(DataFormatError, match=r"truncated.*\(3, 4\)"):
        read_idx(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.idx"
    path.write_bytes(b"")
    with pytest.raises(DataFormatError, match="empty"):
        read_idx(path)


def test_missing_fashion_mnist_explains_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist(tmp_path)


@pytest.mark.skipif(not FASHION_MNIST_DIR.exists(), reason="dataset-fashion-mnist not installed")
def test_fashion_mnist_from_the_debian_package() -> None:
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and set(np.unique(y_test)) == set(range(10))
