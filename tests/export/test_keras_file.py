"""`.keras` files: our export opens in real Keras; Keras' files import; bad files refused."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from designer.export.keras_file import KerasFileError, load_keras_file, save_keras_file
from designer.spec.build import build_design
from designer.spec.templates import template

KEYS = ["sum_classifier", "branching", "shared_layer", "mnist_cnn", "lab_mlp"]


def sample_inputs(model) -> object:
    rng = np.random.default_rng(0)
    xs = [rng.random((3, *t.shape[1:])).astype(np.float32) for t in model.inputs]
    return xs[0] if len(xs) == 1 else xs


@pytest.mark.parametrize("key", KEYS)
def test_export_then_import_gives_the_same_model(key: str, tmp_path: Path) -> None:
    model = build_design(template(key).make()[0]).model
    path = tmp_path / f"{key}.keras"
    save_keras_file(model, path)
    assert set(zipfile.ZipFile(path).namelist()) == {
        "metadata.json",
        "config.json",
        "model.weights.h5",
    }
    again, ignored = load_keras_file(path)
    assert ignored == {}
    x = sample_inputs(model)
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def keras_like_file(path: Path, layers: list[dict]) -> Path:
    config = {
        "module": "keras",
        "class_name": "Sequential",
        "config": {"name": "s", "layers": layers},
    }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", b"")
    return path


def test_unknown_layers_are_named(tmp_path: Path) -> None:
    path = keras_like_file(
        tmp_path / "lstm.keras",
        [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "config": {"batch_shape": [None, 3, 2]},
            },
            {"module": "keras.layers", "class_name": "LSTM", "config": {"units": 4}},
            {"module": "keras.layers", "class_name": "Bidirectional", "config": {}},
        ],
    )
    with pytest.raises(KerasFileError, match="does not have: Bidirectional, LSTM"):
        load_keras_file(path)


def test_custom_code_is_refused_never_run(tmp_path: Path) -> None:
    path = keras_like_file(
        tmp_path / "custom.keras",
        [
            {
                "module": "my_package.layers",
                "class_name": "Dense",
                "registered_name": "Custom>Dense",
                "config": {"units": 4},
            },
        ],
    )
    with pytest.raises(KerasFileError, match="custom layer"):
        load_keras_file(path)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"../evil": b"x"}, "unexpected entry"),
        ({"config.json": b"{}"}, "lacks"),
        ({"config.json": b"{nope", "model.weights.h5": b""}, "damaged"),
    ],
)
def test_damaged_files_are_refused(tmp_path: Path, entries, message) -> None:
    path = tmp_path / "bad.keras"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    with pytest.raises(KerasFileError, match=message):
        load_keras_file(path)
    (tmp_path / "text.keras").write_text("hello")
    with pytest.raises(KerasFileError, match=r"not a \.keras file"):
        load_keras_file(tmp_path / "text.keras")


@pytest.mark.parametrize("key", KEYS)
def test_real_keras_opens_our_file_and_we_open_its(key: str, tmp_path: Path) -> None:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = pytest.importorskip("keras")
    model = build_design(template(key).make()[0]).model
    ours = tmp_path / "ours.keras"
    save_keras_file(model, ours)
    loaded = keras.saving.load_model(ours)
    x = sample_inputs(model)
    np.testing.assert_allclose(
        np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    theirs = tmp_path / "theirs.keras"
    loaded.save(theirs)
    back, _ = load_keras_file(theirs)
    np.testing.assert_allclose(
        back.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("key", KEYS)
def test_imported_file_becomes_the_same_design_with_weights(key: str, tmp_path: Path) -> None:
    from designer.spec.from_model import design_from_model

    design = template(key).make()[0]
    model = build_design(design).model
    path = tmp_path / "m.keras"
    save_keras_file(model, path)
    loaded, _ = load_keras_file(path)
    converted = design_from_model(loaded)
    assert sorted(n.type for n in converted.design.nodes.values()) == sorted(
        n.type for n in design.nodes.values()
    )
    rebuilt = build_design(converted.design)
    assert rebuilt.ok, [i.text() for i in rebuilt.issues]
    for node_id, arrays in converted.weights.items():
        rebuilt.nodes[node_id].layer.set_weights(arrays)
    x = sample_inputs(model)
    np.testing.assert_allclose(
        rebuilt.model.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6
    )
