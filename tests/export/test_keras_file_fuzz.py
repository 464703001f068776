"""Property tests for the `.keras` importer: a mutated file is refused or usable.

Mutations hit the three levels of the file: the zip bytes, the JSON of config.json (a
key dropped, a value of another type, a list item repeated, a layer class swapped) and
the HDF5 weights (bytes flipped, variables dropped, reshaped or made enormous). Each
must end in KerasFileError or in a model that predicts; nothing else may escape, and no
mutation may make the importer allocate far more than the file holds.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest

from designer.engine import Input, Model
from designer.engine.layers import Conv2D, Dense, Dropout, Flatten
from designer.export.keras_file import KerasFileError, load_keras_file, save_keras_file
from tests.data.fuzzing import byte_mutations, run_fuzz

ODD_VALUES = (
    None,
    0,
    -1,
    1.5,
    True,
    "",
    "relu",
    "nope",
    [],
    [3],
    [None, -2],
    {},
    10**12,
    {"class_name": "Dense"},
    [[1, 2]],
    float("nan"),
)
LAYER_NAMES = (
    "Dense",
    "Conv2D",
    "Flatten",
    "InputLayer",
    "Dropout",
    "Add",
    "Concatenate",
    "MaxPooling2D",
    "BatchNormalization",
    "Reshape",
    "Activation",
    "Nope",
)


def small_model() -> Model:
    inputs = Input((6, 6, 1), name="image")
    x = Conv2D(2, 3, activation="relu")(inputs)
    x = Flatten()(x)
    x = Dropout(0.1)(x)
    outputs = Dense(3, activation="softmax")(x)
    return Model(inputs, outputs)


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("keras") / "m.keras"
    save_keras_file(small_model(), path)
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["whole"] = path.read_bytes()
    return entries


def zipped(entries: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return stream.getvalue()


def usable(result: object) -> None:
    model, ignored = result
    assert isinstance(ignored, dict)
    xs = [np.zeros((2, *t.shape[1:]), np.float32) for t in model.inputs]
    out = model.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
    assert np.all(np.isfinite(np.asarray(out[0] if isinstance(out, list) else out)))


# -- config.json ------------------------------------------------------------------------
def _nodes(tree: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _nodes(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _nodes(value, (*path, i))
    return found


def mutate_json(config: dict, rng: np.random.Generator) -> dict:
    tree = copy.deepcopy(config)
    for _ in range(int(rng.integers(1, 3))):
        paths = [p for p in _nodes(tree) if p]
        path = paths[int(rng.integers(len(paths)))]
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        kind = int(rng.integers(4))
        if kind == 0:
            del parent[key]
        elif kind == 1:
            parent[key] = copy.deepcopy(ODD_VALUES[int(rng.integers(len(ODD_VALUES)))])
        elif kind == 2 and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif key == "class_name" or kind == 3:
            parent[key] = str(rng.choice(LAYER_NAMES)) if key == "class_name" else "x"
    return tree


def test_config_json_fuzz(tmp_path: Path, valid: dict[str, bytes]) -> None:
    rng = np.random.default_rng(11)
    config = json.loads(valid["config.json"])
    path = tmp_path / "m.keras"

    def load(i: int) -> object:
        entries = dict(valid)
        del entries["whole"]
        if i % 10 == 0:
            text = valid["config.json"]
            entries["config.json"] = byte_mutations(text, rng)()
        else:
            entries["config.json"] = json.dumps(mutate_json(config, rng)).encode()
        path.write_bytes(zipped(entries))
        return load_keras_file(path)

    outcomes = run_fuzz(load, (KerasFileError,), usable, count=120)
    assert outcomes["error"] > 30 and outcomes["usable"] > 10


# -- the zip --------------------------------------------------------------------------
def test_zip_bytes_fuzz(tmp_path: Path, valid: dict[str, bytes]) -> None:
    rng = np.random.default_rng(12)
    mutate = byte_mutations(valid["whole"], rng)
    path = tmp_path / "m.keras"

    def load(_: int) -> object:
        path.write_bytes(mutate())
        return load_keras_file(path)

    run_fuzz(load, (KerasFileError,), usable)


# -- model.weights.h5 -----------------------------------------------------------------
def edit_weights(data: bytes, rng: np.random.Generator) -> bytes:
    """Drop, reshape, retype or inflate one stored variable (or its group)."""
    stream = io.BytesIO(data)
    with h5py.File(stream, "r+") as file:
        variables = []
        file.visititems(lambda name, obj: variables.append(name) if "vars/" in name else None)
        name = variables[int(rng.integers(len(variables)))]
        kind = int(rng.integers(6))
        if kind == 0:
            del file[name]
        elif kind == 1:
            shape = file[name].shape
            del file[name]
            file.create_dataset(name, data=np.zeros((*shape, 2), np.float32))
        elif kind == 2:
            del file[name]
            # 10^12 values described in a few bytes: reading it would allocate 4 TB
            file.create_dataset(name, shape=(10**6, 10**6), dtype="f4", chunks=(1, 1))
        elif kind == 3:
            data_ = file[name][()]
            del file[name]
            file.create_dataset(name, data=np.asarray(data_).astype("S8"))
        elif kind == 4:
            group = name.rsplit("/", 1)[0]
            del file[group]
            file.create_dataset(group, data=np.zeros(3))
        else:
            file[name].attrs["junk"] = 1
            file[name.rsplit("/", 1)[0] + "/7"] = np.zeros(2)
    return stream.getvalue()


def test_weights_fuzz(tmp_path: Path, valid: dict[str, bytes]) -> None:
    rng = np.random.default_rng(13)
    weights = valid["model.weights.h5"]
    mutate_bytes = byte_mutations(weights, rng)
    path = tmp_path / "m.keras"

    def load(i: int) -> object:
        entries = {k: v for k, v in valid.items() if k != "whole"}
        entries["model.weights.h5"] = edit_weights(weights, rng) if i % 2 else mutate_bytes()
        path.write_bytes(zipped(entries))
        return load_keras_file(path)

    outcomes = run_fuzz(load, (KerasFileError,), usable, count=120)
    assert outcomes["error"] > 30


def test_an_enormous_member_is_refused_before_it_is_unpacked(tmp_path: Path, valid) -> None:
    from designer.export import keras_file

    entries = {k: v for k, v in valid.items() if k != "whole"}
    entries["config.json"] = entries["config.json"] + b" " * (keras_file.MAX_CONFIG_BYTES + 1)
    path = tmp_path / "big.keras"
    path.write_bytes(zipped(entries))
    with pytest.raises(KerasFileError, match=r"config\.json.*bytes"):
        load_keras_file(path)
