"""The exported data code gives the same arrays as the app's own load + prepare."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from designer.data.prepare import Preparation, prepare
from designer.data.source import DataSource
from designer.export.data_code import data_code


def _check(source: dict, prep: dict | None, target: str = "keras") -> dict:
    code = data_code(source, prep, target)
    namespace: dict = {}
    exec(compile(code, "<data_code>", "exec"), namespace)  # our own generated code
    expected = prepare(
        DataSource.from_dict(source).load(), None if prep is None else Preparation.from_dict(prep)
    )
    for name in ("x_train", "y_train", "x_val", "y_val"):
        want = getattr(expected, name)
        if want is None:
            assert namespace.get(name) is None, name
            continue
        got = namespace[name]
        assert got.shape == want.shape, name
        assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, err_msg=name)
    return namespace


GENERATORS = [
    ("threshold_sum", {"n": 120, "d": 3, "threshold": 1.7, "noise": 0.2, "seed": 7}),
    ("threshold_sum", {"n": 90, "labels": "zero_one", "seed": 3}),
    ("xor", {"n": 150, "noise": 0.2, "seed": 5}),
    ("moons", {"n": 101, "noise": 0.3, "seed": 11}),
    ("circles", {"n": 77, "noise": 0.1, "factor": 0.3, "seed": 2}),
    ("spirals", {"n": 120, "classes": 4, "turns": 1.5, "noise": 0.2, "seed": 9}),
    ("blobs", {"n": 80, "centers": 5, "d": 3, "noise": 0.5, "box": 4.0, "seed": 1}),
    ("sine", {"n": 64, "frequency": 2.5, "noise": 0.05, "seed": 4}),
    ("polynomial", {"n": 70, "degree": 5, "noise": 0.3, "seed": 8}),
]


@pytest.mark.parametrize(("name", "params"), GENERATORS)
def test_generators_match_the_app(name: str, params: dict) -> None:
    source = {"kind": "generator", "options": {"name": name, "params": params}}
    _check(source, None)
    _check(source, {"validation": "none"}, "engine")
    _check(source, {"scaling": "standardize", "shuffle": True, "seed": 3, "validation_split": 0.3})
    if name not in ("sine", "polynomial"):
        _check(source, {"labels": "one_hot", "scaling": "min_max", "shuffle": True})
        _check(source, {"labels": "integer", "validation": "none"})
    if name in ("threshold_sum", "xor", "moons", "circles"):
        _check(source, {"labels": "plus_minus_one", "validation_split": 0.25})


def test_regression_generator_refuses_class_labels() -> None:
    source = {"kind": "generator", "options": {"name": "sine"}}
    with pytest.raises(ValueError, match="continuous"):
        data_code(source, {"labels": "one_hot"}, "keras")


def test_csv_with_header_and_text_labels(tmp_path) -> None:
    rng = np.random.default_rng(0)
    names = np.array(["zebra", "ant", "mole"])[rng.integers(0, 3, 40)]
    values = rng.normal(size=(40, 3)).round(3)
    lines = ["a;b;c;kind"] + [
        ";".join([*(str(v) for v in row), name]) for row, name in zip(values, names, strict=True)
    ]
    path = tmp_path / "table.csv"
    path.write_text("\n".join(lines) + "\n")
    source = {"kind": "csv", "options": {"path": str(path)}}
    _check(source, {"labels": "one_hot", "scaling": "standardize", "shuffle": True, "seed": 5})
    _check(source, {"labels": "integer", "validation": "none"})
    picked = {"path": str(path), "header": True, "delimiter": ";"}
    picked.update(feature_columns=["c", 0], target_column="kind")
    ns = _check({"kind": "csv", "options": picked}, {"labels": "keep"})
    assert ns["class_names"] == ["ant", "mole", "zebra"]


def test_csv_numeric_without_header(tmp_path) -> None:
    path = tmp_path / "plain.csv"
    rows = np.random.default_rng(1).random((30, 4)).round(4)
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n")
    _check({"kind": "csv", "options": {"path": str(path), "target_column": 0}}, None)


def test_samples(tmp_path) -> None:
    _check({"kind": "sample", "options": {"name": "iris"}}, {"labels": "one_hot", "shuffle": True})
    _check(
        {"kind": "sample", "options": {"name": "digits"}},
        {"scaling": "min_max", "sample_shape": [8, 8, 1], "labels": "one_hot"},
    )


def test_npz_mnist_layout(tmp_path) -> None:
    rng = np.random.default_rng(2)
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=rng.integers(0, 256, (50, 6, 6), dtype=np.uint8),
        y_train=rng.integers(0, 10, 50),
        x_test=rng.integers(0, 256, (20, 6, 6), dtype=np.uint8),
        y_test=rng.integers(0, 10, 20),
    )
    source = {"kind": "npz", "options": {"path": str(path)}}
    prep = {"scaling": "divide_255", "validation": "test", "labels": "one_hot"}
    _check(source, {**prep, "sample_shape": [36], "num_classes": 12})
    _check(source, {"scaling": "standardize", "sample_shape": [6, 6, 1]})


def test_npz_with_keys_text_labels_and_float64(tmp_path) -> None:
    rng = np.random.default_rng(3)
    path = tmp_path / "data.npz"
    np.savez(path, inputs=rng.normal(size=(30, 4)), targets=np.array(["b", "a", "c"] * 10))
    source = {"kind": "npz", "options": {"path": str(path), "x_key": "inputs", "y_key": "targets"}}
    _check(source, {"labels": "one_hot", "scaling": "min_max"})


def test_npy_pair(tmp_path) -> None:
    rng = np.random.default_rng(4)
    np.save(tmp_path / "x.npy", rng.normal(size=(40, 2, 3)))
    np.save(tmp_path / "y.npy", rng.choice([-1.0, 1.0], 40))
    source = {
        "kind": "npy",
        "options": {"x_path": str(tmp_path / "x.npy"), "y_path": str(tmp_path / "y.npy")},
    }
    _check(source, {"labels": "integer", "scaling": "standardize"})
    _check(source, {"labels": "keep", "sample_shape": [6], "shuffle": True})


def _write_idx(path, array: np.ndarray, compress: bool) -> None:
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">f4"): 0x0D}
    head = bytes([0, 0, codes[array.dtype], array.ndim])
    head += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    data = head + array.tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)


def test_idx_files(tmp_path) -> None:
    rng = np.random.default_rng(5)
    _write_idx(tmp_path / "img.gz", rng.integers(0, 256, (40, 5, 4), dtype=np.uint8), True)
    _write_idx(tmp_path / "lab", rng.integers(0, 4, 40).astype(np.uint8), False)
    _write_idx(tmp_path / "timg", rng.random((10, 5, 4)).astype(">f4"), False)
    _write_idx(tmp_path / "tlab.gz", rng.integers(0, 4, 10).astype(np.uint8), True)
    options = {"images": str(tmp_path / "img.gz"), "labels": str(tmp_path / "lab")}
    _check({"kind": "idx", "options": options}, {"scaling": "divide_255", "labels": "one_hot"})
    options.update(test_images=str(tmp_path / "timg"), test_labels=str(tmp_path / "tlab.gz"))
    _check(
        {"kind": "idx", "options": options},
        {"validation": "test", "labels": "integer", "sample_shape": [20], "scaling": "min_max"},
    )


def test_fashion_mnist_code_reads_the_debian_path() -> None:
    code = data_code({"kind": "fashion_mnist", "options": {}}, {"validation": "test"}, "keras")
    assert "/usr/share/datasets/fashion-mnist" in code
    assert "apt-get install dataset-fashion-mnist" in code
    compile(code, "<data_code>", "exec")


@pytest.mark.parametrize(
    "source",
    [
        {"kind": "generator", "options": {"name": "threshold_sum"}},
        {"kind": "sample", "options": {"name": "iris"}},
        {"kind": "fashion_mnist", "options": {}},
        {"kind": "idx", "options": {"images": "a", "labels": "b"}},
    ],
)
def test_keras_code_does_not_import_designer(source: dict) -> None:
    code = data_code(source, {"labels": "one_hot", "scaling": "standardize"}, "keras")
    assert "designer" not in code.replace("Network Designer", "")


def test_invalid_target_and_missing_test_set() -> None:
    source = {"kind": "generator", "options": {"name": "xor"}}
    with pytest.raises(ValueError, match="Invalid export target"):
        data_code(source, None, "torch")
    with pytest.raises(ValueError, match="no test set"):
        data_code(source, {"validation": "test"}, "keras")


def test_no_validation_code_mentions_no_x_val() -> None:
    """export_script decides on validation_data by looking for "x_val" in the code."""
    source = {"kind": "sample", "options": {"name": "iris"}}
    code = data_code(source, {"validation": "none", "labels": "one_hot"}, "engine")
    assert "x_val" not in code
    assert "x_val" in data_code(source, None, "engine")


def test_fashion_mnist_matches_the_app() -> None:
    from designer.data.idx_format import FASHION_MNIST_DIR

    if not (FASHION_MNIST_DIR / "t10k-labels-idx1-ubyte.gz").exists():
        pytest.skip("Fashion-MNIST is not installed")
    prep = {"validation": "test", "scaling": "divide_255", "sample_shape": [28, 28, 1]}
    _check({"kind": "fashion_mnist", "options": {}}, {**prep, "labels": "one_hot"})


def test_colour_channels_move_as_the_app_moves_them(tmp_path) -> None:
    x = np.random.default_rng(6).random((12, 4, 5, 3)).astype(np.float32)
    np.savez(tmp_path / "rgb.npz", x=x, y=np.arange(12) % 3)
    source = {"kind": "npz", "options": {"path": str(tmp_path / "rgb.npz")}}
    _check(source, {"sample_shape": [3, 4, 5], "scaling": "standardize"})


def _with_holes(tmp_path, name: str = "holes.csv") -> str:
    rows = [f"{i},{(i * 7) % 5},{i % 3}" for i in range(24)]
    rows[3] = "3,,0"
    rows[8] = "nan,1,2"
    rows[13] = "13,inf,1"
    rows[20] = "20,4,"  # a missing target
    path = tmp_path / name
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    return str(path)


@pytest.mark.parametrize(
    "prep",
    [
        {"drop_nonfinite": True},
        {"drop_nonfinite": True, "labels": "one_hot", "scaling": "standardize", "shuffle": True},
        {"drop_nonfinite": True, "labels": "integer", "validation": "none"},
    ],
)
def test_drop_rows_with_nan_or_inf_matches_the_app(tmp_path, prep: dict) -> None:
    source = {"kind": "csv", "options": {"path": _with_holes(tmp_path)}}
    namespace = _check(source, prep)
    assert len(namespace["x_train"]) + len(namespace.get("x_val", [])) == 20
    assert "finite_rows" in data_code(source, prep, "keras")
    assert "finite_rows" not in data_code(source, {"drop_nonfinite": False}, "keras")


def test_drop_rows_in_a_test_set_matches_the_app(tmp_path) -> None:
    x = np.random.default_rng(9).random((12, 3))
    x[2, 1] = np.nan
    x_test = np.ones((4, 3))
    x_test[3, 0] = 1e300  # inf once it is float32
    paths = {}
    for name, array in {
        "x": x,
        "y": np.arange(12) % 2,
        "xt": x_test,
        "yt": np.arange(4) % 2,
    }.items():
        paths[name] = str(tmp_path / f"{name}.npy")
        np.save(paths[name], array)
    source = {
        "kind": "npy",
        "options": {
            "x_path": paths["x"],
            "y_path": paths["y"],
            "x_test_path": paths["xt"],
            "y_test_path": paths["yt"],
        },
    }
    namespace = _check(source, {"drop_nonfinite": True, "validation": "test"})
    assert len(namespace["x_train"]) == 11 and len(namespace["x_val"]) == 3
