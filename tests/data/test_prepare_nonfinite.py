"""The "Drop rows with NaN/inf" step: refused with a count when off, dropped when on."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from designer.data.csv_loader import load_csv
from designer.data.dataset import Dataset
from designer.data.prepare import Preparation, PreparedData, prepare


def with_holes(n: int = 20) -> Dataset:
    """Rows 3 and 7 have NaN inputs, row 11 an infinite input, row 15 a NaN target."""
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = (np.arange(n) % 2).astype(np.float32)
    x[3, 0] = np.nan
    x[7, 1] = np.nan
    x[11, 0] = -np.inf
    y[15] = np.nan
    return Dataset(x, y)


def test_off_refuses_naming_the_count_and_the_step() -> None:
    with pytest.raises(ValueError) as info:
        prepare(with_holes(), Preparation())
    message = str(info.value)
    assert message.startswith("4 rows contain NaN or infinite values (first: training sample 3)")
    assert message.endswith("turn on 'Drop rows with NaN/inf' in Prepare, or clean the file.")


def test_on_drops_every_such_row_before_splitting_and_scaling() -> None:
    prepared = prepare(
        with_holes(), Preparation(drop_nonfinite=True, scaling="standardize", validation_split=0.25)
    )
    assert prepared.dropped_rows == 4
    assert "Dropped 4 rows with NaN/inf." in prepared.notes
    assert len(prepared.x_train) + len(prepared.x_val) == 16
    for array in (prepared.x_train, prepared.x_val, prepared.y_train, prepared.y_val):
        assert np.isfinite(array).all()
    # the scaler was fitted on the 12 clean training rows: their mean is 0
    np.testing.assert_allclose(prepared.x_train.mean(axis=0), 0, atol=1e-5)
    kept = prepare(with_holes(), Preparation(drop_nonfinite=True, validation="none"))
    assert [int(v) // 2 for v in kept.x_train[:, 0]] == [
        i for i in range(20) if i not in (3, 7, 11, 15)
    ]


def test_labels_are_described_after_dropping() -> None:
    """With the NaN target gone the targets are classes again: one-hot works."""
    prepared = prepare(
        with_holes(), Preparation(drop_nonfinite=True, labels="one_hot", validation="none")
    )
    assert prepared.y_train.shape == (16, 2)


def test_clean_data_is_untouched_either_way() -> None:
    x = np.ones((5, 2), np.float32)
    for flag in (False, True):
        prepared = prepare(Dataset(x, np.arange(5)), Preparation(drop_nonfinite=flag))
        assert prepared.dropped_rows == 0 and not any("Dropped" in n for n in prepared.notes)
    assert PreparedData(x, np.arange(5)).dropped_rows == 0


def test_test_rows_are_counted_and_dropped_too() -> None:
    x = np.ones((6, 2), np.float32)
    x_test = np.ones((3, 2), np.float32)
    x_test[1, 1] = np.inf
    data = Dataset(x, np.arange(6) % 2, x_test, np.arange(3) % 2)
    with pytest.raises(ValueError, match=r"^1 row contains NaN .*\(all in the test set\)"):
        prepare(data, Preparation())
    prepared = prepare(data, Preparation(drop_nonfinite=True))
    assert prepared.dropped_rows == 1 and len(prepared.x_test) == 2
    assert "Dropped 1 row with NaN/inf." in prepared.notes


def test_dropping_every_row_is_a_clear_error() -> None:
    x = np.full((4, 2), np.nan, np.float32)
    with pytest.raises(ValueError, match=r"Every one of the 4 training rows .* no training data"):
        prepare(Dataset(x, np.arange(4)), Preparation(drop_nonfinite=True))


def test_float64_values_too_large_for_float32_count_as_infinite() -> None:
    x = np.ones((4, 2))
    x[2, 0] = 1e300
    with pytest.raises(ValueError, match=r"^1 row contains"):
        prepare(Dataset(x, np.arange(4)), Preparation())
    assert prepare(Dataset(x, np.arange(4)), Preparation(drop_nonfinite=True)).dropped_rows == 1


def test_the_setting_round_trips_and_old_projects_load() -> None:
    prep = Preparation(drop_nonfinite=True)
    assert prep.to_dict()["drop_nonfinite"] is True
    assert Preparation.from_dict(json.loads(json.dumps(prep.to_dict()))) == prep
    old = Preparation().to_dict()
    del old["drop_nonfinite"]
    assert Preparation.from_dict(old).drop_nonfinite is False


def test_a_csv_with_missing_cells_trains_after_the_step(tmp_path: Path) -> None:
    path = tmp_path / "holes.csv"
    rows = [f"{i},{i * 2},{i % 2}" for i in range(10)]
    rows[4] = "4,,0"
    rows[6] = "nan,12,0"
    path.write_text("a,b,y\n" + "\n".join(rows) + "\n")
    data = load_csv(path)
    with pytest.raises(ValueError, match=r"^2 rows contain NaN or infinite values"):
        prepare(data, Preparation())
    prepared = prepare(data, Preparation(drop_nonfinite=True, validation="none"))
    assert prepared.dropped_rows == 2 and prepared.x_train.shape == (8, 2)


def test_the_summary_counts_such_rows_and_describes_the_rest() -> None:
    from designer.data.dataset_summary import summarize

    summary = summarize(with_holes())
    assert summary.nonfinite_rows == 4
    assert summary.x_train.minimum == 0 and summary.x_train.maximum == 39
    assert summary.num_classes == 2 and [c.train for c in summary.classes] == [10, 9]
    assert "4 rows contain NaN or infinite values" in "\n".join(summary.lines())
