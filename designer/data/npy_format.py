"""The `.npy` format read by hand: a header checked field by field, then sizes, then data.

`np.load` trusts the header: it allocates whatever shape it claims before reading a
byte (an `.npz` member claiming 10^12 values asks for terabytes) and its header parser
lets tokenizer errors through. Here the header is parsed with `ast.literal_eval`
and validated (keys, shape, a plain dtype), the size it promises is compared with a cap
and with the bytes that can follow, and only then is the array allocated and filled in
chunks (so progress and cancel work). Both `.npy` files and `.npz` members come here.
"""

from __future__ import annotations

import ast
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from designer.data.errors import DataFormatError
from designer.data.progress import Reporter

NPY_MAGIC = b"\x93NUMPY"
MAX_HEADER_BYTES = 10_000  # np.load's own limit for a header it parses safely
MAX_ARRAY_BYTES = 4 * 1024**3
"""Largest array read from one file or archive member (a damaged header, or a zip bomb)."""
MAX_DIM = 2**40
MAX_NDIM = 32
CHUNK_BYTES = 16 * 1024 * 1024
OBJECT_HINT = "Save plain numeric arrays, e.g. np.save(path, x.astype('float32'))."
_KEYS = {"descr", "fortran_order", "shape"}


@dataclass(frozen=True)
class NpyHeader:
    """What an `.npy` header declares; `offset` is where the data starts."""

    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    offset: int

    @property
    def nbytes(self) -> int:
        """Bytes of data the header promises (Python ints: never overflows)."""
        return math.prod(self.shape) * self.dtype.itemsize


def _subject(name: str) -> str:
    """ "array 'x' " inside an archive; nothing for a file that is one array."""
    return f"{name} " if name else ""


def object_error(path: Path | None, name: str) -> DataFormatError:
    return DataFormatError(
        path,
        f"{name or 'the array'} holds Python objects (dtype=object), which are never loaded "
        "(unpickling can run code).",
        OBJECT_HINT,
    )


def _exactly(stream: BinaryIO, count: int) -> bytes:
    data = stream.read(count)
    if len(data) < count:
        raise EOFError
    return data


def _broken(path: Path | None, name: str, why: str) -> DataFormatError:
    return DataFormatError(path, f"{_subject(name)}has a broken .npy header ({why}).")


def read_header(path: Path | None, stream: BinaryIO, name: str = "") -> NpyHeader:
    """Parse and validate the header; the stream is left at the first data byte."""
    try:
        magic = _exactly(stream, 8)
        if magic[:6] != NPY_MAGIC:
            raise DataFormatError(
                path,
                f"{_subject(name)}is not a NumPy .npy array (it does not start with \\x93NUMPY).",
            )
        major = magic[6]
        if major not in (1, 2, 3):
            raise _broken(path, name, f"unknown format version {major}.{magic[7]}")
        width = 2 if major == 1 else 4
        size = int.from_bytes(_exactly(stream, width), "little")
        if size > MAX_HEADER_BYTES:
            raise _broken(path, name, f"{size:,} bytes long; at most {MAX_HEADER_BYTES:,}")
        raw = _exactly(stream, size)
    except EOFError:
        raise _broken(path, name, "the file ends inside it") from None
    try:
        text = raw.decode("utf-8" if major == 3 else "latin-1")
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise _broken(path, name, "not a Python dict literal") from None
    if not isinstance(header, dict) or set(header) != _KEYS:
        raise _broken(path, name, "expected the keys 'descr', 'fortran_order' and 'shape'")
    shape, fortran, descr = header["shape"], header["fortran_order"], header["descr"]
    if (
        not isinstance(shape, tuple)
        or len(shape) > MAX_NDIM
        or any(
            isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= MAX_DIM for d in shape
        )
    ):
        raise _broken(path, name, f"shape {shape!r} is not a tuple of sizes")
    if not isinstance(fortran, bool):
        raise _broken(path, name, f"fortran_order {fortran!r} is not True or False")
    return NpyHeader(shape, _dtype(path, name, descr), fortran, 8 + width + size)


def _dtype(path: Path | None, name: str, descr: object) -> np.dtype:
    """Plain numbers or text only: objects, records and sub-arrays are refused."""
    if not isinstance(descr, str):
        raise DataFormatError(
            path, f"{_subject(name)}has a structured dtype {descr!r}; expected numbers or text."
        )
    try:
        with warnings.catch_warnings():  # deprecated aliases ('a5') still name a type
            warnings.simplefilter("ignore")
            dtype = np.dtype(descr)
    except (TypeError, ValueError, SyntaxError, OverflowError):
        raise _broken(path, name, f"{descr!r} is not a data type") from None
    if dtype.hasobject:
        raise object_error(path, name)
    if dtype.fields is not None or dtype.subdtype is not None:
        raise DataFormatError(
            path, f"{_subject(name)}has a structured dtype {descr!r}; expected numbers or text."
        )
    if dtype.itemsize == 0:
        raise DataFormatError(
            path, f"{_subject(name)}has dtype {descr!r}, whose values hold no data."
        )
    return dtype


def check_size(path: Path | None, name: str, header: NpyHeader, available: int) -> None:
    """Refuse before allocating: more than the cap, or more than can follow the header."""
    promised = header.nbytes
    what = f"shape {header.shape} {header.dtype}"
    if promised > MAX_ARRAY_BYTES:
        raise DataFormatError(
            path,
            f"{_subject(name)}has a header that promises {what}: {promised:,} bytes, more than the "
            f"{MAX_ARRAY_BYTES:,} bytes read at most.",
            "The header is damaged, or the array is too large to load here.",
        )
    if promised > available:
        raise DataFormatError(
            path,
            f"{_subject(name)}is truncated: its header promises {what} ({promised:,} bytes "
            f"of data) but only {max(available, 0):,} bytes follow.",
        )


def read_data(
    path: Path | None,
    stream: BinaryIO,
    header: NpyHeader,
    name: str = "",
    reporter: Reporter | None = None,
) -> np.ndarray:
    """The array (native byte order), read in chunks; call `check_size` first."""
    reporter = reporter or Reporter()
    nbytes = header.nbytes
    try:
        buffer = np.empty(nbytes, np.uint8)
    except MemoryError:
        raise DataFormatError(
            path, f"{_subject(name)}is too large to load: {nbytes:,} bytes do not fit in memory."
        ) from None
    view = memoryview(buffer)
    filled = 0
    while filled < nbytes:
        count = stream.readinto(view[filled : filled + CHUNK_BYTES])
        if not count:
            raise DataFormatError(
                path,
                f"{_subject(name)}is truncated: its header promises {nbytes:,} bytes of data but "
                f"only {filled:,} follow.",
            )
        filled += count
        reporter.report(filled / nbytes)
    array = buffer.view(header.dtype)
    native = header.dtype.newbyteorder("=")
    if native.str != header.dtype.str:
        array = array.byteswap(inplace=True).view(native)
    return array.reshape(header.shape, order="F" if header.fortran_order else "C")
