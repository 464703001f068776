"""NumPy files: an `.npy` pair (inputs, targets) or an `.npz` archive (Keras' mnist.npz).

Headers are parsed and sizes checked by `npy_format` before anything is allocated, and
data is read in chunks so progress and cancel work. Object arrays are refused with a
message, never unpickled; an `.npz` member that claims more than its archive can hold
(a damaged header, a zip bomb) is refused before it is inflated.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from designer.data import npy_format
from designer.data.checks import (
    check_labels_dtype,
    check_numeric,
    check_same_length,
    check_samples,
)
from designer.data.dataset import Dataset
from designer.data.errors import DataFormatError
from designer.data.labels import text_to_indices
from designer.data.npy_format import MAX_ARRAY_BYTES, NPY_MAGIC, read_header
from designer.data.progress import CancelledFn, ProgressFn, Reporter

__all__ = ["MAX_ARRAY_BYTES", "MNIST_KEYS", "inspect_npz", "load_npy", "load_npz", "read_npy"]

ZIP_MAGIC = b"PK\x03\x04"
MNIST_KEYS = ("x_train", "y_train", "x_test", "y_test")
DEFLATE_MAX_RATIO = 1032  # DEFLATE never expands a stream more than about 1032 times
# What zipfile and the decompressors raise for damaged archives and members.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # an unknown compression method or flag
    RuntimeError,  # an encrypted member
    OSError,
    struct.error,
    ValueError,
)


def read_npy(path: str | Path, reporter: Reporter | None = None) -> np.ndarray:
    """One `.npy` array, checked (magic, header, objects, truncation) and read in chunks."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            magic = stream.read(len(NPY_MAGIC))
            if size == 0:
                raise DataFormatError(path, "is empty.")
            if magic != NPY_MAGIC:
                hint = "It looks like a .npz archive." if magic.startswith(ZIP_MAGIC) else None
                raise DataFormatError(
                    path, "is not a NumPy .npy file (it does not start with \\x93NUMPY).", hint
                )
            stream.seek(0)
            header = read_header(path, stream)
            npy_format.check_size(path, "", header, size - header.offset)
            return npy_format.read_data(path, stream, header, "", reporter)
    except FileNotFoundError:
        raise DataFormatError(path, "was not found.") from None
    except OSError as error:
        raise DataFormatError(path, f"cannot be read: {error.strerror or error}.") from None


def _prepare_x(path: Path, name: str, x: np.ndarray) -> np.ndarray:
    """NaN and inf are kept: Prepare refuses them, or drops their rows when asked."""
    check_samples(path, name, x)
    check_numeric(path, name, x)
    if x.dtype == np.float64:
        with np.errstate(over="ignore"):
            x = x.astype(np.float32)
    return x


def _prepare_y(path: Path, name: str, y: np.ndarray) -> np.ndarray:
    check_samples(path, name, y)
    check_labels_dtype(path, name, y)
    if y.dtype.kind in "US":
        return y
    if y.dtype == np.float64:
        with np.errstate(over="ignore"):
            y = y.astype(np.float32)
    return y


def _dataset(
    paths: dict[str, Path],
    arrays: dict[str, np.ndarray | None],
    source_kind: str,
    options: dict,
    name: str,
) -> Dataset:
    from designer.data.source import DataSource

    for part in ("train", "test"):
        x, y = arrays.get(f"x_{part}"), arrays.get(f"y_{part}")
        if (x is None) != (y is None):
            missing = f"y_{part}" if y is None else f"x_{part}"
            raise DataFormatError(paths[f"x_{part}"], f"has no matching {missing} array.")
        if x is None:
            continue
        arrays[f"x_{part}"] = _prepare_x(paths[f"x_{part}"], f"x_{part}", x)
        arrays[f"y_{part}"] = _prepare_y(paths[f"y_{part}"], f"y_{part}", y)
        check_same_length(paths[f"y_{part}"], x, y, f"x_{part}", f"y_{part}")
    x_train, y_train = arrays["x_train"], arrays["y_train"]
    x_test, y_test = arrays.get("x_test"), arrays.get("y_test")
    if x_test is not None and x_test.shape[1:] != x_train.shape[1:]:
        raise DataFormatError(
            paths["x_test"],
            f"test samples have shape {x_test.shape[1:]} but training samples have "
            f"{x_train.shape[1:]}.",
        )
    class_names: tuple[str, ...] = ()
    if y_train.dtype.kind in "US" or (y_test is not None and y_test.dtype.kind in "US"):
        (y_train, y_test), class_names = text_to_indices(y_train, y_test)
    return Dataset(
        x_train,
        y_train,
        x_test,
        y_test,
        class_names=class_names,
        source=DataSource(source_kind, options),
        name=name,
    )


def load_npy(
    x_path: str | Path,
    y_path: str | Path,
    x_test_path: str | Path | None = None,
    y_test_path: str | Path | None = None,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """Inputs and targets from separate `.npy` files (optionally a test pair too)."""
    given = {"x_train": x_path, "y_train": y_path, "x_test": x_test_path, "y_test": y_test_path}
    paths = {k: Path(v) for k, v in given.items() if v is not None}
    paths.setdefault("x_test", paths.get("y_test", paths["x_train"]))
    paths.setdefault("y_test", paths["x_test"])
    reporter = Reporter(progress, cancelled)
    reporter.check()
    files = [k for k, v in given.items() if v is not None]
    arrays: dict[str, np.ndarray | None] = {}
    for i, key in enumerate(files):
        arrays[key] = read_npy(paths[key], reporter.sub(i / len(files), (i + 1) / len(files)))
    options = {
        "x_path": str(x_path),
        "y_path": str(y_path),
        "x_test_path": None if x_test_path is None else str(x_test_path),
        "y_test_path": None if y_test_path is None else str(y_test_path),
    }
    return _dataset(paths, arrays, "npy", options, Path(x_path).stem)


def inspect_npz(path: str | Path) -> dict[str, tuple[tuple[int, ...], str]]:
    """Array names with shape and dtype, read from the headers only (for a key chooser)."""
    path = Path(path)
    info = {}
    with _open_zip(path) as archive:
        for key, member in _members(path, archive).items():
            try:
                with archive.open(member) as stream:
                    header = read_header(path, stream, f"array {key!r}")
            except DataFormatError:
                raise
            except ZIP_ERRORS as error:
                raise DataFormatError(path, f"is damaged ({error}).") from None
            info[key] = (header.shape, str(header.dtype))
    return info


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
    except FileNotFoundError:
        raise DataFormatError(path, "was not found.") from None
    except OSError as error:
        raise DataFormatError(path, f"cannot be read: {error.strerror or error}.") from None
    if not head:
        raise DataFormatError(path, "is empty.")
    if head != ZIP_MAGIC:
        hint = "It looks like a single .npy array." if head == NPY_MAGIC[:4] else None
        raise DataFormatError(path, "is not a NumPy .npz archive (not a zip file).", hint)
    try:
        return zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise DataFormatError(
            path, "is truncated or damaged (not a complete zip archive)."
        ) from None


def _members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The `.npy` members by array name (as `np.load` names them: without `.npy`)."""
    return {
        info.filename[:-4]: info for info in archive.infolist() if info.filename.endswith(".npy")
    }


def _member_bytes(info: zipfile.ZipInfo, archive_size: int) -> int:
    """The most a member can unpack to: its declared size, and what its compressed bytes
    can possibly expand to (a member claiming more is damaged or a zip bomb)."""
    packed = min(info.compress_size, archive_size)
    if info.compress_type == zipfile.ZIP_STORED:
        return min(info.file_size, packed)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return min(info.file_size, packed * DEFLATE_MAX_RATIO + 1024)
    return info.file_size


def _read_member(
    path: Path, archive: zipfile.ZipFile, key: str, info: zipfile.ZipInfo, reporter: Reporter
) -> np.ndarray:
    name = f"array {key!r}"
    with archive.open(info) as stream:
        header = read_header(path, stream, name)
        available = _member_bytes(info, path.stat().st_size) - header.offset
        npy_format.check_size(path, name, header, available)
        return npy_format.read_data(path, stream, header, name, reporter)


def _choose_keys(path: Path, keys: list[str], wanted: dict[str, str | None]) -> dict[str, str]:
    if wanted["x_train"] is None and wanted["y_train"] is None:
        if all(k in keys for k in MNIST_KEYS[:2]):
            chosen = {k: k for k in MNIST_KEYS if k in keys}
        elif "x" in keys and "y" in keys:
            chosen = {"x_train": "x", "y_train": "y"}
            chosen.update({k: k for k in MNIST_KEYS[2:] if k in keys})
        else:
            raise DataFormatError(
                path,
                f"holds arrays {', '.join(map(repr, keys))}; it is not clear which are the "
                "inputs and the targets.",
                "Choose x_key and y_key (Keras' mnist.npz layout x_train, y_train, x_test, "
                "y_test is recognised by itself).",
            )
        for role, key in wanted.items():
            if key is not None:
                chosen[role] = key
    else:
        chosen = {role: key for role, key in wanted.items() if key is not None}
    for role in ("x_train", "y_train"):
        if role not in chosen:
            raise DataFormatError(path, f"needs a key for {role}; choose x_key and y_key.")
    for role, key in chosen.items():
        if key not in keys:
            raise DataFormatError(
                path, f"has no array {key!r} (for {role}). It holds: {', '.join(map(repr, keys))}."
            )
    return chosen


def load_npz(
    path: str | Path,
    *,
    x_key: str | None = None,
    y_key: str | None = None,
    x_test_key: str | None = None,
    y_test_key: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """A Dataset from an `.npz` archive; Keras' mnist.npz layout is recognised."""
    path = Path(path)
    reporter = Reporter(progress, cancelled)
    reporter.check()
    wanted = {"x_train": x_key, "y_train": y_key, "x_test": x_test_key, "y_test": y_test_key}
    arrays: dict[str, np.ndarray | None] = {}
    with _open_zip(path) as archive:
        members = _members(path, archive)
        chosen = _choose_keys(path, list(members), wanted)
        for i, (role, key) in enumerate(chosen.items()):
            step = reporter.sub(i / len(chosen), (i + 1) / len(chosen))
            try:
                arrays[role] = _read_member(path, archive, key, members[key], step)
            except DataFormatError:
                raise
            except ZIP_ERRORS as error:
                raise DataFormatError(path, f"is truncated or damaged ({error}).") from None
    options = {"path": str(path), "x_key": x_key, "y_key": y_key}
    options.update({"x_test_key": x_test_key, "y_test_key": y_test_key})
    paths = dict.fromkeys(MNIST_KEYS, path)
    return _dataset(paths, arrays, "npz", options, path.stem)
