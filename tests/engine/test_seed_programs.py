"""The tutorials in ../shared/seeds/ run on the engine with only their imports changed.

Each program lives in tests/engine/seed_programs/ exactly as printed (imports aside)
and runs with runpy; the test then checks what the tutorial says happens.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import pytest

PROGRAMS = Path(__file__).parent / "seed_programs"


def run_program(name: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.chdir(cwd)
    return runpy.run_path(str(PROGRAMS / name), run_name="__main__")


def test_000_functional_sum_classifier_beats_90_percent(tmp_path, monkeypatch, capsys) -> None:
    np.random.seed(0)
    names = run_program("seed000_functional_sum.py", tmp_path, monkeypatch)
    accuracy = float(np.sum(names["predict"] == names["real"]) / 200.0)
    assert accuracy > 0.9
    history = names["model"].history.history
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["loss"]) == 150
    assert history["loss"][-1] < history["loss"][0]
    printed = capsys.readouterr().out
    assert "Epoch 150/150" in printed
    assert printed.strip().splitlines()[-1] == f"{accuracy}"


def test_001_printed_weights_predict_the_tutorials_number_and_perfect_model(
    tmp_path, monkeypatch
) -> None:
    np.random.seed(1)
    names = run_program("seed001_weights.py", tmp_path, monkeypatch)
    # The tutorial: model.predict(np.array([[0.3, 0.1]])) -> array([[ 0.93015909]])
    np.testing.assert_allclose(names["tutorial_prediction"], [[0.93015909]], atol=1e-6)
    assert names["tutorial_prediction"].dtype == np.float32
    assert names["perfect_accuracy"] == 1.0


def test_002_overview_snippets_behave_as_the_text_says(tmp_path, monkeypatch, capsys) -> None:
    np.random.seed(2)
    names = run_program("seed002_overview.py", tmp_path, monkeypatch)
    history = names["history"].history
    assert set(history) == {"loss", "accuracy", "mean_pred"}
    assert len(history["loss"]) == 100
    assert history["loss"][-1] < history["loss"][0]
    assert np.isfinite(names["loss"]) and 0.0 <= names["accuracy"] <= 1.0
    assert names["predictions"].shape == (5, 32)
    # mean_pred is the mean of the predictions, averaged over the epoch's batches.
    assert abs(history["mean_pred"][-1]) < 1.0


def test_003_lab_summary_and_uniform_init(tmp_path, monkeypatch, capsys) -> None:
    names = run_program("seed003_lab.py", tmp_path, monkeypatch)
    printed = capsys.readouterr().out
    lab = names["lab_model"]
    assert lab.count_params() == 784 * 20 + 20 + 20 * 20 + 20 + 20 * 10 + 10
    assert "Total params: 16,330" in printed
    assert "dropout (Dropout)" in printed or "Dropout)" in printed
    assert printed.rstrip().endswith("None")  # print(model.summary()) prints None last
    kernel = names["example_model"].layers[0].get_weights()[0]
    assert kernel.shape == (2, 2)
    assert np.all(np.abs(kernel) <= 0.05)  # Keras 1's init='uniform' is U(-0.05, 0.05)


def write_fake_mnist(path: Path, n_train: int = 1200, n_test: int = 300) -> None:
    """A learnable stand-in with mnist.npz's layout: uint8 28x28 images, labels 0..9."""
    rng = np.random.default_rng(4)
    prototypes = rng.integers(0, 256, size=(10, 28, 28))

    def make(n: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, 10, size=n)
        noise = rng.integers(-60, 60, size=(n, 28, 28))
        images = np.clip(prototypes[labels] + noise, 0, 255).astype(np.uint8)
        return images, labels.astype(np.uint8)

    x_train, y_train = make(n_train)
    x_test, y_test = make(n_test)
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def test_004_dummy_model_and_mnist_mlp(tmp_path, monkeypatch, capsys) -> None:
    write_fake_mnist(tmp_path / "mnist.npz")
    names = run_program("seed004_mlp.py", tmp_path, monkeypatch)
    printed = capsys.readouterr().out
    assert "Epoch 10/10" in printed
    error_line = next(line for line in printed.splitlines() if line.startswith("MLP Error"))
    error = float(error_line.split(":")[1].strip().rstrip("%"))
    assert error < 5.0
    assert names["model"].count_params() == 784 * 784 + 784 + 784 * 10 + 10


def test_004_mnist_cnn_channels_first(tmp_path, monkeypatch, capsys) -> None:
    from designer.engine import backend as K

    pytest.importorskip("designer.engine.layers.convolutional")
    write_fake_mnist(tmp_path / "mnist.npz", n_train=600, n_test=200)
    try:
        names = run_program("seed004_cnn.py", tmp_path, monkeypatch)
    finally:
        K.set_image_data_format("channels_last")
    printed = capsys.readouterr().out
    assert "Epoch 10/10" in printed
    error_line = next(line for line in printed.splitlines() if line.startswith("CNN Error"))
    error = float(error_line.split(":")[1].strip().rstrip("%"))
    assert error < 10.0
    model = names["model"]
    assert model.input_shape == (None, 1, 28, 28)
    assert model.layers[0].output_shape == (None, 32, 24, 24)
    assert model.count_params() == (5 * 5 * 32 + 32) + (32 * 12 * 12 * 128 + 128) + (128 * 10 + 10)
