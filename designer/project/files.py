"""Reading and writing `.ndproj` files: a zip of `project.json` and `.npz` arrays.

Layout (version 1):
  project.json   {"format": "network-designer/project", "version": 1, "app_version",
                  "design", "compile", "training", "data_source", "preparation",
                  "runs", "next_epoch", "weights": {node id: count}}
  weights.npz    arrays named "<node id>/<index>"
  data.npz       optional: the data itself
Saving writes a temporary file beside the target and renames it over the target, so an
interrupted save leaves the old file intact. Reading checks everything (zip entry
names, the format marker, the version, every field) before returning, never unpickles
and never executes anything from the file.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from designer import __version__
from designer.project.model import Project
from designer.spec.compile_settings import CompileSettings
from designer.spec.serialize import ProjectFormatError, design_from_dict, design_to_dict
from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord

FORMAT = "network-designer/project"
VERSION = 1
SUFFIX = ".ndproj"
ALLOWED_ENTRIES = {"project.json", "weights.npz", "data.npz"}
MAX_JSON_BYTES = 50_000_000


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def project_to_json(project: Project) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "design": design_to_dict(project.design),
        "compile": project.compile.to_dict(),
        "training": project.training.to_dict(),
        "data_source": project.data_source,
        "preparation": project.preparation,
        "runs": [run.to_dict() for run in project.runs],
        "next_epoch": project.next_epoch,
        "weights": {node: len(arrays) for node, arrays in project.weights.items()},
    }


def save_project(path: str | Path, project: Project) -> None:
    """Write `project` to `path` atomically (a crash mid-save keeps the old file)."""
    path = Path(path)
    weights = {
        f"{node}/{index}": np.asarray(array)
        for node, arrays in project.weights.items()
        for index, array in enumerate(arrays)
    }
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.json", json.dumps(project_to_json(project), indent=2))
            zf.writestr("weights.npz", _npz_bytes(weights))
            if project.data_arrays:
                zf.writestr("data.npz", _npz_bytes(project.data_arrays))
        with open(temporary, "rb") as check:
            os.fsync(check.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _check_entries(zf: zipfile.ZipFile, path: Path) -> None:
    for info in zf.infolist():
        name = info.filename
        pure = PurePosixPath(name)
        if (
            name.startswith(("/", "\\"))
            or pure.is_absolute()
            or ".." in pure.parts
            or (len(name) > 1 and name[1] == ":")
        ):
            raise ProjectFormatError(
                f"{path.name}: refused entry {name!r}: absolute paths and '..' are not allowed."
            )
        if name not in ALLOWED_ENTRIES:
            raise ProjectFormatError(
                f"{path.name}: unexpected entry {name!r}; a project holds only "
                f"{sorted(ALLOWED_ENTRIES)}."
            )


def _load_npz(zf: zipfile.ZipFile, name: str, path: Path) -> dict[str, np.ndarray]:
    if name not in zf.namelist():
        return {}
    try:
        with np.load(io.BytesIO(zf.read(name)), allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        raise ProjectFormatError(f"{path.name}: {name} is damaged: {error}") from None


def load_project(path: str | Path) -> Project:
    """Read a project file; any problem raises ProjectFormatError and returns nothing."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ProjectFormatError(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ProjectFormatError(
            f"{path.name} is not a Network Designer project (not a readable zip file: {error})."
        ) from None
    with zf:
        _check_entries(zf, path)
        if "project.json" not in zf.namelist():
            raise ProjectFormatError(f"{path.name} has no project.json: not a project file.")
        info = zf.getinfo("project.json")
        if info.file_size > MAX_JSON_BYTES:
            raise ProjectFormatError(f"{path.name}: project.json is implausibly large.")
        try:
            data = json.loads(zf.read("project.json").decode("utf-8"))
        except (
            zipfile.BadZipFile,
            OSError,
            UnicodeDecodeError,
            json.JSONDecodeError,
            EOFError,
        ) as error:
            raise ProjectFormatError(f"{path.name}: project.json is damaged: {error}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProjectFormatError(
                f"{path.name} is not a Network Designer project (format marker missing)."
            )
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise ProjectFormatError(
                f"{path.name} was saved by a newer Network Designer (format version "
                f"{version}, app {data.get('app_version', '?')}); this version reads up to "
                f"{VERSION}. Update the app to open it."
            )
        project = _project_from_json(data, path)
        flat = _load_npz(zf, "weights.npz", path)
        project.data_arrays = _load_npz(zf, "data.npz", path)
    for node, count in dict(data.get("weights", {})).items():
        try:
            project.weights[str(node)] = [flat[f"{node}/{i}"] for i in range(int(count))]
        except KeyError:
            raise ProjectFormatError(
                f"{path.name}: weights of layer {node!r} are missing."
            ) from None
    return project


def _project_from_json(data: dict[str, Any], path: Path) -> Project:
    try:
        design = design_from_dict(data.get("design", {}))
        compile_settings = CompileSettings.from_dict(dict(data.get("compile", {})))
        training = TrainingConfig.from_dict(dict(data.get("training", {})))
        runs = [RunRecord.from_dict(run) for run in data.get("runs", [])]
    except ProjectFormatError as error:
        raise ProjectFormatError(f"{path.name}: {error}") from None
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise ProjectFormatError(f"{path.name}: a field has the wrong form: {error}") from None
    source = data.get("data_source")
    preparation = data.get("preparation")
    if source is not None and not isinstance(source, dict):
        raise ProjectFormatError(f"{path.name}: 'data_source' must be an object.")
    if preparation is not None and not isinstance(preparation, dict):
        raise ProjectFormatError(f"{path.name}: 'preparation' must be an object.")
    return Project(
        design=design,
        compile=compile_settings,
        training=training,
        data_source=source,
        preparation=preparation,
        runs=runs,
        next_epoch=int(data.get("next_epoch", 0)),
    )
