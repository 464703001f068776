"""Project files: round trip, atomic saves, and every damaged-file case."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from designer.project import Project, load_project, save_project
from designer.project.files import project_to_json
from designer.spec.build import build_design
from designer.spec.serialize import ProjectFormatError
from designer.spec.templates import template
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
        {"kind": "generator", "options": {"name": "xor", "n": 100}},
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

    monkeypatch.setattr("designer.project.files._npz_bytes", explode)
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
        (lambda p: write_zip(p, {"project.json": good_json()}), "weights of layer"),
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
    with pytest.raises(ProjectFormatError, match="damaged"):
        load_project(path)
