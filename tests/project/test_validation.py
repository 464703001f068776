"""Opening a project checks every field: each bad value is refused with its path."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from designer.project import Project, load_project, save_project
from designer.project.validation import validate_project
from designer.spec.serialize import ProjectFormatError
from designer.training.runs import INTERRUPTED_MESSAGE, RunRecord
from tests.project.test_files import sample_project


def saved(tmp_path: Path, project: Project | None = None) -> Path:
    path = tmp_path / "work.ndproj"
    save_project(path, project or sample_project())
    return path


def rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """The file with its project.json changed by `change` (the arrays kept)."""
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    data = json.loads(entries["project.json"])
    change(data)
    entries["project.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def set_at(keys: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value

    return change


def three_runs(data: dict[str, Any]) -> None:
    run = data["runs"][0]
    data["runs"] = [run, dict(run), dict(run, history={"loss": [0.5, 0.4, 0.3, "x"]})]
    data["runs"][2]["epochs"] = [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            set_at(("training", "epochs"), "many"),
            'training.epochs: expected a whole number, received "many"',
        ),
        (
            set_at(("compile", "optimizer"), "foo"),
            'compile.optimizer: unknown optimizer "foo"; expected one of adam, sgd, ',
        ),
        (
            set_at(("compile", "optimizer_params"), {"learning_rate": "0.1"}),
            'compile.optimizer_params.learning_rate: expected a number, received "0.1"',
        ),
        (set_at(("compile", "loss"), 42), "compile.loss: expected a loss name, received 42"),
        (set_at(("next_epoch",), 1.5), "next_epoch: expected a whole number >= 0, received 1.5"),
        (three_runs, 'runs[2].history.loss[3]: expected a number, received "x"'),
        (
            set_at(("design", "nodes", 2, "params", "units"), "20"),
            'design.nodes[2].params.units: expected a whole number, received "20"',
        ),
        (
            set_at(("data_source", "kind"), "ftp"),
            'data_source.kind: unknown data source kind "ftp"; expected one of csv',
        ),
        (set_at(("compile", "metrics"), ["accuracy", 3]), "compile.metrics[1]: expected a metric"),
        (set_at(("compile", "metrics"), ["nope"]), 'compile.metrics[0]: unknown metric "nope"'),
        (set_at(("compile", "loss"), "nope"), 'compile.loss: unknown loss "nope"'),
        (
            set_at(("compile", "optimizer_params"), {"momentum": 0.9}),
            'compile.optimizer_params.momentum: adam has no hyper-parameter "momentum"',
        ),
        (set_at(("training", "shuffle"), "yes"), "training.shuffle: expected true or false"),
        (set_at(("training", "validation_split"), 0.95), "training.validation_split: must be at"),
        (set_at(("training", "batch_size"), 10**40), "training.batch_size: expected a whole"),
        (set_at(("runs", 0, "status"), "paused"), 'runs[0].status: unknown status "paused"'),
        (set_at(("runs", 0, "epochs"), [0, -1]), "runs[0].epochs[1]: expected a whole number"),
        (set_at(("runs", 0, "config", "epochs"), 0), "runs[0].config.epochs: expected a positive"),
        (set_at(("runs", 0, "visible"), "no"), "runs[0].visible: expected true or false"),
        (set_at(("runs",), {}), "runs: expected a list"),
        (set_at(("design", "nodes", 0, "type"), "Evil"), "design.nodes[0].type: unknown layer"),
        (set_at(("design", "nodes", 0, "position"), [0]), "design.nodes[0].position: expected"),
        (set_at(("design", "nodes", 3, "shares"), "n99"), "design.nodes[3].shares: no layer"),
        (set_at(("design", "edges", 0, "port"), "0"), "design.edges[0].port: expected a whole"),
        (set_at(("design", "edges", 1, "target"), "n3"), 'design.edges[1]: wire "e8" cannot'),
        (set_at(("data_source", "options", "name"), "nope"), "data_source.options.name: unknown"),
        (
            set_at(("data_source", "options", "params"), {"n": "many"}),
            "data_source.options.params: Invalid value for `n`",
        ),
        (set_at(("data_source", "options", "colour"), 1), "data_source.options.colour: Unknown"),
        (set_at(("preparation",), {"shuffle": "no"}), "preparation.shuffle: `shuffle` must be"),
        (set_at(("preparation",), {"sample_shape": 5}), "preparation.sample_shape: Invalid"),
        (set_at(("preparation",), {"num_classes": 10**9}), "preparation.num_classes: expected"),
        (set_at(("weights", "n3"), 10**12), "weights.n3: expected a whole number up to 1000"),
        (set_at(("weights", "n99"), 0), 'weights.n99: no layer with id "n99" in the design'),
        (set_at(("version",), "1"), 'version: expected a format version number, received "1"'),
    ],
)
def test_each_bad_field_is_refused_with_its_path(tmp_path: Path, change, message) -> None:
    path = rewrite(saved(tmp_path), change)
    with pytest.raises(ProjectFormatError) as caught:
        load_project(path)
    assert str(caught.value).startswith("work.ndproj: ")
    assert message in str(caught.value)
    assert caught.value.__cause__ is None  # found by a check, not by the last resort


def test_a_missing_key_takes_its_default_but_a_wrong_type_never_passes(tmp_path: Path) -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["training"]["epochs"], data["next_epoch"], data["runs"][0]["visible"]
        data["from_a_newer_version"] = {"anything": 1}  # unknown top-level keys: ignored
        data["training"]["a_newer_setting"] = "x"

    project = load_project(rewrite(saved(tmp_path), drop))
    assert project.training.epochs == 20 and project.next_epoch == 0 and project.runs[0].visible


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def replace_weights(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    entries["weights.npz"] = npz_bytes(arrays)
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def good_weights() -> dict[str, np.ndarray]:
    return {
        f"{node}/{i}": array
        for node, arrays in sample_project().weights.items()
        for i, array in enumerate(arrays)
    }


def test_weights_of_the_wrong_shape_are_refused_naming_layer_index_and_shapes(tmp_path):
    arrays = good_weights()
    arrays["n3/0"] = np.zeros((5, 8), np.float32)
    path = replace_weights(saved(tmp_path), arrays)
    with pytest.raises(ProjectFormatError) as caught:
        load_project(path)
    assert 'weights.n3[0]: expected shape (4, 8) for layer "Dense" (n3), received (5, 8)' in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("array", "message"),
    [
        (np.array(["a", "b"]), "arrays of <U1 are not allowed"),
        (np.zeros(3, complex), "arrays of complex128 are not allowed"),
        (np.zeros(2, [("a", "f4")]), "are not allowed"),
        (np.array([{"evil": 1}], dtype=object), "arrays of object are not allowed"),
    ],
)
def test_weights_must_be_plain_numbers(tmp_path: Path, array, message) -> None:
    arrays = good_weights()
    arrays["n3/1"] = array
    with pytest.raises(ProjectFormatError, match=message):
        load_project(replace_weights(saved(tmp_path), arrays))


def test_an_npy_header_that_claims_more_than_the_bytes_present_allocates_nothing(tmp_path):
    from numpy.lib import format as npy

    lying = io.BytesIO()
    npy.write_array_header_1_0(lying, {"descr": "<f4", "fortran_order": False, "shape": (10**13,)})
    lying.write(b"\0" * 32)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        for key, array in good_weights().items():
            buffer = io.BytesIO()
            npy.write_array(buffer, array)
            zf.writestr(f"{key}.npy", lying.getvalue() if key == "n3/1" else buffer.getvalue())
    path = saved(tmp_path)
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    entries["weights.npz"] = inner.getvalue()
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    with pytest.raises(ProjectFormatError, match=r'weights.npz\["n3/1"\]: the header says'):
        load_project(path)


def test_weights_of_a_layer_that_cannot_be_built_are_kept_unchecked(tmp_path: Path) -> None:
    """Saved mid-edit: the Input feeding n3 is gone, so n3 has no shapes to compare."""
    project = sample_project()
    del project.design.edges["e7"]
    project.weights["n3"] = [np.zeros((2, 2), np.float32)]  # cannot be checked: kept
    path = saved(tmp_path, project)
    again = load_project(path)
    assert again.weights["n3"][0].shape == (2, 2)
    project.weights["n4"] = [np.zeros((2, 2), np.float32)]  # n4 still builds: refused
    with pytest.raises(ProjectFormatError, match=r"weights\.n4: expected 2 arrays"):
        load_project(saved(tmp_path, project))


def test_a_run_saved_while_training_opens_as_interrupted(tmp_path: Path) -> None:
    project = sample_project()
    running = RunRecord("Run 2", {"epochs": 5})
    running.add_epoch(2, {"loss": 0.3})
    project.runs.append(running)
    validate_project(project)  # "running" is a valid state in memory
    again = load_project(saved(tmp_path, project))
    assert [r.status for r in again.runs] == ["finished", "interrupted"]
    assert again.runs[1].message == INTERRUPTED_MESSAGE
    assert again.runs[1].history == {"loss": [0.3]} and again.runs[1].epochs == [2]
    assert project.runs[1].status == "running"  # the saved Project is untouched


def test_a_nan_run_keeps_its_nan_history(tmp_path: Path) -> None:
    project = sample_project()
    project.runs[0].history["loss"][1] = float("nan")
    project.runs[0].status = "nan"
    again = load_project(saved(tmp_path, project))
    assert np.isnan(again.runs[0].history["loss"][1]) and again.runs[0].status == "nan"


def test_validate_project_checks_a_project_in_memory() -> None:
    project = sample_project()
    validate_project(project)
    project.training.epochs = "many"  # type: ignore[assignment]
    with pytest.raises(ProjectFormatError, match=r"training\.epochs"):
        validate_project(project)
    project = sample_project()
    project.weights["n6"][0] = project.weights["n6"][0].T
    with pytest.raises(ProjectFormatError, match=r"weights\.n6\[0\]: expected shape \(8, 1\)"):
        validate_project(project)
    project = sample_project()
    project.data_arrays["x"] = np.array([None], dtype=object)
    with pytest.raises(ProjectFormatError, match=r"data\.x: arrays of object"):
        validate_project(project)


def test_opening_does_not_disturb_numpys_random_state(tmp_path: Path) -> None:
    path = saved(tmp_path)
    np.random.seed(3)
    expected = np.random.random()
    np.random.seed(3)
    load_project(path)
    assert np.random.random() == expected
