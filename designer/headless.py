"""Training and exporting saved projects without the GUI (`network-designer train|export`).

The same code paths as the app: the design is built with `designer.spec`, the data is
re-created from its recorded source and preparation, training runs `fit_model` (with a
Keras-style progress bar in the terminal), and the project is saved back atomically.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from designer.data.prepare import Preparation, prepare
from designer.data.source import DataSource
from designer.project import Project, load_project, save_project
from designer.spec.params import ParamError
from designer.training.config import TRAINING_PARAMS
from designer.training.runs import RunRecord
from designer.training.session import (
    ModelSetupError,
    NaNStop,
    build_trainable_model,
    fit_model,
)


class HeadlessError(RuntimeError):
    """A project that cannot be trained or exported as asked; the message says why."""


def build_model(project: Project) -> tuple[Any, dict[str, Any]]:
    """The project's engine model with its saved weights, compiled; and node → layer."""
    try:
        return build_trainable_model(
            project.design, project.weights, project.compile, seed=project.training.seed
        )
    except ModelSetupError as error:
        raise HeadlessError(str(error)) from None


def load_data(project: Project, base_dir: Path) -> Any:
    """Re-create and prepare the project's data (PreparedData)."""
    if project.data_source is None:
        raise HeadlessError(
            "The project has no data source: open it in the app and load or generate data."
        )
    source = DataSource.from_dict(project.data_source)
    dataset = source.load(base_dir=base_dir)
    return prepare(dataset, Preparation.from_dict(project.preparation or {}))


def train_project(path: str | Path, epochs: int | None = None, verbose: int = 1) -> RunRecord:
    """Train a saved project, then save its weights and the run's history back to it."""
    path = Path(path)
    project = load_project(path)
    model, layers = build_model(project)
    data = load_data(project, path.parent)
    config = project.training
    if epochs is not None:
        try:  # the same limits as a project file's, so the saved run opens again
            config.epochs = TRAINING_PARAMS["epochs"].check(epochs)
        except ParamError as error:
            raise HeadlessError(f"--epochs: {error}") from None
    problems = config.check()
    if problems:
        raise HeadlessError(" ".join(problems))
    run = RunRecord(f"Run {len(project.runs) + 1} (command line)", config.to_dict())
    started = time.perf_counter()
    history, used = fit_model(
        model,
        data.x_train,
        data.y_train,
        config,
        validation_data=data.validation_data,
        initial_epoch=project.next_epoch,
        verbose=verbose,
    )
    for epoch, index in zip(history.epoch, range(len(history.epoch)), strict=True):
        run.add_epoch(epoch, {k: v[index] for k, v in history.history.items()})
    run.duration = time.perf_counter() - started
    nan = next((c for c in used if isinstance(c, NaNStop) and c.triggered_at), None)
    run.status = "nan" if nan else "finished"
    if data.x_test is not None and data.y_test is not None and not nan:
        run.test_logs = model.evaluate(data.x_test, data.y_test, verbose=0, return_dict=True)
    project.weights = {node: layer.get_weights() for node, layer in layers.items()}
    project.next_epoch = (history.epoch[-1] + 1) if history.epoch else project.next_epoch
    project.runs.append(run)
    save_project(path, project)
    return run


def export_project(
    path: str | Path,
    keras_file: str | None = None,
    script: str | None = None,
    target: str = "keras",
) -> list[Path]:
    """Write the project's model as a .keras file and/or a Python script."""
    from designer.export.keras_file import save_keras_file
    from designer.export.project_script import project_script

    path = Path(path)
    project = load_project(path)
    written = []
    if keras_file:
        model, _ = build_model(project)
        save_keras_file(model, keras_file)
        written.append(Path(keras_file))
    if script:
        text = project_script(project, target, path.stem)
        out = Path(script)
        temporary = out.with_name(f".{out.name}.tmp")
        temporary.write_text(text)
        temporary.replace(out)
        written.append(out)
    if not written:
        raise HeadlessError("Nothing to export: give --keras FILE.keras and/or --script FILE.py.")
    return written
