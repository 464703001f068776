"""Property tests for every data reader: mutated files end in DataFormatError or a Dataset.

Each reader gets a fixed number of seeded mutations of a valid file (bytes flipped,
cut, inserted or repeated; sizes, dimensions and dtype descriptors replaced; CSV lines
dropped, repeated or garbled). No other exception type may escape, and no mutation may
make the reader allocate far more than the file holds (see `fuzzing.run_fuzz`).
"""

from __future__ import annotations

import ast
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from designer.data.csv_loader import load_csv
from designer.data.dataset import Dataset
from designer.data.errors import DataFormatError
from designer.data.idx_loader import load_fashion_mnist_dataset, load_idx
from designer.data.numpy_loader import inspect_npz, load_npy, load_npz
from designer.data.prepare import Preparation, prepare
from designer.data.source import DataSource
from tests.data.fuzzing import byte_mutations, run_fuzz, set_u32
from tests.data.test_idx import idx_bytes


def usable(dataset: object) -> None:
    """What training needs from a Dataset: numbers, paired rows, and a preparation that
    either works or refuses NaN/inf by name (such values are kept until Prepare)."""
    assert isinstance(dataset, Dataset), type(dataset)
    for x, y in ((dataset.x_train, dataset.y_train), (dataset.x_test, dataset.y_test)):
        if x is None:
            continue
        assert len(x) == len(y) and len(x) > 0, (x.shape, y.shape)
        assert x.dtype.kind in "biuf" and y.dtype.kind in "biuf", (x.dtype, y.dtype)
        assert x.ndim >= 2 and min(x.shape[1:]) > 0, x.shape
    dataset.labels  # noqa: B018 - describing the labels must work
    try:
        prepared = prepare(dataset, Preparation(validation="none", drop_nonfinite=True))
    except ValueError as error:
        assert "NaN or infinite" in str(error), error
        return
    assert np.isfinite(prepared.x_train).all()
    assert prepared.y_train.dtype.kind != "f" or np.isfinite(prepared.y_train).all()


# -- CSV ------------------------------------------------------------------------------
CSV_TEXT = "\n".join(
    ["sepal length,sepal width,petal length,species"]
    + [f"{5 + i / 10:.1f},{3 - i / 20:.2f},{1 + i / 7:.3f},{'abc'[i % 3]}" for i in range(24)]
)
CSV_GARBAGE = (
    "",
    ",",
    ";",
    '"',
    '""',
    "nan",
    "inf",
    "-inf",
    "1e400",
    "1e-400",
    "\x00",
    "\t",
    " ",
    "ä",
    "\ufeff",
    "0x1F",
    "1_000",
    "--1",
    "+",
    "NaN",
    "1,5",
    "\r",
)


def mutate_csv(rng: np.random.Generator) -> bytes:
    lines = CSV_TEXT.split("\n")
    for _ in range(int(rng.integers(1, 4))):
        kind = int(rng.integers(7))
        i = int(rng.integers(len(lines))) if lines else 0
        if kind == 0 and lines:
            del lines[i]
        elif kind == 1 and lines:
            lines.insert(i, lines[i])
        elif kind == 2 and lines:
            cells = lines[i].split(",")
            j = int(rng.integers(len(cells)))
            cells[j] = str(rng.choice(CSV_GARBAGE))
            lines[i] = ",".join(cells)
        elif kind == 3 and lines:
            lines[i] = lines[i] + "," + str(rng.choice(CSV_GARBAGE))
        elif kind == 4 and lines:
            lines[i] = lines[i].rsplit(",", 1)[0]
        elif kind == 5:
            lines = lines[: int(rng.integers(len(lines) + 1))]
        elif kind == 6 and lines:
            lines[0] = ",".join(str(rng.choice(CSV_GARBAGE)) for _ in range(4))
    data = "\n".join(lines).encode()
    if rng.random() < 0.3:
        data = byte_mutations(data, rng)()
    return data


def test_csv_reader_fuzz(tmp_path: Path) -> None:
    rng = np.random.default_rng(101)
    path = tmp_path / "iris.csv"

    def load(_: int) -> Dataset:
        path.write_bytes(mutate_csv(rng))
        return load_csv(path)

    outcomes = run_fuzz(load, (DataFormatError,), usable)
    assert outcomes["usable"] > 20 and outcomes["error"] > 20


# -- .npy -------------------------------------------------------------------------------
DESCRIPTORS = (
    "'|O'",
    "'<U5'",
    "'<U0'",
    "'|S0'",
    "'|V0'",
    "'<c8'",
    "'>f8'",
    "'|b1'",
    "'<M8[s]'",
    "'<m8[D]'",
    "[('a', '<i4')]",
    "'garbage'",
    "42",
    "None",
    "'<f2'",
    "'<i8'",
    "{'names': ['a'], 'formats': ['<f4']}",
    "'V4'",
    "'<U1000000000'",
)
SHAPES = (
    "()",
    "(0,)",
    "(0, 3)",
    "(3, 0)",
    "(-1, 3)",
    "(1000000000, 1000000000)",
    f"({2**62}, 4)",
    repr((1,) * 64),
    "(4, 3, 0, 1000000000000)",
    "(True, 3)",
    "(12, 3, 1)",
    "(11, 3)",
    "(13,)",
    "'a'",
    "(1.5, 2)",
    f"({10**30},)",
)


def npy_bytes(array: np.ndarray) -> bytes:
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=False)
    return stream.getvalue()


def npy_with_header(header: str, body: bytes) -> bytes:
    """An .npy file (format 1.0) with this header text, padded as NumPy pads it."""
    text = header + " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode("latin-1") + body


def split_npy(data: bytes) -> tuple[dict[str, str], bytes] | None:
    """The header's three fields as source text, and the bytes after the header."""
    if not data.startswith(b"\x93NUMPY\x01\x00") or len(data) < 10:
        return None
    size = int.from_bytes(data[8:10], "little")
    try:
        header = ast.literal_eval(data[10 : 10 + size].decode("latin-1"))
    except (ValueError, SyntaxError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        return None
    return {k: repr(v) for k, v in header.items()}, data[10 + size :]


def edit_header(data: bytes, rng: np.random.Generator) -> bytes:
    """Replace the descr, the shape or fortran_order in an .npy header."""
    parts = split_npy(data)
    if parts is None:
        return data
    fields, body = parts
    kind = int(rng.integers(3))
    if kind == 0:
        fields["descr"] = str(rng.choice(DESCRIPTORS))
    elif kind == 1:
        fields["shape"] = str(rng.choice(SHAPES))
    else:
        fields["fortran_order"] = "True"
    return npy_with_header("{" + ", ".join(f"'{k}': {v}" for k, v in fields.items()) + "}", body)


def edit_header_to(data: bytes, shape: str) -> bytes:
    fields, body = split_npy(data)
    fields["shape"] = shape
    return npy_with_header("{" + ", ".join(f"'{k}': {v}" for k, v in fields.items()) + "}", body)


@pytest.fixture()
def npy_pair(tmp_path: Path) -> tuple[bytes, bytes]:
    rng = np.random.default_rng(7)
    x = rng.random((12, 3)).astype(np.float32)
    y = rng.integers(0, 3, 12).astype(np.int64)
    return npy_bytes(x), npy_bytes(y)


def test_npy_reader_fuzz(tmp_path: Path, npy_pair: tuple[bytes, bytes]) -> None:
    rng = np.random.default_rng(202)
    x_bytes, y_bytes = npy_pair
    mutate_x = byte_mutations(x_bytes, rng, (edit_header, edit_header))
    mutate_y = byte_mutations(y_bytes, rng, (edit_header, edit_header))
    x_path, y_path = tmp_path / "x.npy", tmp_path / "y.npy"

    def load(i: int) -> Dataset:
        x_path.write_bytes(mutate_x() if i % 3 else x_bytes)
        y_path.write_bytes(mutate_y() if i % 3 != 1 else y_bytes)
        return load_npy(x_path, y_path)

    outcomes = run_fuzz(load, (DataFormatError,), usable)
    assert outcomes["usable"] > 5 and outcomes["error"] > 50


# -- .npz -------------------------------------------------------------------------------
def npz_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return stream.getvalue()


def test_npz_reader_fuzz(tmp_path: Path, npy_pair: tuple[bytes, bytes]) -> None:
    """Half the mutations hit the zip structure, half the .npy members inside it."""
    rng = np.random.default_rng(303)
    x_bytes, y_bytes = npy_pair
    whole = npz_bytes({"x.npy": x_bytes, "y.npy": y_bytes})
    mutate_zip = byte_mutations(whole, rng)
    mutate_x = byte_mutations(x_bytes, rng, (edit_header, edit_header))
    path = tmp_path / "d.npz"

    def load(i: int) -> Dataset:
        if i % 2:
            path.write_bytes(mutate_zip())
        else:
            stored = zipfile.ZIP_STORED if i % 4 else zipfile.ZIP_DEFLATED
            path.write_bytes(npz_bytes({"x.npy": mutate_x(), "y.npy": y_bytes}, stored))
        if i % 5 == 0:
            inspect_npz(path)
        return load_npz(path)

    outcomes = run_fuzz(load, (DataFormatError,), usable)
    assert outcomes["usable"] > 5 and outcomes["error"] > 50


def test_npz_whose_header_claims_a_huge_shape_is_refused_before_reading(tmp_path: Path) -> None:
    header = edit_header_to(npy_bytes(np.zeros((4, 3), np.float32)), "(1000000, 1000000)")
    path = tmp_path / "huge.npz"
    path.write_bytes(npz_bytes({"x.npy": header, "y.npy": npy_bytes(np.zeros(4))}))
    with pytest.raises(DataFormatError, match=r"huge\.npz: array 'x'.*4,000,000,000,000"):
        load_npz(path)


def test_npz_bomb_is_refused_before_inflating(tmp_path: Path, monkeypatch) -> None:
    from designer.data import npy_format

    monkeypatch.setattr(npy_format, "MAX_ARRAY_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.npz"
    zeros = npy_bytes(np.zeros((4096, 1024), np.uint8))  # 4 MB of zeros, 4 kB deflated
    path.write_bytes(npz_bytes({"x.npy": zeros, "y.npy": npy_bytes(np.zeros(4096))}))
    with pytest.raises(DataFormatError, match=r"array 'x'.*4,194,304 bytes.*1,048,576"):
        load_npz(path)


# -- IDX ------------------------------------------------------------------------------
def mutate_idx_dims(data: bytes, rng: np.random.Generator) -> bytes:
    """Change the type code, the number of dimensions or one dimension."""
    if len(data) < 4:
        return data
    kind = int(rng.integers(3))
    if kind == 0:
        return data[:2] + bytes([int(rng.choice([8, 9, 11, 12, 13, 14, 7, 15]))]) + data[3:]
    if kind == 1:
        return data[:3] + bytes([int(rng.choice([0, 1, 2, 4, 255]))]) + data[4:]
    return set_u32(data, rng, 4 + 4 * int(rng.integers(max(data[3], 1))))


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_idx_reader_fuzz(tmp_path: Path, gz: bool) -> None:
    rng = np.random.default_rng(404 + gz)
    images = idx_bytes(rng.integers(0, 256, (9, 6, 5)))
    labels = idx_bytes(rng.integers(0, 10, 9))
    mutate_images = byte_mutations(images, rng, (mutate_idx_dims,) * 3)
    mutate_labels = byte_mutations(labels, rng, (mutate_idx_dims,) * 3)
    image_path, label_path = tmp_path / "images.idx", tmp_path / "labels.idx"

    def write(path: Path, data: bytes) -> None:
        if gz:
            packed = gzip.compress(data, mtime=0)
            data = packed[: int(rng.integers(len(packed) + 1))] if rng.random() < 0.2 else packed
        path.write_bytes(data)

    def load(i: int) -> Dataset:
        write(image_path, mutate_images() if i % 3 else images)
        write(label_path, mutate_labels() if i % 3 != 1 else labels)
        return load_idx(image_path, label_path)

    outcomes = run_fuzz(load, (DataFormatError,), usable)
    assert outcomes["usable"] > 5 and outcomes["error"] > 50


def test_fashion_mnist_folder_fuzz(tmp_path: Path) -> None:
    """The Debian layout (four .gz files), one of them damaged per load."""
    rng = np.random.default_rng(505)
    files = {
        "train-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (6, 4, 4))),
        "train-labels-idx1-ubyte": idx_bytes(rng.integers(0, 10, 6)),
        "t10k-images-idx3-ubyte": idx_bytes(rng.integers(0, 256, (2, 4, 4))),
        "t10k-labels-idx1-ubyte": idx_bytes(rng.integers(0, 10, 2)),
    }
    packed = {name: gzip.compress(data, mtime=0) for name, data in files.items()}
    names = list(files)
    mutators = {name: byte_mutations(packed[name], rng) for name in names}
    raw = {name: byte_mutations(files[name], rng, (mutate_idx_dims,) * 3) for name in names}

    def load(i: int) -> Dataset:
        victim = names[i % 4]
        for name in names:
            data = packed[name]
            if name == victim:
                data = mutators[name]() if i % 2 else gzip.compress(raw[name](), mtime=0)
            (tmp_path / f"{name}.gz").write_bytes(data)
        return load_fashion_mnist_dataset(tmp_path)

    outcomes = run_fuzz(load, (DataFormatError,), usable, count=120)
    assert outcomes["error"] > 40


def test_truncated_gz_names_both_sizes(tmp_path: Path) -> None:
    images = np.zeros((60, 28, 28), np.uint8)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    packed = gzip.compress(idx_bytes(images))
    path.write_bytes(packed[: len(packed) // 2])
    labels = tmp_path / "labels.idx"
    labels.write_bytes(idx_bytes(np.zeros(60, np.uint8)))
    with pytest.raises(
        DataFormatError,
        match=r"train-images-idx3-ubyte\.gz: is truncated: the header promises 47,056 bytes"
        r".*the file holds [\d,]+ after decompression",
    ):
        load_idx(path, labels)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_header_claiming_a_huge_array_allocates_nothing(tmp_path: Path, gz: bool) -> None:
    data = bytes([0, 0, 0x08, 2]) + (10**9).to_bytes(4, "big") * 2 + bytes(100)
    path = tmp_path / "huge.idx"
    path.write_bytes(gzip.compress(data) if gz else data)
    labels = tmp_path / "labels.idx"
    labels.write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(DataFormatError, match=r"1,000,000,000,000,000,012 bytes"):
        load_idx(path, labels)


def test_idx_claiming_more_than_the_gzip_can_hold_counts_what_it_holds(tmp_path: Path) -> None:
    data = bytes([0, 0, 0x08, 1]) + (100_000_000).to_bytes(4, "big") + bytes(100)
    path = tmp_path / "short.idx.gz"
    path.write_bytes(gzip.compress(data))
    with pytest.raises(DataFormatError, match=r"promises 100,000,008 bytes.*holds 108 after"):
        load_idx(path, path)


# -- data source descriptions (the project's pointer to a file) --------------------------
SOURCE = {"kind": "npz", "options": {"path": "d.npz", "x_key": "x", "y_key": None}}
ODD_VALUES = (
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "x",
    [],
    [1, "a"],
    {},
    {"a": [1]},
    float("nan"),
    10**30,
    ["path"],
    {"kind": "csv"},
)


def odd(rng: np.random.Generator) -> object:
    return ODD_VALUES[int(rng.integers(len(ODD_VALUES)))]


def mutate_source(rng: np.random.Generator) -> object:
    data = {"kind": SOURCE["kind"], "options": dict(SOURCE["options"])}
    kind = int(rng.integers(6))
    if kind == 0:
        data.pop(str(rng.choice(["kind", "options"])))
    elif kind == 1:
        data[str(rng.choice(["kind", "options", "extra"]))] = odd(rng)
    elif kind == 2:
        key = str(rng.choice(["path", "x_key", "y_key", "x_test_key", "other"]))
        data["options"][key] = odd(rng)
    elif kind == 3:
        data["kind"] = str(rng.choice(["csv", "npy", "idx", "sample", "generator", "nope"]))
    elif kind == 4:
        data["options"].pop("path")
    else:
        return odd(rng)
    return data


def test_data_source_description_fuzz() -> None:
    rng = np.random.default_rng(606)

    def load(_: int) -> DataSource:
        return DataSource.from_dict(mutate_source(rng))

    def check(source: object) -> None:
        assert isinstance(source, DataSource)
        assert DataSource.from_dict(source.to_dict()) == source

    run_fuzz(load, (ValueError,), check)
