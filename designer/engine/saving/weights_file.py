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
    """Read weights saved by `save_weights` (ours or Keras'); checks all before setting any.

    Every stored variable's kind, shape and dtype are compared with the layer's before
    its data is read (an HDF5 dataset can declare 10^12 values in a few bytes), and a
    damaged file is reported as a ValueError naming it, whatever h5py raised.
    """
    h5py = _h5py()
    path = _check_path(path)
    if not path.exists():
        raise FileNotFoundError(f"No weights file at {path}")
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(f"{path.name} is not a readable HDF5 weights file: {error}") from None
    try:
        with file:
            plan = _read_plan(h5py, model, file, path.name)
    except (KeyError, OSError, RuntimeError, TypeError) as error:
        # h5py reports a damaged object header or B-tree as one of these
        raise ValueError(f"{path.name} is damaged: {error}") from None
    for layer, arrays in plan:
        layer.set_weights(arrays)


def _read_plan(h5py: Any, model: Any, file: Any, name: str) -> list[tuple[Any, list]]:
    """(layer, arrays) for each layer with weights; raises before anything is set."""
    stored = file.get("layers")
    if not isinstance(stored, h5py.Group):
        raise ValueError(f"{name} has no 'layers' group: not a Keras 3 weights file.")
    plan = []
    for key, layer in layer_keys(model):
        expected = layer.get_weights()
        if key not in stored:
            if expected:
                raise ValueError(
                    f"{name} has no weights for layer '{layer.name}' (key '{key}'). "
                    f"Stored layers: {sorted(stored)}"
                )
            continue
        group = stored[key].get("vars", {}) if isinstance(stored[key], h5py.Group) else None
        if not isinstance(group, h5py.Group | dict):
            raise ValueError(f"{name}: 'layers/{key}' is not a group of variables.")
        datasets = [group.get(str(i)) for i in range(len(group))]
        shapes = [d.shape if isinstance(d, h5py.Dataset) else None for d in datasets]
        if len(datasets) != len(expected) or any(
            s != e.shape for s, e in zip(shapes, expected, strict=False)
        ):
            raise ValueError(
                f"{name}: weights for layer '{layer.name}' do not fit: expected shapes "
                f"{[e.shape for e in expected]}, stored {shapes}."
            )
        kinds = [d.dtype.kind for d in datasets]
        if any(kind not in "fiu" for kind in kinds):
            raise ValueError(
                f"{name}: weights for layer '{layer.name}' are not numbers: stored dtypes "
                f"{[str(d.dtype) for d in datasets]}."
            )
        plan.append((layer, [np.asarray(d[()]) for d in datasets]))
    return plan
