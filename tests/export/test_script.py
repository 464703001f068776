"""Exported scripts run: the engine script rebuilds the same model; the Keras one compiles."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import numpy as np
import pytest

from designer.export import ScriptOptions, export_script
from designer.spec.build import build_design
from designer.spec.templates import TEMPLATES, template
from designer.training import TrainingConfig

KEYS = [t.key for t in TEMPLATES if t.key != "empty"]


def export(key: str, target: str, **options) -> tuple[str, object]:
    design, settings = template(key).make()
    text = export_script(
        design,
        settings,
        TrainingConfig(epochs=1, batch_size=64),
        ScriptOptions(target=target, title=key, **options),
    )
    return text, build_design(design)


@pytest.mark.parametrize("key", KEYS)
def test_both_scripts_are_valid_python(key: str) -> None:
    for target in ("keras", "engine"):
        text, _ = export(key, target)
        compile(text, f"{key}_{target}.py", "exec")


@pytest.mark.parametrize("key", ["sum_classifier", "branching", "shared_layer", "lab_mlp"])
def test_engine_script_rebuilds_the_same_model(key: str, tmp_path: Path, monkeypatch) -> None:
    design, settings = template(key).make()
    result = build_design(design)
    original = result.model
    weights_path = tmp_path / "model.weights.h5"
    original.save_weights(str(weights_path))
    text = export_script(
        design,
        settings,
        TrainingConfig(epochs=1),
        ScriptOptions(target="engine", title=key, weights_file=str(weights_path), train=False),
    )
    script = tmp_path / "exported.py"
    script.write_text(text)
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(script))
    model = namespace["model"]
    assert model.count_params() == original.count_params()
    shapes = [t.shape for t in original.inputs]
    rng = np.random.default_rng(0)
    xs = [rng.random((5, *s[1:])).astype(np.float32) for s in shapes]
    x = xs[0] if len(xs) == 1 else xs
    np.testing.assert_allclose(
        model.predict(x, verbose=0), original.predict(x, verbose=0), rtol=1e-6
    )


def test_engine_script_trains(tmp_path: Path, monkeypatch, capsys) -> None:
    text, _ = export("sum_classifier", "engine")
    script = tmp_path / "train.py"
    script.write_text(text)
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(script))
    assert len(namespace["history"].history["loss"]) == 1
    assert "Total params: 141" in capsys.readouterr().out


@pytest.mark.parametrize("key", ["sum_classifier", "shared_layer", "mnist_cnn"])
def test_keras_script_runs_on_real_keras(key: str, tmp_path: Path, monkeypatch) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    text, result = export(key, "keras")
    script = tmp_path / "keras_script.py"
    script.write_text(text)
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(script))
    assert namespace["model"].count_params() == result.model.count_params()
    assert "loss" in namespace["history"].history
