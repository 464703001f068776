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
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from designer.engine import layers as engine_layers
from designer.engine.models.serialization import model_from_config

KERAS_VERSION = "3.15.1"  # the Keras release whose file layout this follows
ENTRIES = {"metadata.json", "config.json", "model.weights.h5"}


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
        return value.get("config", {}).get("name", "float32")
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


def load_keras_file(path: str | Path) -> tuple[Any, dict[str, list[str]]]:
    """(engine model with the file's weights, settings that were ignored per layer)."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
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
        try:
            payload = json.loads(zf.read("config.json"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise KerasFileError(f"{path.name}: config.json is damaged: {error}") from None
        unknown = sorted(
            {
                e.get("class_name")
                for e in payload.get("config", {}).get("layers", [])
                if e.get("class_name") not in engine_layers.layer_classes()
            }
        )
        if unknown:
            raise KerasFileError(
                f"{path.name} uses layers the engine does not have: {', '.join(map(str, unknown))}."
            )
        ignored: dict[str, list[str]] = {}
        config = dict(payload.get("config", {}))
        config["layers"] = [_engine_entry(e, ignored) for e in config.get("layers", [])]
        try:
            model = model_from_config({"class_name": payload.get("class_name"), "config": config})
        except (ValueError, TypeError, KeyError) as error:
            raise KerasFileError(f"{path.name}: the model cannot be rebuilt: {error}") from None
        weights = Path(work) / "model.weights.h5"
        weights.write_bytes(zf.read("model.weights.h5"))
        try:
            model.load_weights(str(weights))
        except (ValueError, OSError) as error:
            raise KerasFileError(f"{path.name}: the weights do not fit: {error}") from None
    return model, ignored
