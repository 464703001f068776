"""Project files: round trip, atomic saves, and every damaged-file case."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from designer.project import Project, load_project, save_project
from designer.project.examples import EXAMPLES
from designer.project.files import project_to_json
from designer.spec.build import build_design
from designer.spec.serialize import ProjectFormatError
from designer.spec.templates import TEMPLATES, template
from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord


def sample_project() -> Project:
    design, settings = template("shared_layer").make()
    result = build_design(design)
    weights = {
        n: info.layer.get_weights()
        for n, info in result.nodes.items()
        if info.layer is not None and info.layer.weights
    }
    run = RunRecord("Run 1", {"epochs": 2})
    run.add_epoch(0, {"loss": 0.5, "accuracy": 0.7})
    run.add_epoch(1, {"loss": 0.25, "accuracy": 0.9})
    run.status = "finished"
    return Project(
        design,
        settings,
        TrainingConfig(epochs=7, batch_size=16),
        {"kind": "generator", "options": {"name": "xor", "params": {"n": 100}}},
        None,
        {"x": np.arange(6, dtype=np.float32).reshape(3, 2)},
        weights,
        [run],
        2,
    )


def test_round_trip_keeps_design_weights_settings_and_history(tmp_path: Path) -> None:
    project = sample_project()
    path = tmp_path / "work.ndproj"
    save_project(path, project)
    again = load_project(path)
    assert project_to_json(again) == project_to_json(project)
    for node, arrays in project.weights.items():
        for a, b in zip(arrays, again.weights[node], strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)  # bit-equal
    assert again.runs[0].history == {"loss": [0.5, 0.25], "accuracy": [0.7, 0.9]}
    np.testing.assert_array_equal(again.data_arrays["x"], project.data_arrays["x"])
    assert again.training.epochs == 7 and again.next_epoch == 2


def test_interrupted_save_leaves_the_old_file_intact(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "work.ndproj"
    save_project(path, sample_project())
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("designer.project.files._write_npz", explode)
    with pytest.raises(OSError, match="disk full"):
        save_project(path, sample_project())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.ndproj"]  # no temp left


def write_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def good_json() -> bytes:
    return json.dumps(project_to_json(sample_project())).encode()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"hello"), "not a readable zip"),
        (lambda p: p.write_bytes(b""), "not a readable zip"),
        (lambda p: write_zip(p, {"other.txt": b"x"}), "unexpected entry"),
        (lambda p: write_zip(p, {"../evil.json": b"x"}), "refused entry"),
        (lambda p: write_zip(p, {"/etc/passwd": b"x"}), "refused entry"),
        (lambda p: write_zip(p, {"weights.npz": b""}), "no project.json"),
        (lambda p: write_zip(p, {"project.json": b"{not json"}), "damaged"),
        (lambda p: write_zip(p, {"project.json": b'{"format": "keras"}'}), "format marker"),
        (
            lambda p: write_zip(
                p,
                {
                    "project.json": json.dumps(
                        {"format": "network-designer/project", "version": 99, "app_version": "9.0"}
                    ).encode()
                },
            ),
            "newer Network Designer",
        ),
        (
            lambda p: write_zip(p, {"project.json": good_json(), "weights.npz": b"garbage"}),
            "weights.npz is damaged",
        ),
        (lambda p: write_zip(p, {"project.json": good_json()}), "missing from weights.npz"),
    ],
)
def test_damaged_foreign_and_newer_files_are_refused(tmp_path: Path, make, message) -> None:
    path = tmp_path / "bad.ndproj"
    make(path)
    with pytest.raises(ProjectFormatError, match=message):
        load_project(path)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "work.ndproj"
    save_project(path, sample_project())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProjectFormatError):
        load_project(path)


def test_pickled_arrays_are_never_loaded(tmp_path: Path) -> None:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **{"n1/0": np.array([{"evil": 1}], dtype=object)})
    path = write_zip(
        tmp_path / "pickle.ndproj", {"project.json": good_json(), "weights.npz": buffer.getvalue()}
    )
    with pytest.raises(ProjectFormatError, match="object are not allowed"):
        load_project(path)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    import os
    import stat

    from designer.project.files import current_umask

    old = os.umask(umask)
    try:
        assert current_umask() == umask
        save_project(tmp_path / "work.ndproj", sample_project())
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "work.ndproj").stat().st_mode) == mode


def test_saving_over_a_file_keeps_its_mode(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "work.ndproj"
    save_project(path, sample_project())
    path.chmod(0o640)
    save_project(path, sample_project())
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_stale_temporary_files_of_killed_saves_are_removed(tmp_path: Path) -> None:
    import os
    import time

    from designer.project.files import remove_stale_temp_files

    stale = tmp_path / ".work.ndproj.abcd1234.tmp"  # left by a save that was killed
    fresh = tmp_path / ".work.ndproj.efgh5678.tmp"  # a save still writing (or just begun)
    other = tmp_path / ".other.ndproj.ijkl9012.tmp"
    foreign = tmp_path / ".notes.txt.mnop3456.tmp"  # not a project's: never touched
    for item in (stale, fresh, other, foreign):
        item.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    for item in (stale, other, foreign):
        os.utime(item, (hour_ago, hour_ago))
    save_project(tmp_path / "work.ndproj", sample_project())
    assert not stale.exists() and fresh.exists() and other.exists()
    assert remove_stale_temp_files(tmp_path) == [other]
    assert foreign.exists() and fresh.exists()


def test_a_temporary_file_locked_by_a_running_save_is_left_alone(tmp_path: Path) -> None:
    import fcntl
    import os
    import time

    from designer.project.files import remove_stale_temp_files

    busy = tmp_path / ".work.ndproj.abcd1234.tmp"
    busy.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    os.utime(busy, (hour_ago, hour_ago))
    with open(busy, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert remove_stale_temp_files(tmp_path, "work.ndproj") == []
    assert remove_stale_temp_files(tmp_path, "work.ndproj") == [busy]


def test_weights_are_stored_uncompressed_and_old_compressed_files_still_open(tmp_path) -> None:
    import io

    path = tmp_path / "work.ndproj"
    project = sample_project()
    save_project(path, project)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("weights.npz").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("project.json").compress_type == zipfile.ZIP_DEFLATED
        entries = {name: zf.read(name) for name in zf.namelist()}
    old = io.BytesIO()  # how version 0.x wrote them: savez_compressed, deflated again
    flat = {f"{n}/{i}": a for n, arrays in project.weights.items() for i, a in enumerate(arrays)}
    np.savez_compressed(old, **flat)
    entries["weights.npz"] = old.getvalue()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    again = load_project(path)
    assert np.array_equal(again.weights["n3"][0], project.weights["n3"][0])


def test_snapshot_shares_nothing_with_the_project(tmp_path: Path) -> None:
    from designer.project.files import snapshot_project

    project = sample_project()
    copy = snapshot_project(project)
    project.weights["n3"][0][:] = 7
    project.design.nodes["n3"].params["units"] = 99
    project.runs[0].history["loss"].append(1.0)
    project.training.epochs = 1
    save_project(tmp_path / "copy.ndproj", copy)
    again = load_project(tmp_path / "copy.ndproj")
    assert again.design.nodes["n3"].params["units"] == 8 and again.training.epochs == 7
    assert not (again.weights["n3"][0] == 7).any() and again.runs[0].history["loss"] == [0.5, 0.25]


def with_weights(project: Project) -> Project:
    result = build_design(project.design)
    project.weights = {n: i.layer.get_weights() for n, i in result.nodes.items() if i.layer}
    return project


@pytest.mark.parametrize("item", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_every_example_with_weights_round_trips(tmp_path: Path, item) -> None:
    project = with_weights(item.make())
    save_project(tmp_path / "x.ndproj", project)
    assert project_to_json(load_project(tmp_path / "x.ndproj")) == project_to_json(project)


@pytest.mark.parametrize("item", TEMPLATES, ids=[t.key for t in TEMPLATES])
def test_every_template_with_weights_round_trips(tmp_path: Path, item) -> None:
    design, settings = item.make()
    project = with_weights(Project(design, settings))
    save_project(tmp_path / "x.ndproj", project)
    assert project_to_json(load_project(tmp_path / "x.ndproj")) == project_to_json(project)
