"""Seeded random damage to a valid project file ends in ProjectFormatError (found by a
check, not by the last-resort handler) or in a Project that validates; never in
another exception, and never in a large allocation."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from designer.project import load_project, save_project
from designer.project.validation import validate_project
from designer.spec.serialize import ProjectFormatError
from tests.project.test_files import sample_project

SEED = 1234
ROUNDS = {"json": 180, "arrays": 50, "bytes": 110}
MAX_SECONDS = 10.0
ALLOCATION_LIMIT = 64 * 1024 * 1024  # the file is ~10 KB: no load may allocate more
HUGE_INT = "1" + "0" * 5000  # more digits than Python converts (a ValueError in json)
DEEP = "[" * 100_000 + "]" * 100_000  # a RecursionError in json
NEAR_DEEP = "[" * 980 + "]" * 980  # json reads it; a recursive check after it must not fail
REPLACEMENTS: list[Any] = [
    "str",
    "",
    [],
    {},
    None,
    True,
    0,
    -1,
    1.5,
    -0.5,
    10**12,
    -(10**12),
    10**30,
    1e308,
    float("inf"),
    float("nan"),
    "0.1",
    [1, "a", None],
    {"x": {"y": [1]}},
    "HUGE",
    "DEEP",
    "NEAR_DEEP",
]


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree (dict keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def mutate_json(data: dict[str, Any], rng: np.random.Generator) -> str:
    data = json.loads(json.dumps(data))
    for _ in range(int(rng.integers(1, 3))):
        places = paths(data)
        place = places[int(rng.integers(len(places)))]
        parent = data
        for key in place[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.25:
            del parent[place[-1]]
        else:
            parent[place[-1]] = REPLACEMENTS[int(rng.integers(len(REPLACEMENTS)))]
    return (
        json.dumps(data)
        .replace('"HUGE"', HUGE_INT)
        .replace('"DEEP"', DEEP)
        .replace('"NEAR_DEEP"', NEAR_DEEP)
    )


def mutate_arrays(arrays: dict[str, np.ndarray], rng: np.random.Generator) -> bytes:
    arrays = dict(arrays)
    key = list(arrays)[int(rng.integers(len(arrays)))]
    array = arrays[key]
    choice = int(rng.integers(9))
    if choice == 0:
        arrays[key] = array.astype(complex)
    elif choice == 1:
        arrays[key] = array.astype(str)
    elif choice == 2:
        arrays[key] = np.array([{"evil": 1}] * array.size, dtype=object)
    elif choice == 3:
        arrays[key] = array.reshape(-1, 1) if array.ndim == 1 else array.T.copy()
    elif choice == 4:
        arrays[key] = np.zeros((0,), np.float32)
    elif choice == 5:
        del arrays[key]
    elif choice == 6:
        arrays["n9/0"] = array
    elif choice == 7:
        arrays[key] = array.astype(np.float16)  # another float type: fine
    else:
        arrays[key] = np.zeros((*array.shape, 2), np.float32)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # pickles object arrays, as a hostile file would
    return buffer.getvalue()


def mutate_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    out = bytearray(data)
    choice = int(rng.integers(3))
    if choice == 0:
        for _ in range(int(rng.integers(1, 9))):
            index = int(rng.integers(len(out)))
            out[index] ^= 1 << int(rng.integers(8))
    elif choice == 1:
        del out[int(rng.integers(len(out))) :]
    else:
        index = int(rng.integers(len(out)))
        out[index : index + 4] = int(rng.choice([0, 2**31 - 1, 2**32 - 1])).to_bytes(4, "little")
    return bytes(out)


def write_zip(path: Path, entries: dict[str, bytes | str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)


def outcome(path: Path) -> str:
    """'refused' or 'usable'; anything else fails the test with the file's story."""
    tracemalloc.reset_peak()
    try:
        project = load_project(path)
    except ProjectFormatError as error:
        assert error.__cause__ is None, f"only the last resort caught it: {error}"
        result = "refused"
    else:
        validate_project(project)
        result = "usable"
    _, peak = tracemalloc.get_traced_memory()
    assert peak < ALLOCATION_LIMIT, f"loading allocated {peak / 1e6:.0f} MB"
    return result


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> tuple[bytes, dict[str, Any], dict[str, np.ndarray]]:
    path = tmp_path_factory.mktemp("fuzz") / "valid.ndproj"
    save_project(path, sample_project())
    with zipfile.ZipFile(path) as zf:
        data = json.loads(zf.read("project.json"))
        with np.load(io.BytesIO(zf.read("weights.npz"))) as weights:
            arrays = {key: weights[key] for key in weights.files}
    return path.read_bytes(), data, arrays


def test_damaged_files_end_in_our_error_or_a_usable_project(tmp_path: Path, valid) -> None:
    raw, data, arrays = valid
    rng = np.random.default_rng(SEED)
    path = tmp_path / "fuzzed.ndproj"
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    counts: dict[str, int] = {"refused": 0, "usable": 0}
    started = time.perf_counter()
    tracemalloc.start()
    try:
        for kind, rounds in ROUNDS.items():
            for _ in range(rounds):
                if kind == "json":
                    write_zip(path, {**entries, "project.json": mutate_json(data, rng)})
                elif kind == "arrays":
                    write_zip(path, {**entries, "weights.npz": mutate_arrays(arrays, rng)})
                else:
                    path.write_bytes(mutate_bytes(raw, rng))
                counts[outcome(path)] += 1
    finally:
        tracemalloc.stop()
    assert counts["refused"] > 200 and counts["usable"] > 10, counts
    assert time.perf_counter() - started < MAX_SECONDS
