"""`model.save_weights("x.weights.h5")` / `load_weights` in Keras 3's HDF5 layout.

Keras 3 stores each layer's variables under `layers/<key>/vars/<i>`, where `<key>` is
the layer's class name in snake case, made unique in the order of `model.layers`
("dense", "dense_1", ...); the group's `name` attribute holds the layer's own name.
Files written here load in real Keras and the other way round. The file is written
to a temporary name and renamed, so an interrupted save never damages an old file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from designer.engine import naming


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:  # pragma: no cover - h5py is a dependency
        raise ImportError("Saving weights to .h5 files needs h5py: pip install h5py") from None
    return h5py


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if not (path.name.endswith(".weights.h5") or path.suffix == ".h5"):
        raise ValueError(
            f"The filename must end in `.weights.h5` (Keras 3's weights format). "
            f"Received: filepath={path}"
        )
    return path


def layer_keys(model: Any) -> list[tuple[str, Any]]:
    """(key, layer) pairs as Keras 3 names them in weight files."""
    counts: dict[str, int] = {}
    keys = []
    for layer in model.layers:
        base = naming.to_snake_case(type(layer).__name__)
        count = counts.get(base, 0)
        counts[base] = count + 1
        keys.append((base if count == 0 else f"{base}_{count}", layer))
    return keys


def save_weights(model: Any, path: str | Path) -> None:
    """Write every layer's weights (Keras' order and layouts) to `path`, atomically."""
    h5py = _h5py()
    path = _check_path(path)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent or ".")
    os.close(handle)
    try:
        with h5py.File(temporary, "w") as file:
            layers = file.create_group("layers")
            for key, layer in layer_keys(model):
                group = layers.create_group(key).create_group("vars")
                group.attrs["name"] = layer.name
                for index, weight in enumerate(layer.get_weights()):
                    group.create_dataset(str(index), data=weight)
            file.create_group("vars").attrs["name"] = model.name
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def load_weights(model: Any, path: str | Path) -> None:
    """Read weights saved by `save_weights` (ours or Keras'); checks all before setting any."""
    h5py = _h5py()
    path = _check_path(path)
    if not path.exists():
        raise FileNotFoundError(f"No weights file at {path}")
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path.name} is not a readable HDF5 weights file: {error}") from None
    with file:
        if "layers" not in file:
            raise ValueError(f"{path.name} has no 'layers' group: not a Keras 3 weights file.")
        stored = file["layers"]
        plan = []
        for key, layer in layer_keys(model):
            expected = layer.get_weights()
            if key not in stored:
                if expected:
                    raise ValueError(
                        f"{path.name} has no weights for layer '{layer.name}' (key '{key}'). "
                        f"Stored layers: {sorted(stored)}"
                    )
                continue
            group = stored[key].get("vars", {})
            arrays = [np.asarray(group[str(i)]) for i in range(len(group))]
            if len(arrays) != len(expected) or any(
                a.shape != e.shape for a, e in zip(arrays, expected, strict=False)
            ):
                raise ValueError(
                    f"{path.name}: weights for layer '{layer.name}' do not fit: expected shapes "
                    f"{[e.shape for e in expected]}, stored {[a.shape for a in arrays]}."
                )
            plan.append((layer, arrays))
    for layer, arrays in plan:
        layer.set_weights(arrays)
