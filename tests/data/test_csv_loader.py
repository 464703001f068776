"""CSV tables: delimiters and headers found by looking, and every broken file named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from designer.data import csv_loader
from designer.data.csv_loader import load_csv, sniff_csv
from designer.data.errors import DataFormatError, LoadCancelled


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


IRIS_LIKE = (
    "sepal_length,sepal_width,petal_length,petal_width,species\n"
    "5.1,3.5,1.4,0.2,setosa\n"
    "7.0,3.2,4.7,1.4,versicolor\n"
    "6.3,3.3,6.0,2.5,virginica\n"
    "4.9,3.0,1.4,0.2,setosa\n"
)


def test_header_and_text_labels(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, IRIS_LIKE))
    assert data.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert data.x_train.dtype == np.float32 and data.x_train.shape == (4, 4)
    np.testing.assert_allclose(data.x_train[1], [7.0, 3.2, 4.7, 1.4])
    assert data.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(data.y_train, [0, 1, 2, 0])
    assert data.task == "multiclass" and data.num_classes == 3
    assert data.class_name(2) == "virginica"


def test_no_header_semicolon_numeric_target(tmp_path: Path) -> None:
    path = write(tmp_path, "1;2;0\n3;4;1\n5;6;1\n")
    fmt = sniff_csv(path)
    assert fmt.delimiter == ";" and not fmt.has_header
    assert fmt.columns == ("column 1", "column 2", "column 3")
    data = load_csv(path)
    np.testing.assert_array_equal(data.x_train, [[1, 2], [3, 4], [5, 6]])
    assert data.y_train.dtype == np.int64 and list(data.y_train) == [0, 1, 1]
    assert data.class_names == () and data.task == "binary"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = ["a,b,target", "0.5,1.5,2.25", "1,2,3.5", "-1,0,1e-3"]
    path = write(tmp_path, "\n".join(r.replace(",", delimiter) for r in rows) + "\n")
    data = load_csv(path)
    assert data.feature_names == ("a", "b")
    np.testing.assert_allclose(data.y_train, [2.25, 3.5, 1e-3])
    assert data.y_train.dtype == np.float32 and data.task == "regression"


def test_whitespace_separated_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(b"1.0  2.0 0\r\n3.0 4.0  1\r\n\r\n5 6 0\r\n")
    data = load_csv(path)
    np.testing.assert_array_equal(data.x_train, [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(data.y_train, [0, 1, 0])


def test_choose_feature_and_target_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "id,label,x1,x2\n1,cat,0.1,0.2\n2,dog,0.3,0.4\n")
    data = load_csv(path, feature_columns=["x1", 3], target_column="label")
    assert data.feature_names == ("x1", "x2")
    np.testing.assert_allclose(data.x_train, [[0.1, 0.2], [0.3, 0.4]])
    assert data.class_names == ("cat", "dog")
    assert data.source.options["target_column"] == "label"


def test_bom_and_quoted_cells(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes('\ufeff"x","y"\n"1.5","a b"\n"2","c"\n'.encode())
    data = load_csv(path)
    assert data.feature_names == ("x",) and data.class_names == ("a b", "c")


def test_ragged_row(tmp_path: Path) -> None:
    lines = ["a,b,c,d,e"] + ["1,2,3,4,5"] * 5 + ["1,2,3"] + ["1,2,3,4,5"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(DataFormatError, match=r"t\.csv: row 7 has 3 columns, expected 5") as info:
        load_csv(path)
    assert info.value.row == 7


def test_non_numeric_cell_names_row_and_column(tmp_path: Path) -> None:
    body = ["5.1,3.5,1.4,0.2,setosa"] * 10 + ["5.1,3.5,1.4,abc,setosa"]
    path = write(
        tmp_path,
        "sepal_length,sepal_width,petal_length,petal_width,species\n" + "\n".join(body) + "\n",
    )
    with pytest.raises(
        DataFormatError, match=r"row 12, column 'petal_width': 'abc' is not a number"
    ) as info:
        load_csv(path)
    assert (info.value.row, info.value.column) == (12, "petal_width")


def test_bad_cell_found_in_a_later_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_loader, "CHUNK_ROWS", 3)
    body = ["1,2,0"] * 7 + ["1,x,0"]
    path = write(tmp_path, "\n".join(body) + "\n")
    with pytest.raises(DataFormatError, match=r"row 8, column 'column 2': 'x' is not a number"):
        load_csv(path)


def test_empty_cell_is_a_missing_value(tmp_path: Path) -> None:
    """Kept as NaN, so Prepare can drop its row; before, loading stopped here."""
    path = write(tmp_path, "a,b,y\n1,2,0\n3,,1\n")
    data = load_csv(path)
    assert np.isnan(data.x_train[1, 1]) and data.x_train[0].tolist() == [1, 2]


def test_nan_and_inf_are_kept_for_prepare(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,y\n1,2,0\n3,4,1\n5,nan,0\n6,inf,1\n7,1e39,0\n")
    data = load_csv(path)
    assert np.isnan(data.x_train[2, 1]) and np.isinf(data.x_train[3:, 1]).all()
    assert data.y_train.dtype == np.int64


def test_missing_numeric_target_is_nan_and_missing_class_name_an_error(tmp_path: Path) -> None:
    data = load_csv(write(tmp_path, "a,y\n1,0.5\n2,\n3,nan\n4,0.1\n"))
    assert data.y_train.dtype == np.float32 and np.isnan(data.y_train[1:3]).all()
    data = load_csv(write(tmp_path, "a,y\n1,0\n2,inf\n3,1\n", "inf.csv"))
    assert data.y_train.dtype == np.float32 and np.isinf(data.y_train[1])
    path = write(tmp_path, "a,y\n1,cat\n2,\n3,dog\n", "text.csv")
    with pytest.raises(DataFormatError, match=r"row 3, column 'y' is empty \(a missing target\)"):
        load_csv(path)


def test_mostly_numeric_target_with_a_typo(tmp_path: Path) -> None:
    path = write(tmp_path, "a,y\n1,0.5\n2,0.7\n3,oops\n4,0.1\n")
    with pytest.raises(DataFormatError, match=r"row 4, column 'y': 'oops' is not a number"):
        load_csv(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("\n\n  \n", "is empty"),
        ("a,b,c\n", "has a header but no data rows"),
        ("justone\n1\n2\n", "no feature columns besides the target"),
    ],
)
def test_empty_and_degenerate_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataFormatError, match=message):
        load_csv(write(tmp_path, text))


def test_binary_and_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "img.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(DataFormatError, match=r"img\.csv"):
        load_csv(path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("x,y\n1,caf\xe9\n2,th\xe9\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match="encoding"):
        load_csv(latin)
    data = load_csv(latin, encoding="latin-1")
    assert data.class_names == ("café", "thé")


def test_unknown_columns(tmp_path: Path) -> None:
    path = write(tmp_path, IRIS_LIKE)
    with pytest.raises(DataFormatError, match=r"has no column 'colour'.*'species'"):
        load_csv(path, target_column="colour")
    with pytest.raises(DataFormatError, match="out of range: the file has 5 columns"):
        load_csv(path, feature_columns=[0, 9])
    with pytest.raises(DataFormatError, match="both a feature and the target"):
        load_csv(path, feature_columns=["species"], target_column="species")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"nope\.csv: was not found"):
        load_csv(tmp_path / "nope.csv")


def test_progress_and_cancel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_loader, "CHUNK_ROWS", 10)
    path = write(tmp_path, "a,b\n" + "".join(f"{i},{i % 2}\n" for i in range(100)))
    seen: list[float] = []
    data = load_csv(path, progress=seen.append)
    assert data.n_samples == 100
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 10
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(LoadCancelled):
        load_csv(path, cancelled=cancelled)


def test_fast_and_careful_chunks_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_loader, "CHUNK_ROWS", 2)
    text = 'a,b,kind\n1,2,x\n3,4,"y"\n5, 6 ,x\n"7",8,y\n9,1_0,x\n'
    data = load_csv(write(tmp_path, text))
    np.testing.assert_array_equal(data.x_train, [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]])
    np.testing.assert_array_equal(data.y_train, [0, 1, 0, 1, 0])
    assert data.class_names == ("x", "y")


def test_sniff_reports_columns_for_an_import_dialog(tmp_path: Path) -> None:
    fmt = sniff_csv(write(tmp_path, IRIS_LIKE))
    assert fmt.delimiter == "," and fmt.has_header
    assert fmt.columns[-1] == "species" and fmt.numeric == (True, True, True, True, False)
    assert fmt.preview[0] == ("5.1", "3.5", "1.4", "0.2", "setosa")
