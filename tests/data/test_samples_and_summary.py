"""Built-in samples, the Dataset's guesses (task, classes, images) and the preview facts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from designer.data.dataset import Dataset
from designer.data.dataset_summary import summarize
from designer.data.labels import describe_labels
from designer.data.samples import RESOURCES_DIR, SAMPLES, load_sample


def test_iris() -> None:
    iris = load_sample("iris")
    assert iris.x_train.shape == (150, 4) and iris.x_train.dtype == np.float32
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert np.bincount(iris.y_train).tolist() == [50, 50, 50]
    assert iris.source.to_dict() == {"kind": "sample", "options": {"name": "iris"}}


def test_digits_are_8x8_images() -> None:
    digits = load_sample("digits")
    assert digits.x_train.shape == (1797, 8, 8) and digits.is_image
    assert digits.x_train.max() == 16 and digits.num_classes == 10
    assert digits.class_name(7) == "7"


def test_samples_found_from_any_working_directory(tmp_path: Path) -> None:
    assert (RESOURCES_DIR / "README.md").exists()
    assert all((RESOURCES_DIR / info.filename).exists() for info in SAMPLES.values())
    root = Path(__file__).resolve().parents[2]
    code = "from designer.data.samples import load_sample; print(load_sample('iris').n_samples)"
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "150", out.stderr


def test_unknown_sample() -> None:
    with pytest.raises(ValueError, match=r"Unknown sample data set: 'wine'\. Valid names are"):
        load_sample("wine")


def test_dataset_is_read_only_and_checks_lengths() -> None:
    x = np.zeros((3, 2))
    data = Dataset(x, np.zeros(3))
    with pytest.raises(ValueError):
        data.x_train[0, 0] = 1
    x[0, 0] = 5  # the caller's own array stays writable
    with pytest.raises(ValueError, match="same number of samples"):
        Dataset(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="Give both x_test and y_test"):
        Dataset(np.zeros((3, 2)), np.zeros(3), x_test=np.zeros((1, 2)))
    with pytest.raises(ValueError, match="Test samples must have"):
        Dataset(np.zeros((3, 2)), np.zeros(3), np.zeros((1, 3)), np.zeros(1))


@pytest.mark.parametrize(
    ("y", "kind", "classes", "task"),
    [
        (np.array([0, 1, 1]), "integer", 2, "binary"),
        (np.array([[0], [1], [1]]), "integer", 2, "binary"),
        (np.array([-1, 1, 1]), "plus_minus_one", 2, "binary"),
        (np.array([0, 4, 2]), "integer", 5, "multiclass"),
        (np.eye(3)[[0, 2, 1]], "one_hot", 3, "multiclass"),
        (np.array([0.5, 1.25, 3.0]), "continuous", None, "regression"),
        (np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]), "continuous", None, "regression"),
        (np.array([-3, 2, 7]), "continuous", None, "regression"),
        (np.array([0.0, 1.0, 2.0], np.float32), "integer", 3, "multiclass"),
    ],
)
def test_label_kinds_and_task_guess(y, kind, classes, task) -> None:
    info = describe_labels(y)
    assert (info.kind, info.num_classes) == (kind, classes)
    assert Dataset(np.zeros((3, 1)), y).task == task


def test_class_names_settle_the_count() -> None:
    data = Dataset(np.zeros((2, 1)), np.array([0, 1]), class_names=("a", "b", "c"))
    assert data.num_classes == 3 and data.task == "multiclass"


def test_summary_facts() -> None:
    iris = summarize(load_sample("iris"))
    assert iris.x_train.shape == (150, 4) and iris.x_train.dtype == "float32"
    assert iris.x_train.minimum == pytest.approx(0.1) and iris.x_train.maximum == pytest.approx(7.9)
    assert [(c.name, c.train) for c in iris.classes] == [
        ("setosa", 50),
        ("versicolor", 50),
        ("virginica", 50),
    ]
    text = "\n".join(iris.lines())
    assert "built-in sample 'iris'" in text and "setosa: 50" in text
    data = Dataset(np.zeros((4, 2)), np.array([-1, 1, 1, 1]), np.zeros((2, 2)), np.array([1, -1]))
    facts = summarize(data)
    assert [(c.name, c.train, c.test) for c in facts.classes] == [("-1", 1, 1), ("+1", 3, 1)]
    assert "(train/test)" in "\n".join(facts.lines())
    regression = summarize(Dataset(np.zeros((3, 1)), np.array([0.5, 1.5, 2.5])))
    assert regression.classes == () and regression.task == "regression"
