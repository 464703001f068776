"""`network-designer train` and `export` on saved projects, without Qt."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from designer.data.prepare import Preparation
from designer.project import Project, load_project, save_project
from designer.spec.templates import template
from designer.training.config import TrainingConfig

ROOT = Path(__file__).resolve().parents[1]


def sum_project(path: Path, with_data: bool = True) -> Path:
    design, settings = template("sum_classifier").make()
    source = {"kind": "generator", "options": {"name": "threshold_sum", "params": {"n": 500}}}
    save_project(
        path,
        Project(
            design,
            settings,
            TrainingConfig(epochs=30, batch_size=32),
            source if with_data else None,
            Preparation().to_dict(),
        ),
    )
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from designer.cli import main; code = main(sys.argv[1:]); "
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]; "
        "print('QT-LOADED' if qt else ''); sys.exit(code)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def test_train_saves_weights_and_history_back(tmp_path: Path) -> None:
    path = sum_project(tmp_path / "sum.ndproj")
    result = cli("train", str(path), "--epochs", "40")
    assert result.returncode == 0, result.stderr
    assert "QT-LOADED" not in result.stdout
    assert "Epoch 40/40" in result.stdout and "saved to" in result.stdout
    project = load_project(path)
    run = project.runs[-1]
    assert len(run.epochs) == 40 and run.history["val_accuracy"][-1] > 0.85
    assert project.weights and project.next_epoch == 40
    again = cli("train", str(path), "--epochs", "2", "--quiet")
    assert again.returncode == 0, again.stderr
    assert load_project(path).runs[-1].epochs == [40, 41]  # continues where it stopped


def test_export_keras_file_and_script(tmp_path: Path) -> None:
    path = sum_project(tmp_path / "sum.ndproj")
    out = tmp_path / "model.keras"
    script = tmp_path / "train.py"
    result = cli("export", str(path), "--keras", str(out), "--script", str(script))
    assert result.returncode == 0, result.stderr
    assert set(zipfile.ZipFile(out).namelist()) >= {"config.json", "model.weights.h5"}
    compile(script.read_text(), "train.py", "exec")
    assert "import keras" in script.read_text()


def test_clear_errors_without_tracebacks(tmp_path: Path) -> None:
    no_data = sum_project(tmp_path / "nodata.ndproj", with_data=False)
    result = cli("train", str(no_data))
    assert result.returncode == 1 and "no data source" in result.stderr
    assert "Traceback" not in result.stderr
    bogus = tmp_path / "bogus.ndproj"
    bogus.write_text("not a zip")
    result = cli("train", str(bogus))
    assert result.returncode == 2 and "not a Network Designer project" in result.stderr
    result = cli("export", str(no_data))
    assert result.returncode == 1 and "Nothing to export" in result.stderr


def test_training_results_match_the_weights_file(tmp_path: Path) -> None:
    path = sum_project(tmp_path / "sum.ndproj")
    assert cli("train", str(path), "--epochs", "3", "--quiet").returncode == 0
    project = load_project(path)
    assert all(np.isfinite(w).all() for ws in project.weights.values() for w in ws)


def test_exported_script_loads_the_projects_data_and_trains(tmp_path: Path, monkeypatch) -> None:
    import runpy

    from designer.data.prepare import prepare
    from designer.data.source import DataSource
    from designer.export.project_script import project_script

    path = sum_project(tmp_path / "sum.ndproj")
    project = load_project(path)
    project.training.epochs = 2
    script = tmp_path / "train_engine.py"
    script.write_text(project_script(project, "engine", "sum"))
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(script))
    expected = prepare(
        DataSource.from_dict(project.data_source).load(), Preparation.from_dict(project.preparation)
    )
    np.testing.assert_allclose(namespace["x_train"], expected.x_train)
    np.testing.assert_allclose(namespace["y_train"], expected.y_train)
    assert len(namespace["history"].history["val_loss"]) == 2
    assert "rng" in project_script(project, "keras", "sum")
    assert "designer" not in project_script(project, "keras", "sum").split("# -- model")[0]


def test_same_project_and_seed_train_to_the_same_numbers(tmp_path: Path) -> None:
    """The seed also fixes the initial weights of a project that has none saved."""
    histories = []
    for name in ("a", "b"):
        path = sum_project(tmp_path / f"{name}.ndproj")
        assert cli("train", str(path), "--epochs", "3", "--quiet").returncode == 0
        histories.append(load_project(path).runs[-1].history)
    assert histories[0] == histories[1]
