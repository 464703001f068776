"""Reading and writing `.ndproj` files: a zip of `project.json` and `.npz` arrays.

Layout (version 1):
  project.json   {"format": "network-designer/project", "version": 1, "app_version",
                  "design", "compile", "training", "data_source", "preparation",
                  "runs", "next_epoch", "weights": {node id: count}}
  weights.npz    arrays named "<node id>/<index>"
  data.npz       optional: the data itself
The JSON is deflated; the .npz entries are stored as they are: weights barely compress
(~7 %) and deflating 48 MB of them took 9 s instead of 0.3 s. Files written with
compression by earlier versions read the same.

Saving writes a temporary file beside the target (flocked while it is written) and
renames it over the target, so an interrupted save leaves the old file intact; the new
file gets the target's mode, or the user's umask. Reading is all or nothing: every zip
entry, every field and every array (dtype, size, shape against the built design) is
checked before a Project is returned; it never unpickles nor executes anything.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import stat
import struct
import tempfile
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from numpy.lib import format as npy

from designer import __version__
from designer.project.model import Project
from designer.project.validation import (
    DATA_KINDS,
    WEIGHT_KINDS,
    check_array,
    check_weights,
    project_from_json,
    weight_counts,
)
from designer.spec.design import Design
from designer.spec.serialize import ProjectFormatError, design_to_dict, fail, join, show

try:
    import fcntl
except ImportError:  # Windows: stale temporary files are told by their age alone
    fcntl = None  # type: ignore[assignment]

FORMAT = "network-designer/project"
VERSION = 1
SUFFIX = ".ndproj"
ALLOWED_ENTRIES = {"project.json", "weights.npz", "data.npz"}
# What reading damaged zip bytes raises (bad CRC, bad deflate data, a flipped "encrypted"
# flag, an unknown compression method, a garbled header).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    OverflowError,
)
MAX_JSON_BYTES = 50_000_000
MAX_ARRAY_BYTES = 2 * 1024**3  # unpacked, per .npz entry: refuse before allocating
STALE_AFTER = 60.0  # seconds without a write before an unlocked temporary file is stale
# Temporary files of ours: ".<name>.<8 random characters>.tmp" (tempfile.mkstemp).
_TEMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")


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


# -- saving -------------------------------------------------------------------------------
def snapshot_project(project: Project) -> Project:
    """A copy of `project` sharing nothing mutable with it (arrays copied), to take on
    the GUI thread so that `save_project` can write it on another thread meanwhile."""
    design = Design(
        nodes={k: n.copy() for k, n in project.design.nodes.items()},
        edges=dict(project.design.edges),
    )
    return Project(
        design=design,
        compile=copy.deepcopy(project.compile),
        training=copy.deepcopy(project.training),
        data_source=copy.deepcopy(project.data_source),
        preparation=copy.deepcopy(project.preparation),
        data_arrays={k: np.array(a, copy=True) for k, a in project.data_arrays.items()},
        weights={k: [np.array(a, copy=True) for a in v] for k, v in project.weights.items()},
        runs=copy.deepcopy(project.runs),
        next_epoch=project.next_epoch,
    )


def save_project(path: str | Path, project: Project) -> None:
    """Write `project` to `path` atomically (a crash mid-save keeps the old file).

    Pure and Qt-free: it reads `project` and nothing else, so it may run off the GUI
    thread, but then the caller must pass a snapshot (`snapshot_project`) that the
    GUI no longer changes. Stale temporary files of earlier, killed saves of the same
    file are removed first.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    remove_stale_temp_files(directory, path.name)
    text = json.dumps(project_to_json(project), indent=2)
    weights = {
        f"{node}/{index}": np.asarray(array)
        for node, arrays in project.weights.items()
        for index, array in enumerate(arrays)
    }
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as raw:
            if fcntl is not None:
                fcntl.flock(raw.fileno(), fcntl.LOCK_EX)  # tells other saves it is alive
            _set_mode(raw.fileno(), path)
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("project.json", text)
                _write_npz(zf, "weights.npz", weights)
                if project.data_arrays:
                    _write_npz(zf, "data.npz", project.data_arrays)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
        _sync_directory(directory)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write_npz(zf: zipfile.ZipFile, name: str, arrays: dict[str, np.ndarray]) -> None:
    """An uncompressed .npz (np.savez's layout) streamed into the project's zip."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with zf.open(info, "w", force_zip64=True) as out, zipfile.ZipFile(out, "w") as inner:
        for key, array in arrays.items():
            with inner.open(f"{key}.npy", "w", force_zip64=True) as member:
                npy.write_array(member, np.asanyarray(array), allow_pickle=False)


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it
    (/proc, Linux 4.7+); elsewhere set and restored at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _set_mode(fd: int, target: Path) -> None:
    """mkstemp makes 0600 files: give the existing file's mode, or 0666 less the umask."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(directory: str | Path, name: str | None = None) -> list[Path]:
    """Delete temporary files that killed saves left in `directory` (of the file `name`,
    or of any project file); returns them. A file another save is still writing holds
    a lock (or was written to within STALE_AFTER seconds) and is left alone."""
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None or (
            match["name"] != name if name is not None else not match["name"].endswith(SUFFIX)
        ):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or not _is_stale(entry.path):
                continue
            os.remove(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _is_stale(path: str) -> bool:
    if time.time() - os.stat(path).st_mtime < STALE_AFTER:
        return False
    if fcntl is None:
        return True
    with open(path, "rb") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a save in progress holds it
        return True


# -- loading ------------------------------------------------------------------------------
def load_project(path: str | Path) -> Project:
    """Read and check a project file; any problem raises ProjectFormatError (naming the
    file and the field at fault) and nothing is returned: all or nothing."""
    path = Path(path)
    try:
        return _read(path)
    except ProjectFormatError as error:
        raise error.in_file(path.name) from None
    except Exception as error:  # a last resort: the checks should have named the problem
        raise ProjectFormatError(
            f"the file could not be read ({type(error).__name__}: {error})", file=path.name
        ) from error


def _read(path: Path) -> Project:
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        fail(None, "no such file")
    except IsADirectoryError:
        fail(None, "a folder, not a project file")
    except PermissionError:
        fail(None, "permission denied")
    except ZIP_ERRORS as error:
        fail(None, f"not a Network Designer project (not a readable zip file: {error})")
    with zf:
        _check_entries(zf)
        data = _read_json(zf)
        project = project_from_json(data)
        counts = weight_counts(data.get("weights", {}), project.design)
        flat = _read_npz(zf, "weights.npz", WEIGHT_KINDS)
        project.data_arrays = _read_npz(zf, "data.npz", DATA_KINDS)
    for node, count in counts.items():
        project.weights[node] = []
        for index in range(count):
            array = flat.pop(f"{node}/{index}", None)
            if array is None:
                fail(f"{join('weights', node)}[{index}]", "missing from weights.npz")
            project.weights[node].append(array)
    if flat:
        fail("weights", f"weights.npz holds arrays of no layer: {', '.join(sorted(flat)[:5])}")
    check_weights(project.design, project.weights)
    return project


def _check_entries(zf: zipfile.ZipFile) -> None:
    names = [info.filename for info in zf.infolist()]
    for name in names:
        pure = PurePosixPath(name)
        if (
            name.startswith(("/", "\\"))
            or pure.is_absolute()
            or ".." in pure.parts
            or (len(name) > 1 and name[1] == ":")
        ):
            fail(None, f"refused entry {name!r}: absolute paths and '..' are not allowed")
        if name not in ALLOWED_ENTRIES:
            fail(None, f"unexpected entry {name!r}; a project holds only {sorted(ALLOWED_ENTRIES)}")
    if len(names) != len(set(names)):
        fail(None, "an entry appears twice in the zip")
    if "project.json" not in names:
        fail(None, "no project.json: not a project file")


def _read_json(zf: zipfile.ZipFile) -> dict[str, Any]:
    if zf.getinfo("project.json").file_size > MAX_JSON_BYTES:
        fail(None, "project.json is implausibly large")
    try:
        data = json.loads(zf.read("project.json").decode("utf-8"))
    except (*ZIP_ERRORS, RecursionError) as error:  # ValueError: bad UTF-8 or JSON too
        fail(None, f"project.json is damaged: {error}")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        fail(None, "not a Network Designer project (format marker missing)")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        fail("version", f"expected a format version number, received {show(version)}")
    if version > VERSION:
        app = data.get("app_version", "?")
        fail(
            None,
            f"saved by a newer Network Designer (format version {show(version)}, app "
            f"{show(app)}); this version reads up to {VERSION}. Update the app to open it.",
        )
    return data


def _read_npz(zf: zipfile.ZipFile, name: str, kinds: str) -> dict[str, np.ndarray]:
    """Arrays of an .npz entry; every header is checked (dtype, size against the bytes
    present) before an array is allocated, and nothing is unpickled."""
    if name not in zf.namelist():
        return {}
    if zf.getinfo(name).file_size > MAX_ARRAY_BYTES:
        fail(name, f"implausibly large ({zf.getinfo(name).file_size} bytes unpacked)")
    try:
        inner = zipfile.ZipFile(io.BytesIO(zf.read(name)))
        members = inner.infolist()
        if sum(info.file_size for info in members) > MAX_ARRAY_BYTES:
            fail(name, "its arrays are implausibly large")
        arrays = {}
        for info in members:
            key = info.filename.removesuffix(".npy")
            if key == info.filename or key in arrays:
                fail(name, f"unexpected entry {info.filename!r}")
            where = f"{name}[{show(key)}]"
            with inner.open(info) as member:
                _check_npy_header(member, info.file_size, where, kinds)
            with inner.open(info) as member:
                arrays[key] = npy.read_array(member, allow_pickle=False)
    except ProjectFormatError:
        raise
    except ZIP_ERRORS as error:
        fail(None, f"{name} is damaged: {error}")
    return arrays


def _check_npy_header(member: Any, size: int, where: str, kinds: str) -> None:
    version = npy.read_magic(member)
    if version == (1, 0):
        shape, _, dtype = npy.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, _, dtype = npy.read_array_header_2_0(member)
    else:
        fail(where, f"unsupported .npy format version {version}")
    check_array(np.empty(0, dtype=dtype), where, kinds)
    count = 1
    for dimension in shape:
        count *= dimension
    if member.tell() + count * dtype.itemsize != size:
        fail(where, f"the header says {shape} of {dtype}, which does not match the bytes present")
