"""Keras 3 `.keras` files: export an engine model that real Keras opens, and import one.

A `.keras` file is a zip of `metadata.json`, `config.json` (the model's architecture,
in Keras' serialisation layout) and `model.weights.h5` (HDF5, Keras' weight layout).
Import reads the configuration as data: class names are looked up in the engine's own
registry, unknown layers are reported by name, and nothing from the file is executed.
"""

from __future__ import annotations

import inspect
import json
import os
import struct
import tempfile
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from designer.engine import layers as engine_layers
from designer.engine.layers.base import weight_budget
from designer.engine.models.serialization import model_from_config

KERAS_VERSION = "3.15.1"  # the Keras release whose file layout this follows
ENTRIES = {"metadata.json", "config.json", "model.weights.h5"}
MAX_CONFIG_BYTES = 16 * 1024**2
MAX_WEIGHTS_BYTES = 2 * 1024**3
# What zipfile and its decompressors raise for damaged archives and entries.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    struct.error,
    ValueError,
)
# What rebuilding a model from a config that is data (not code) can raise.
REBUILD_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    ZeroDivisionError,
    RecursionError,
)


class KerasFileError(ValueError):
    """A `.keras` file that cannot be exported or imported; says what and where."""


def _dtype_policy() -> dict[str, Any]:
    return {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float32"},
        "registered_name": None,
    }


def _keras_layer_entry(entry: dict[str, Any]) -> dict[str, Any]:
    config = dict(entry["config"])
    if config.get("dtype") == "float32":
        config["dtype"] = _dtype_policy()
    if entry["class_name"] == "InputLayer":
        config["dtype"] = "float32"
    config.pop("batch_input_shape", None)  # the Input layer carries the shape
    return {**entry, "config": config}


def keras_config(model: Any) -> dict[str, Any]:
    """The model's `config.json` payload in Keras 3's layout."""
    payload = json.loads(model.to_json())
    if payload["class_name"] == "Functional":
        payload["module"] = "keras.src.models.functional"
    config = payload["config"]
    config["dtype"] = _dtype_policy()
    config["layers"] = [_keras_layer_entry(e) for e in config["layers"]]
    if payload["class_name"] == "Sequential":
        config["build_input_shape"] = list(model.input_shape)
    payload["build_config"] = {
        "input_shape": None if payload["class_name"] != "Sequential" else list(model.input_shape)
    }
    return payload


def save_keras_file(model: Any, path: str | Path) -> None:
    """Write `model` as a `.keras` file (atomically) that `keras.saving.load_model` opens."""
    path = Path(path)
    if path.suffix != ".keras":
        raise KerasFileError(f"The file name must end in .keras; received {path.name}.")
    if model.graph is None:
        raise KerasFileError("The model is not built yet: it has no input shape.")
    directory = path.parent if str(path.parent) else Path(".")
    with tempfile.TemporaryDirectory(dir=directory) as work:
        weights = Path(work) / "model.weights.h5"
        model.save_weights(str(weights))
        archive = Path(work) / "model.keras"
        metadata = {
            "keras_version": KERAS_VERSION,
            "date_saved": time.strftime("%Y-%m-%d@%H:%M:%S"),
        }
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("metadata.json", json.dumps(metadata))
            zf.writestr("config.json", json.dumps(keras_config(model)))
            zf.write(weights, "model.weights.h5")
        os.replace(archive, path)


def _plain(value: Any) -> Any:
    """Keras' nested objects reduced to what the engine accepts (dtype policies → names)."""
    if isinstance(value, dict) and value.get("class_name") == "DTypePolicy":
        inner = value.get("config")
        name = inner.get("name") if isinstance(inner, dict) else None
        return name if isinstance(name, str) else "float32"
    return value


def _engine_entry(entry: dict[str, Any], ignored: dict[str, list[str]]) -> dict[str, Any]:
    class_name = entry.get("class_name")
    if entry.get("registered_name") not in (None, class_name) or not str(
        entry.get("module", "keras")
    ).startswith("keras"):
        raise KerasFileError(
            f"Layer {entry.get('config', {}).get('name', '?')!r} is a custom layer "
            f"({entry.get('registered_name') or entry.get('module')}.{class_name}): custom "
            "code is never run, so it cannot be imported."
        )
    cls = engine_layers.get_layer_class(class_name)
    accepted = set(inspect.signature(cls.__init__).parameters) | {
        "name",
        "trainable",
        "dtype",
        "batch_input_shape",
        "input_shape",
        "batch_size",
    }
    if class_name == "InputLayer":
        accepted |= {"batch_shape", "shape", "sparse"}
    config = {}
    for key, value in dict(entry.get("config", {})).items():
        if key in accepted:
            config[key] = _plain(value)
        elif value not in (None, False, {}, []):
            ignored.setdefault(
                config.get("name", entry.get("config", {}).get("name", "?")), []
            ).append(key)
    return {**entry, "config": config}


def _member(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """One entry's bytes, refused before unpacking when it claims too much to be real."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise KerasFileError(
            f"{path.name}: {name} unpacks to {info.file_size:,} bytes, more than the "
            f"{limit:,} bytes a model file may hold here."
        )
    packed = min(info.compress_size, path.stat().st_size)
    if info.compress_type == zipfile.ZIP_DEFLATED and info.file_size > packed * 1032 + 1024:
        raise KerasFileError(
            f"{path.name}: {name} claims {info.file_size:,} bytes from {packed:,} compressed "
            "bytes, more than DEFLATE can expand to: the file is damaged."
        )
    with zf.open(info) as stream:
        return stream.read(limit + 1)


def _checked_payload(path: Path, raw: bytes) -> dict[str, Any]:
    """config.json parsed and its shape checked: a dict whose `config.layers` are dicts."""
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, bad UTF-8, too deep
        raise KerasFileError(f"{path.name}: config.json is damaged: {error}") from None
    config = payload.get("config") if isinstance(payload, dict) else None
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise KerasFileError(
            f"{path.name}: config.json does not describe a model: expected an object with "
            "'class_name' and 'config': {'layers': [...]}."
        )
    for index, entry in enumerate(layers):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("class_name"), str)
            or not isinstance(entry.get("config", {}), dict)
        ):
            raise KerasFileError(
                f"{path.name}: config.json: layer {index} is not an object with a "
                "'class_name' text and a 'config' object."
            )
    return payload


def load_keras_file(path: str | Path) -> tuple[Any, dict[str, list[str]]]:
    """(engine model with the file's weights, settings that were ignored per layer).

    Parse, validate, then build: the zip, each entry's size, the JSON's shape and the
    weights are checked before the model exists, and whatever goes wrong ends in a
    KerasFileError that names the file.
    """
    path = Path(path)
    try:
        return _load(path)
    except KerasFileError:
        raise
    except ZIP_ERRORS as error:
        raise KerasFileError(f"{path.name} is damaged: {error}") from None


def _load(path: Path) -> tuple[Any, dict[str, list[str]]]:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise KerasFileError(f"{path.name} was not found.") from None
    except ZIP_ERRORS as error:
        raise KerasFileError(f"{path.name} is not a .keras file: {error}") from None
    with zf, tempfile.TemporaryDirectory() as work:
        for info in zf.infolist():
            pure = PurePosixPath(info.filename)
            if (
                pure.is_absolute()
                or ".." in pure.parts
                or (
                    info.filename not in ENTRIES | {"assets/"}
                    and not info.filename.startswith("assets/")
                )
            ):
                raise KerasFileError(f"{path.name}: unexpected entry {info.filename!r}.")
        missing = [e for e in ("config.json", "model.weights.h5") if e not in zf.namelist()]
        if missing:
            raise KerasFileError(f"{path.name} lacks {missing}: not a Keras 3 model file.")
        payload = _checked_payload(path, _member(zf, "config.json", MAX_CONFIG_BYTES, path))
        weights_bytes = _member(zf, "model.weights.h5", MAX_WEIGHTS_BYTES, path)
        unknown = sorted(
            {
                e["class_name"]
                for e in payload["config"]["layers"]
                if e["class_name"] not in engine_layers.layer_classes()
            }
        )
        if unknown:
            raise KerasFileError(
                f"{path.name} uses layers the engine does not have: {', '.join(map(str, unknown))}."
            )
        ignored: dict[str, list[str]] = {}
        config = dict(payload["config"])
        config["layers"] = [_engine_entry(e, ignored) for e in config["layers"]]
        # Any real weight takes at least 2 bytes in the file: a config that asks for more
        # values than that (units=10**12) is refused before they are allocated.
        budget = len(weights_bytes) // 2 + 4096
        try:
            with weight_budget(budget):
                model = model_from_config(
                    {"class_name": payload.get("class_name"), "config": config}
                )
        except REBUILD_ERRORS as error:
            raise KerasFileError(f"{path.name}: the model cannot be rebuilt: {error}") from None
        weights = Path(work) / "model.weights.h5"
        weights.write_bytes(weights_bytes)
        try:
            model.load_weights(str(weights))
        except (ValueError, OSError) as error:
            raise KerasFileError(f"{path.name}: the weights do not fit: {error}") from None
    for layer in model.layers:
        if not all(np.isfinite(w).all() for w in layer.get_weights()):
            raise KerasFileError(
                f"{path.name}: the weights of layer '{layer.name}' contain NaN or infinite "
                "values, so the model cannot be used."
            )
    return model, ignored
