"""NumPy files: .npy pairs and .npz archives, read without pickle, broken ones named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from designer.data import npy_format
from designer.data.errors import DataFormatError, LoadCancelled
from designer.data.numpy_loader import inspect_npz, load_npy, load_npz


def save(tmp_path: Path, name: str, array: np.ndarray) -> Path:
    path = tmp_path / name
    np.save(path, array, allow_pickle=array.dtype.hasobject)
    return path


def test_npy_pair(tmp_path: Path) -> None:
    x = np.arange(20, dtype=np.float64).reshape(10, 2)
    y = np.arange(10) % 3
    data = load_npy(save(tmp_path, "x.npy", x), save(tmp_path, "y.npy", y))
    assert data.x_train.dtype == np.float32  # float64 comes in as the engine's float32
    np.testing.assert_array_equal(data.x_train, x)
    np.testing.assert_array_equal(data.y_train, y)
    assert data.num_classes == 3 and not data.has_test


def test_npy_images_keep_uint8_and_big_endian_becomes_native(tmp_path: Path) -> None:
    x = (np.arange(5 * 4 * 4) % 256).astype(np.uint8).reshape(5, 4, 4)
    y = np.array([1, 2, 3, 4, 5], dtype=">i4")
    data = load_npy(save(tmp_path, "x.npy", x), save(tmp_path, "y.npy", y))
    assert data.x_train.dtype == np.uint8 and data.is_image
    assert data.y_train.dtype.isnative and list(data.y_train) == [1, 2, 3, 4, 5]


def test_npy_text_labels_become_classes(tmp_path: Path) -> None:
    x = np.zeros((4, 2), np.float32)
    y = np.array(["cat", "dog", "cat", "bird"])
    data = load_npy(save(tmp_path, "x.npy", x), save(tmp_path, "y.npy", y))
    assert data.class_names == ("bird", "cat", "dog")
    np.testing.assert_array_equal(data.y_train, [1, 2, 1, 0])


def test_npy_chunked_copy_reports_progress(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(npy_format, "CHUNK_BYTES", 64)
    x = np.random.default_rng(0).random((100, 4)).astype(np.float32)
    seen: list[float] = []
    data = load_npy(
        save(tmp_path, "x.npy", x), save(tmp_path, "y.npy", np.zeros(100)), progress=seen.append
    )
    np.testing.assert_array_equal(data.x_train, x)
    assert len(seen) > 10 and seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(LoadCancelled):
        load_npy(tmp_path / "x.npy", tmp_path / "y.npy", cancelled=lambda: len(seen) > 0)


def test_object_arrays_are_refused(tmp_path: Path) -> None:
    path = save(tmp_path, "obj.npy", np.array([{"a": 1}, None], dtype=object))
    with pytest.raises(DataFormatError, match=r"obj\.npy: .*dtype=object.*never loaded"):
        load_npy(path, path)
    npz = tmp_path / "obj.npz"
    np.savez(npz, x=np.zeros((2, 2)), y=np.array([None, 1], dtype=object))
    with pytest.raises(DataFormatError, match=r"obj\.npz: array 'y' holds Python objects"):
        load_npz(npz)


def test_length_mismatch(tmp_path: Path) -> None:
    x = save(tmp_path, "x.npy", np.zeros((100, 3)))
    y = save(tmp_path, "y.npy", np.zeros(99))
    with pytest.raises(
        DataFormatError, match=r"y\.npy: x_train has 100 samples but y_train has 99"
    ):
        load_npy(x, y)


def test_nan_and_inf_are_kept_for_prepare(tmp_path: Path) -> None:
    x = np.ones((6, 3))
    x[4, 1] = np.nan
    x[5, 0] = np.inf
    x[3, 2] = 1e300  # finite in float64, inf in float32
    data = load_npy(save(tmp_path, "x.npy", x), save(tmp_path, "y.npy", np.zeros(6)))
    assert data.x_train.dtype == np.float32
    assert (~np.isfinite(data.x_train)).any(axis=1).tolist() == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"hello world, not numpy", r"is not a NumPy \.npy file"),
        (b"PK\x03\x04rest", r"It looks like a \.npz archive"),
    ],
)
def test_not_an_npy_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.npy"
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=message):
        load_npy(path, path)


def test_truncated_npy(tmp_path: Path) -> None:
    good = save(tmp_path, "good.npy", np.zeros((10, 10), np.float32))
    short = tmp_path / "short.npy"
    short.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(DataFormatError, match=r"short\.npy: is truncated.*\(10, 10\) float32"):
        load_npy(short, good)


def test_mnist_npz_layout_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "mnist.npz"
    rng = np.random.default_rng(1)
    arrays = {
        "x_train": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, 12, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, 3, dtype=np.uint8),
    }
    np.savez_compressed(path, **arrays)
    assert inspect_npz(path)["x_train"] == ((12, 28, 28), "uint8")
    data = load_npz(path)
    for key, value in arrays.items():
        np.testing.assert_array_equal(getattr(data, key), value)
    assert data.input_shape == (28, 28) and data.n_test == 3 and data.is_image


def test_npz_keys(tmp_path: Path) -> None:
    path = tmp_path / "d.npz"
    np.savez(path, features=np.ones((4, 2)), target=np.arange(4), x=np.zeros((4, 1)), y=np.ones(4))
    data = load_npz(path)  # "x"/"y" are taken when there is no mnist layout
    assert data.input_shape == (1,)
    data = load_npz(path, x_key="features", y_key="target")
    assert data.input_shape == (2,) and list(data.y_train) == [0, 1, 2, 3]
    with pytest.raises(DataFormatError, match=r"has no array 'nope' \(for y_train\)"):
        load_npz(path, x_key="features", y_key="nope")
    other = tmp_path / "o.npz"
    np.savez(other, a=np.ones((2, 2)), b=np.ones(2))
    with pytest.raises(DataFormatError, match=r"holds arrays 'a', 'b'.*Choose x_key and y_key"):
        load_npz(other)


def test_broken_npz(tmp_path: Path) -> None:
    good = tmp_path / "good.npz"
    np.savez(good, x=np.ones((50, 50)), y=np.ones(50))
    short = tmp_path / "short.npz"
    short.write_bytes(good.read_bytes()[:-100])
    with pytest.raises(DataFormatError, match=r"short\.npz: is truncated or damaged"):
        load_npz(short)
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(DataFormatError, match="is empty"):
        load_npz(empty)
    text = tmp_path / "text.npz"
    text.write_text("x,y\n1,2\n")
    with pytest.raises(DataFormatError, match="not a zip file"):
        load_npz(text)


def npy_with_header(header: str, body: bytes = b"") -> bytes:
    text = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin-1") + body


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", "not a Python dict literal"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2 * 3,)}", "not a Python dict"),
        ("{'descr': '<f4', 'shape': (2,)}", "expected the keys"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2)}", "not a tuple of sizes"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "fortran_order 0"),
        ("{'descr': 'garbage', 'fortran_order': False, 'shape': (2,)}", "is not a data type"),
        ("{'descr': '<U0', 'fortran_order': False, 'shape': (10,)}", "hold no data"),
        ("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,)}", "structured dtype"),
        ("{'descr': '(3,)<f4', 'fortran_order': False, 'shape': (2,)}", "structured dtype"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (10000000000, 1000)}", "40,000,000"),
    ],
)
def test_damaged_npy_headers_are_named(tmp_path: Path, header: str, message: str) -> None:
    """np.load let a tokenizer error through for an unclosed header; we name each fault."""
    path = tmp_path / "x.npy"
    path.write_bytes(npy_with_header(header, bytes(64)))
    with pytest.raises(DataFormatError, match=message):
        load_npy(path, path)


def test_samples_without_values_are_refused(tmp_path: Path) -> None:
    x = save(tmp_path, "x.npy", np.zeros((5, 0), np.float32))
    with pytest.raises(DataFormatError, match=r"samples of shape \(0,\), which hold no values"):
        load_npy(x, save(tmp_path, "y.npy", np.zeros(5)))


def test_fortran_order_and_big_endian_members_of_an_npz(tmp_path: Path) -> None:
    x = np.asfortranarray(np.arange(12, dtype=">f8").reshape(4, 3))
    path = tmp_path / "f.npz"
    np.savez(path, x=x, y=np.arange(4, dtype=">i4"))
    data = load_npz(path)
    np.testing.assert_array_equal(data.x_train, x)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype.byteorder in "=|<"


def test_npz_members_that_are_not_arrays_are_not_keys(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "d.npz"
    np.savez(path, x=np.ones((3, 2)), y=np.arange(3))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("readme.txt", "not an array")
    assert set(inspect_npz(path)) == {"x", "y"}
    assert load_npz(path).n_samples == 3
    with pytest.raises(DataFormatError, match=r"has no array 'readme.txt'"):
        load_npz(path, x_key="readme.txt", y_key="y")


def test_npz_member_with_an_unknown_compression_method(tmp_path: Path) -> None:
    path = tmp_path / "d.npz"
    np.savez_compressed(path, x=np.ones((3, 2)), y=np.arange(3))
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] = 99  # compression method 99: AES, which zipfile cannot read
            start += 4
    path.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match=r"d\.npz: is truncated or damaged"):
        load_npz(path)
