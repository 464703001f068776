"""MNIST-style IDX files (gzipped or not), and Fashion-MNIST where Debian installs it.

Format: two zero bytes, a type code (0x08 = unsigned byte ... 0x0E = float64), the
number of dimensions, then each dimension as a big-endian 32-bit integer, then the
values in row-major order.

The header is read first and the size it promises is checked before anything is
allocated: against a cap, against the file's size (plain files) or against what
DEFLATE can possibly expand to (gzip, at most 1032:1). A gzip stream is inflated only
up to that size, so a header that lies, a truncated download or a gzip bomb ends in
an `IdxFormatError` that names both sizes, never in a giant allocation.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_HINT = (
    "Fashion-MNIST comes from Debian's package dataset-fashion-mnist: "
    "sudo apt-get install dataset-fashion-mnist"
)

MAX_IDX_BYTES = 4 * 1024**3
"""Largest file (header and values, after decompression) read: EMNIST's biggest is 0.6 GB."""

DEFLATE_MAX_RATIO = 1032
"""DEFLATE never expands a stream more than about 1032 times (RFC 1951 block limits)."""

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20

ProgressFn = Callable[[float], None]


class IdxFormatError(ValueError):
    """An IDX file that is not what it should be; `path`, `message` and `hint` say why."""

    def __init__(self, path: str | Path, message: str, hint: str | None = None) -> None:
        self.path = Path(path)
        self.message = message
        self.hint = hint
        super().__init__(f"{self.path.name}: {message}" + (f" {hint}" if hint else ""))


def _inflate(raw: BinaryIO, path: Path) -> Iterator[bytes]:
    """Decompressed chunks of a gzip file (several members allowed); stops where it ends.

    A stream cut short simply stops: the caller counts what arrived, so the message can
    say how much the header promised and how much there was.
    """
    inflater = zlib.decompressobj(wbits=31)
    data = b""
    while True:
        if not data:
            data = raw.read(_CHUNK)
            if not data:
                return
        try:
            out = inflater.decompress(data, _CHUNK)
        except zlib.error as error:
            raise IdxFormatError(path, f"is damaged (its gzip data is invalid: {error}).") from None
        data = inflater.unconsumed_tail
        if out:
            yield out
        if inflater.eof:
            rest = inflater.unused_data + data
            if not rest.startswith(GZIP_MAGIC):  # trailing padding: the data is complete
                return
            inflater, data = zlib.decompressobj(wbits=31), rest


def _plain(raw: BinaryIO) -> Iterator[bytes]:
    while chunk := raw.read(_CHUNK):
        yield chunk


class _Reader:
    """Exact-size reads over decompressed chunks, reporting progress on the file."""

    def __init__(self, raw: BinaryIO, chunks: Iterator[bytes], size: int, progress) -> None:
        self.raw = raw
        self.chunks = chunks
        self.size = max(size, 1)
        self.progress = progress
        self.pending = b""
        self.count = 0  # decompressed bytes handed out so far

    def _next(self) -> bytes:
        chunk = next(self.chunks, b"")
        if chunk and self.progress is not None:
            self.progress(min(self.raw.tell() / self.size, 1.0))
        return chunk

    def read(self, n: int) -> bytes:
        """Up to `n` bytes (fewer only at the end of the data)."""
        parts, have = [], 0
        while have < n:
            chunk = self.pending or self._next()
            self.pending = b""
            if not chunk:
                break
            take = chunk[: n - have]
            self.pending = chunk[len(take) :]
            parts.append(take)
            have += len(take)
        self.count += have
        return b"".join(parts)

    def read_into(self, buffer: np.ndarray) -> int:
        """Fill the uint8 `buffer` from the stream; returns how many bytes arrived."""
        filled = 0
        while filled < len(buffer):
            chunk = self.pending or self._next()
            self.pending = b""
            if not chunk:
                break
            take = min(len(chunk), len(buffer) - filled)
            buffer[filled : filled + take] = np.frombuffer(chunk, np.uint8, count=take)
            self.pending = chunk[take:]
            filled += take
        self.count += filled
        return filled

    def skip_all(self) -> int:
        """Count the remaining bytes without keeping them."""
        while chunk := (self.pending or self._next()):
            self.pending = b""
            self.count += len(chunk)
        return self.count


def _truncated(path: Path, shape: tuple, dtype: np.dtype, promised: int, held: int) -> Exception:
    return IdxFormatError(
        path,
        f"is truncated: the header promises {promised:,} bytes (shape {shape} of "
        f"{dtype.name}, header included), the file holds {held:,}"
        + (" after decompression." if path.suffix == ".gz" else "."),
        "Download or copy the file again.",
    )


def _header(path: Path, reader: _Reader) -> tuple[np.dtype, tuple[int, ...], int]:
    magic = reader.read(4)
    if len(magic) < 4:
        raise IdxFormatError(path, "is empty or too short to be an IDX file.")
    if magic[0] != 0 or magic[1] != 0 or magic[2] not in _TYPES:
        raise IdxFormatError(
            path,
            f"is not an IDX file (magic bytes {magic.hex()}; expected 0000 followed by a "
            "type code 08-0E and the number of dimensions).",
        )
    dtype, ndim = _TYPES[magic[2]], magic[3]
    dims = reader.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise IdxFormatError(
            path,
            f"is truncated inside its header: {ndim} dimensions need {4 + 4 * ndim} bytes, "
            f"the file holds {4 + len(dims)}.",
        )
    shape = tuple(int.from_bytes(dims[4 * i : 4 * i + 4], "big") for i in range(ndim))
    return dtype, shape, 4 + 4 * ndim


def read_idx(path: str | Path, progress: ProgressFn | None = None) -> np.ndarray:
    """The array stored in an IDX file (native byte order).

    `progress(fraction)` is called while reading; it may raise (e.g. to cancel).
    """
    path = Path(path)
    promised = 0
    try:
        size = path.stat().st_size
        with path.open("rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
            raw.seek(0)
            chunks = _inflate(raw, path) if compressed else _plain(raw)
            reader = _Reader(raw, chunks, size, progress)
            dtype, shape, header = _header(path, reader)
            nbytes = math.prod(shape) * dtype.itemsize
            promised = header + nbytes
            if promised > MAX_IDX_BYTES:
                raise IdxFormatError(
                    path,
                    f"has a header that promises shape {shape} of {dtype.name}: "
                    f"{promised:,} bytes, more than the {MAX_IDX_BYTES:,} bytes read at most.",
                    "The header is damaged, or the file is too large to load here.",
                )
            possible = size * DEFLATE_MAX_RATIO + 65536 if compressed else size
            if promised > possible:
                raise _truncated(path, shape, dtype, promised, reader.skip_all())
            buffer = np.empty(nbytes, np.uint8)
            received = reader.read_into(buffer)
            if received < nbytes:
                raise _truncated(path, shape, dtype, promised, header + received)
    except FileNotFoundError:
        raise IdxFormatError(path, "was not found.") from None
    except MemoryError:
        raise IdxFormatError(
            path, f"is too large to load: {promised:,} bytes do not fit in memory."
        ) from None
    except OSError as error:
        raise IdxFormatError(path, f"cannot be read: {error.strerror or error}.") from None
    array = buffer.view(dtype)
    native = dtype.newbyteorder("=")
    if native.str != dtype.str:
        array = array.byteswap(inplace=True).view(native)
    return array.reshape(shape)


def load_fashion_mnist(
    directory: str | Path = FASHION_MNIST_DIR,
    progress: ProgressFn | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)` as `keras.datasets.fashion_mnist.load_data()`."""
    directory = Path(directory)
    names = {
        "x_train": "train-images-idx3-ubyte",
        "y_train": "train-labels-idx1-ubyte",
        "x_test": "t10k-images-idx3-ubyte",
        "y_test": "t10k-labels-idx1-ubyte",
    }
    found = {}
    for key, stem in names.items():
        candidates = [directory / f"{stem}.gz", directory / stem]
        found[key] = next((c for c in candidates if c.exists()), None)
        if found[key] is None:
            raise IdxFormatError(directory / f"{stem}.gz", "was not found.", FASHION_MNIST_HINT)
    # shares of the compressed bytes: the training images are most of them
    shares = {"x_train": (0.0, 0.855), "y_train": (0.855, 0.857), "x_test": (0.857, 0.999)}
    shares["y_test"] = (0.999, 1.0)
    arrays = {}
    for key, path in found.items():
        start, stop = shares[key]
        step = None if progress is None else _scaled(progress, start, stop)
        arrays[key] = read_idx(path, step)
    for key, array in arrays.items():
        wanted = 1 if key.startswith("y") else 3
        if array.ndim != wanted:
            raise IdxFormatError(
                found[key],
                f"holds an array of shape {array.shape}; expected "
                + ("one label per image." if wanted == 1 else "images (count, rows, cols)."),
            )
    for part in ("train", "test"):
        if len(arrays[f"x_{part}"]) != len(arrays[f"y_{part}"]):
            raise IdxFormatError(
                directory,
                f"{part} images and labels differ in count "
                f"({len(arrays[f'x_{part}'])} vs {len(arrays[f'y_{part}'])}).",
            )
    if arrays["x_test"].shape[1:] != arrays["x_train"].shape[1:]:
        raise IdxFormatError(
            found["x_test"],
            f"holds images of shape {arrays['x_test'].shape[1:]} but the training images are "
            f"{arrays['x_train'].shape[1:]}.",
        )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _scaled(progress: ProgressFn, start: float, stop: float) -> ProgressFn:
    return lambda fraction: progress(start + (stop - start) * fraction)
