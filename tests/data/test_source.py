"""DataSource: JSON round trip with clear errors, and load() re-creates identical data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from designer.data.csv_loader import load_csv
from designer.data.dataset import Dataset
from designer.data.errors import LoadCancelled
from designer.data.generators import generate
from designer.data.idx_loader import load_idx
from designer.data.numpy_loader import load_npy, load_npz
from designer.data.samples import load_sample
from designer.data.source import KINDS, DataSource
from tests.data.test_idx_loader import write_pair


def assert_same(a: Dataset, b: Dataset) -> None:
    for key in ("x_train", "y_train", "x_test", "y_test"):
        left, right = getattr(a, key), getattr(b, key)
        assert (left is None) == (right is None)
        if left is not None:
            assert left.dtype == right.dtype
            np.testing.assert_array_equal(left, right)
    assert a.class_names == b.class_names and a.feature_names == b.feature_names


def round_trip(dataset: Dataset) -> Dataset:
    text = json.dumps(dataset.source.to_dict())
    source = DataSource.from_dict(json.loads(text))
    assert source == dataset.source
    again = source.load()
    assert_same(dataset, again)
    return again


def test_every_kind_round_trips(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("id;a;b;kind\n1;0.5;1;x\n2;1.5;2;y\n3;2.5;3;x\n")
    round_trip(load_csv(csv, feature_columns=["a", "b"], target_column="kind"))
    round_trip(load_csv(csv, delimiter=";", header=True))
    np.save(tmp_path / "x.npy", np.arange(6.0).reshape(3, 2))
    np.save(tmp_path / "y.npy", np.array([0, 1, 0]))
    round_trip(load_npy(tmp_path / "x.npy", tmp_path / "y.npy"))
    np.savez(tmp_path / "d.npz", f=np.ones((2, 3)), t=np.array([1.5, 2.5]))
    round_trip(load_npz(tmp_path / "d.npz", x_key="f", y_key="t"))
    images, labels = write_pair(tmp_path, 5, gz=True)
    round_trip(load_idx(images, labels))
    round_trip(load_sample("iris"))
    round_trip(generate("spirals", n=90, classes=3, seed=12))


def test_generated_source_records_every_parameter() -> None:
    data = generate("threshold_sum", seed=4)
    params = data.source.options["params"]
    assert params == {
        "n": 250,
        "d": 5,
        "threshold": 2.5,
        "labels": "plus_minus_one",
        "noise": 0.0,
        "seed": 4,
    }


def test_relative_paths_resolve_from_base_dir(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a,b\n1,0\n2,1\n")
    source = DataSource("csv", {"path": "data/t.csv"})
    data = source.load(base_dir=tmp_path)
    assert data.n_samples == 2 and data.source is source
    assert source.paths == ["data/t.csv"]


def test_load_reports_progress_and_can_be_cancelled() -> None:
    seen: list[float] = []
    DataSource("sample", {"name": "digits"}).load(progress=seen.append)
    assert seen and seen[-1] == 1.0
    with pytest.raises(LoadCancelled):
        DataSource("generator", {"name": "xor"}).load(cancelled=lambda: True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "excel", "options": {}}, r"Invalid data source kind: 'excel'. Valid kinds are"),
        ({"kind": "csv", "options": {}}, r"A 'csv' data source needs the option\(s\) path"),
        (
            {"kind": "csv", "options": {"path": "a", "sep": ","}},
            r"Unknown option 'sep' for a 'csv' data source. Valid options are: path",
        ),
        (
            {"kind": "csv", "options": {"path": 3}},
            r"Invalid value for option 'path' of a 'csv' data source: expected str",
        ),
        ({"kind": "csv", "options": {"path": "a", "target_column": True}}, "target_column"),
        ({"kind": "sample", "options": {"name": "iris"}, "extra": 1}, "Unknown data source field"),
        ({"options": {}}, "needs a 'kind'"),
        ("csv", "must be a dict"),
        (
            {"kind": "generator", "options": {"name": "xor", "params": {"n": {1, 2}}}},
            "is not JSON data",
        ),
    ],
)
def test_invalid_dicts_are_explained(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DataSource.from_dict(data)


def test_kinds_and_describe() -> None:
    assert set(KINDS) == {"csv", "npy", "npz", "idx", "fashion_mnist", "sample", "generator"}
    assert DataSource("sample", {"name": "iris"}).describe() == "built-in sample 'iris'"
    assert "t.csv" in DataSource("csv", {"path": "/x/t.csv"}).describe()
    source = DataSource("csv", {"path": Path("/x/t.csv"), "feature_columns": ("a", 2)})
    assert source.to_dict()["options"] == {"path": "/x/t.csv", "feature_columns": ["a", 2]}
