"""MNIST-style IDX files (gzipped or not), and Fashion-MNIST where Debian installs it.

Format: two zero bytes, a type code (0x08 = unsigned byte ... 0x0E = float64), the
number of dimensions, then each dimension as a big-endian 32-bit integer, then the
values in row-major order.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from designer.data.errors import DataFormatError
from designer.data.progress import ProgressFn

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


_CHUNK = 1 << 20


def _read_bytes(path: Path, progress: ProgressFn | None = None) -> bytes:
    """The (decompressed) file contents, read in chunks so progress can be reported."""
    try:
        size = max(path.stat().st_size, 1)
        with path.open("rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            parts = []
            while chunk := stream.read(_CHUNK):
                parts.append(chunk)
                if progress is not None:
                    progress(raw.tell() / size)
            return b"".join(parts)
    except FileNotFoundError:
        raise DataFormatError(path, "was not found.") from None
    except EOFError:
        raise DataFormatError(path, "is truncated (its gzip stream ends early).") from None
    except (OSError, gzip.BadGzipFile) as error:
        raise DataFormatError(path, f"cannot be read: {error}.") from None


def read_idx(path: str | Path, progress: ProgressFn | None = None) -> np.ndarray:
    """The array stored in an IDX file (native byte order).

    `progress(fraction)` is called while reading; it may raise LoadCancelled to stop.
    """
    path = Path(path)
    data = _read_bytes(path, progress)
    if len(data) < 4:
        raise DataFormatError(path, "is empty or too short to be an IDX file.")
    if data[0] != 0 or data[1] != 0 or data[2] not in _TYPES:
        raise DataFormatError(
            path,
            f"is not an IDX file (magic bytes {data[:4].hex()}; expected 0000 followed by a "
            "type code 08-0E and the number of dimensions).",
        )
    dtype = _TYPES[data[2]]
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataFormatError(path, "is truncated inside its header.")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header < expected:
        raise DataFormatError(
            path,
            f"is truncated: its header promises shape {shape} ({expected} bytes of data) but "
            f"only {len(data) - header} bytes follow.",
        )
    array = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    return array.reshape(shape).astype(dtype.newbyteorder("="), copy=True)


def _scaled(progress: ProgressFn, start: float, stop: float) -> ProgressFn:
    return lambda fraction: progress(start + (stop - start) * fraction)


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
            raise DataFormatError(directory / f"{stem}.gz", "was not found.", FASHION_MNIST_HINT)
    # shares of the compressed bytes: the training images are most of them
    shares = {"x_train": (0.0, 0.855), "y_train": (0.855, 0.857), "x_test": (0.857, 0.999)}
    shares["y_test"] = (0.999, 1.0)
    arrays = {}
    for key, path in found.items():
        start, stop = shares[key]
        step = None if progress is None else _scaled(progress, start, stop)
        arrays[key] = read_idx(path, step)
    for part in ("train", "test"):
        if len(arrays[f"x_{part}"]) != len(arrays[f"y_{part}"]):
            raise DataFormatError(
                directory,
                f"{part} images and labels differ in count "
                f"({len(arrays[f'x_{part}'])} vs {len(arrays[f'y_{part}'])}).",
            )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
