"""Checking a whole project before anything uses it (no Qt): one validator for the GUI
and the command line, so both refuse the same files with the same words.

`project_from_json` turns a project.json object into a `Project`, checking every field
(JSON type, range, known name) with errors that carry the field's path
(`training.epochs: expected a whole number, received "many"`). `check_weights` builds
the design with the engine and requires every saved array to have exactly the shape of
its layer's weight. `validate_project` runs all of it on a Project in memory.

Compatibility: keys this version does not know are ignored at the top level and in the
training, compile, run and layer objects, where a newer minor version may add some.
Vocabularies are closed: unknown layer parameters, optimizer hyper-parameters, data
source options and preparation settings are refused, because they would be handed to
code that cannot take them. A known key never passes with the wrong type.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import numpy as np

from designer.data.prepare import Preparation
from designer.data.source import KINDS, DataSource
from designer.project.model import Project
from designer.spec.build import BuildResult, build_design
from designer.spec.design import Design
from designer.spec.serialize import (
    MAX_DIMENSION,
    MAX_TUPLE_LENGTH,
    ProjectFormatError,
    check_settings,
    compile_from_dict,
    design_from_dict,
    expect_int,
    expect_list,
    expect_object,
    fail,
    join,
    show,
)
from designer.training.config import TRAINING_PARAMS, TrainingConfig
from designer.training.runs import MAX_EPOCH, RunRecord

MAX_ARRAYS_PER_LAYER = 1_000  # a layer's weight arrays (Dense 2, BatchNormalization 4)
MAX_CLASSES = 1_000_000
# Array element kinds a file may hold: weights are numbers; data may also be booleans
# and text labels. Never objects (that would mean unpickling).
WEIGHT_KINDS = "fiu"
DATA_KINDS = "biufU"


def project_from_json(data: Any) -> Project:
    """The Project a project.json object describes (arrays not attached yet)."""
    data = expect_object(data, "")
    design = design_from_dict(data.get("design", {}), "design")
    return Project(
        design=design,
        compile=compile_from_dict(data.get("compile", {}), "compile"),
        training=training_from_dict(data.get("training", {}), "training"),
        data_source=data_source_from_dict(data.get("data_source"), "data_source"),
        preparation=preparation_from_dict(data.get("preparation"), "preparation"),
        runs=[
            RunRecord.from_dict(run, f"runs[{index}]")
            for index, run in enumerate(expect_list(data.get("runs", []), "runs"))
        ],
        next_epoch=expect_int(data.get("next_epoch", 0), "next_epoch", 0, MAX_EPOCH),
    )


def training_from_dict(data: Any, path: str = "training") -> TrainingConfig:
    """Training settings checked against TRAINING_PARAMS (missing ones: defaults)."""
    values = check_settings(data, TRAINING_PARAMS, path)
    known = {f.name for f in fields(TrainingConfig)}
    return TrainingConfig(**{k: v for k, v in values.items() if k in known})


def data_source_from_dict(data: Any, path: str = "data_source") -> dict[str, Any] | None:
    """A data source as the data layer checks it, with the name and generator
    parameters checked too (so a project never fails later, when the data loads)."""
    if data is None:
        return None
    data = expect_object(data, path)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        fail(
            f"{path}.kind",
            f"unknown data source kind {show(kind)}; expected one of {', '.join(KINDS)}",
        )
    options = data.get("options") or {}
    expect_object(options, f"{path}.options")
    try:
        source = DataSource.from_dict(data)
    except ValueError as error:
        fail(_option_at_fault(kind, options, f"{path}.options") or path, str(error))
    except RecursionError:
        fail(f"{path}.options", "nested too deeply")
    name = source.options.get("name")
    if kind == "sample":
        from designer.data.samples import SAMPLES

        if name not in SAMPLES:
            fail(
                f"{path}.options.name",
                f"unknown sample {show(name)}; expected one of {', '.join(SAMPLES)}",
            )
    elif kind == "generator":
        from designer.data.generators import GENERATORS, resolve_params

        if name not in GENERATORS:
            known = ", ".join(GENERATORS)
            fail(f"{path}.options.name", f"unknown generator {show(name)}; expected one of {known}")
        try:
            resolve_params(name, source.options.get("params"))
        except (ValueError, TypeError, OverflowError) as error:
            fail(f"{path}.options.params", str(error))
    return source.to_dict()


def _option_at_fault(kind: str, options: Mapping[str, Any], path: str) -> str | None:
    """The option a DataSource refused (each is tried alone), for the error's path."""
    for key, value in options.items():
        try:
            DataSource(kind, {key: value})
        except ValueError as error:
            if "needs the option" not in str(error):
                return join(path, key)
    return None


def preparation_from_dict(data: Any, path: str = "preparation") -> dict[str, Any] | None:
    """Preparation settings as `Preparation.from_dict` checks them, one by one so that
    the error names the setting; sizes are capped before anything allocates."""
    if data is None:
        return None
    data = expect_object(data, path)
    for key, value in data.items():
        try:
            Preparation.from_dict({key: value})
        except ValueError as error:
            fail(join(path, key), str(error))
    classes = data.get("num_classes")
    if classes is not None and classes > MAX_CLASSES:
        fail(
            f"{path}.num_classes",
            f"expected at most {MAX_CLASSES} classes, received {show(classes)}",
        )
    shape = data.get("sample_shape")
    if shape is not None and (len(shape) > MAX_TUPLE_LENGTH or max(shape) > MAX_DIMENSION):
        fail(
            f"{path}.sample_shape",
            f"expected up to {MAX_TUPLE_LENGTH} numbers up to {MAX_DIMENSION}, "
            f"received {show(shape)}",
        )
    try:
        Preparation.from_dict(data)
    except ValueError as error:
        fail(path, str(error))
    return dict(data)


def weight_counts(data: Any, design: Design, path: str = "weights") -> dict[str, int]:
    """project.json's {node id: number of arrays}: known layers, plausible counts."""
    counts = {}
    for node_id, count in expect_object(data, path).items():
        where = join(path, node_id)
        if node_id not in design.nodes:
            fail(where, f"no layer with id {show(node_id)} in the design")
        counts[node_id] = expect_int(count, where, 0, MAX_ARRAYS_PER_LAYER)
    return counts


def check_array(array: Any, path: str, kinds: str = WEIGHT_KINDS) -> None:
    """A NumPy array of plain numbers (never objects, records or strings for weights)."""
    if not isinstance(array, np.ndarray):
        fail(path, f"expected an array, received a {type(array).__name__}")
    if array.dtype.hasobject or array.dtype.kind not in kinds:
        fail(path, f"arrays of {array.dtype} are not allowed here")


def check_weights(design: Design, weights: Mapping[str, Any], path: str = "weights") -> None:
    """Every saved array must have exactly the shape of its layer's weight.

    The design is built with the engine (shapes come from the engine, never from a
    second calculator). A layer that cannot be built (the design has an issue there or
    upstream: a user may save mid-edit) has no shapes to compare: its weights are kept
    unchecked, as the editor keeps them, and are checked when the design builds again.
    """
    for node_id, arrays in weights.items():
        where = join(path, node_id)
        if node_id not in design.nodes:
            fail(where, f"no layer with id {show(node_id)} in the design")
        if not isinstance(arrays, list | tuple):
            fail(where, f"expected a list of arrays, received a {type(arrays).__name__}")
        for index, array in enumerate(arrays):
            check_array(array, f"{where}[{index}]", WEIGHT_KINDS)
    if not any(weights.values()):
        return  # nothing to compare: no need to build
    result = _build(design)
    for node_id, arrays in weights.items():
        info = result.nodes.get(node_id)
        if info is None or info.layer is None:
            continue
        node = design.nodes[node_id]
        label = f'layer "{node.name or node.type}" ({node_id})'
        expected = [tuple(w.shape) for w in info.layer.weights]
        where = join(path, node_id)
        if len(arrays) != len(expected):
            fail(where, f"expected {len(expected)} arrays for {label}, received {len(arrays)}")
        for index, (array, shape) in enumerate(zip(arrays, expected, strict=True)):
            if tuple(array.shape) != shape:
                fail(
                    f"{where}[{index}]",
                    f"expected shape {shape} for {label}, received {tuple(array.shape)}",
                )


def _build(design: Design) -> BuildResult:
    """Build the design for its shapes, leaving NumPy's global random state as it was
    (initial values are drawn from it, and a run's seed must keep meaning the same)."""
    state = np.random.get_state()
    try:
        return build_design(design)
    except MemoryError:
        fail("design", "its layers need more memory than this computer has")
    finally:
        np.random.set_state(state)


def validate_project(project: Project) -> None:
    """Check a Project in memory as a file would be checked; ProjectFormatError if not.

    For the GUI (before a save, or after building a Project in code): what passes here
    saves to a file that opens again. The project itself is not changed.
    """
    from designer.project.files import project_to_json

    try:
        data = json.loads(json.dumps(project_to_json(project)))
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise ProjectFormatError(
            f"the project holds a value that is not plain data: {error}"
        ) from None
    again = project_from_json(data)
    weight_counts(data.get("weights", {}), again.design)
    check_weights(again.design, project.weights)
    if not isinstance(project.data_arrays, Mapping):
        fail("data", "expected arrays by name")
    for name, array in project.data_arrays.items():
        check_array(array, join("data", name), DATA_KINDS)
