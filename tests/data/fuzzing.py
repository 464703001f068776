"""Seeded mutations of valid files, and a runner that keeps every outcome honest.

A reader passes when each mutated file ends in the reader's own error type or in a
usable object, and no load allocates more than a small multiple of the file's size
(tracemalloc sees NumPy's allocations too, even untouched virtual ones).
"""

from __future__ import annotations

import time
import traceback
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

MUTATIONS = 200
MAX_SECONDS = 10.0
ALLOCATION_LIMIT = 64 * 1024 * 1024  # bytes a mutated small file may make a reader allocate

INTERESTING_U32 = (0, 1, 2, 255, 65535, 2**31 - 1, 2**31, 2**32 - 1, 10**9)


def flip_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(int(rng.integers(1, 9))):
        i = int(rng.integers(len(out)))
        out[i] ^= 1 << int(rng.integers(8))
    return bytes(out)


def random_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    start = int(rng.integers(len(out)))
    count = int(rng.integers(1, 17))
    out[start : start + count] = rng.integers(0, 256, count, dtype=np.uint8).tobytes()
    return bytes(out)


def truncate(data: bytes, rng: np.random.Generator) -> bytes:
    return data[: int(rng.integers(len(data) + 1))]


def insert_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    at = int(rng.integers(len(data) + 1))
    extra = rng.integers(0, 256, int(rng.integers(1, 33)), dtype=np.uint8).tobytes()
    return data[:at] + extra + data[at:]


def duplicate_slice(data: bytes, rng: np.random.Generator) -> bytes:
    if not data:
        return data
    start = int(rng.integers(len(data)))
    stop = min(len(data), start + int(rng.integers(1, 257)))
    return data[:stop] + data[start:stop] + data[stop:]


def set_u32(data: bytes, rng: np.random.Generator, offset: int | None = None) -> bytes:
    """Write an interesting big-endian 32-bit value (a size, a count, a dimension)."""
    if len(data) < 4:
        return data
    at = int(rng.integers(len(data) - 3)) if offset is None else offset
    value = int(rng.choice(INTERESTING_U32))
    return data[:at] + value.to_bytes(4, "big") + data[at + 4 :]


BYTE_MUTATIONS = (flip_bytes, random_bytes, truncate, insert_bytes, duplicate_slice, set_u32)


def byte_mutations(
    data: bytes, rng: np.random.Generator, extra: tuple[Callable, ...] = ()
) -> Callable[[], bytes]:
    """A generator of one random mutation (or two in a row) of `data`."""
    choices = BYTE_MUTATIONS + extra

    def mutate() -> bytes:
        out = data
        for _ in range(int(rng.integers(1, 3))):
            out = choices[int(rng.integers(len(choices)))](out, rng)
        return out

    return mutate


def run_fuzz(
    load: Callable[[int], object],
    allowed: tuple[type[BaseException], ...],
    check: Callable[[object], None] | None = None,
    count: int = MUTATIONS,
) -> dict[str, int]:
    """Call `load(i)` for each mutation; fail on any other exception or a big allocation.

    Returns how many mutations ended in an error and how many in a usable object, so a
    test can also check that the mutations reached past the first check.
    """
    failures: list[str] = []
    outcomes = {"error": 0, "usable": 0}
    started = time.perf_counter()
    tracemalloc.start()
    try:
        for i in range(count):
            tracemalloc.reset_peak()
            try:
                result = load(i)
            except allowed:
                outcomes["error"] += 1
            except Exception as error:  # the point of the test
                where = traceback.extract_tb(error.__traceback__)[-1]
                failures.append(
                    f"mutation {i}: {type(error).__name__}: {error} "
                    f"({Path(where.filename).name}:{where.lineno})"
                )
            else:
                outcomes["usable"] += 1
                if check is not None:
                    try:
                        check(result)
                    except AssertionError as error:
                        failures.append(f"mutation {i}: unusable result: {error}")
            peak = tracemalloc.get_traced_memory()[1]
            if peak > ALLOCATION_LIMIT:
                failures.append(f"mutation {i}: allocated {peak:,} bytes")
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert not failures, f"{len(failures)} of {count} mutations escaped:\n" + "\n".join(
        failures[:15]
    )
    assert elapsed < MAX_SECONDS, f"{count} mutations took {elapsed:.1f} s"
    return outcomes
