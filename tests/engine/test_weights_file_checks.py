"""Weight files and configs from outside are checked before anything big is allocated."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from designer.engine import Input, Model, Sequential
from designer.engine.layers import Dense
from designer.engine.layers.base import weight_budget


def saved(tmp_path: Path) -> tuple[Sequential, Path]:
    model = Sequential([Input((4,)), Dense(3), Dense(2)])
    path = tmp_path / "m.weights.h5"
    model.save_weights(str(path))
    return model, path


def test_a_variable_declaring_10_to_the_12_values_is_refused_unread(tmp_path: Path) -> None:
    model, path = saved(tmp_path)
    with h5py.File(path, "r+") as file:
        del file["layers/dense/vars/0"]
        file.create_dataset("layers/dense/vars/0", shape=(10**6, 10**6), dtype="f4", chunks=(1, 1))
    with pytest.raises(ValueError, match=r"do not fit.*\(4, 3\).*\(1000000, 1000000\)"):
        model.load_weights(str(path))


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: (
            f.__delitem__("layers/dense/vars") or f.create_dataset("layers/dense/vars", data=[1])
        ),
        lambda f: f.__delitem__("layers") or f.create_dataset("layers", data=[1]),
        lambda f: f["layers/dense/vars"].move("1", "5"),
    ],
    ids=["vars-is-a-dataset", "layers-is-a-dataset", "gap-in-numbering"],
)
def test_damaged_structure_is_a_value_error(tmp_path: Path, damage) -> None:
    model, path = saved(tmp_path)
    before = [w.copy() for w in model.get_weights()]
    with h5py.File(path, "r+") as file:
        damage(file)
    with pytest.raises(ValueError, match=r"m\.weights\.h5"):
        model.load_weights(str(path))
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_text_weights_are_refused(tmp_path: Path) -> None:
    model, path = saved(tmp_path)
    with h5py.File(path, "r+") as file:
        del file["layers/dense_1/vars/1"]
        file.create_dataset("layers/dense_1/vars/1", data=np.array([b"a", b"b"]))
    with pytest.raises(ValueError, match="not numbers"):
        model.load_weights(str(path))


def test_weight_budget_refuses_before_allocating() -> None:
    inputs = Input((1000,))
    with weight_budget(10_000), pytest.raises(ValueError, match=r"1,000,000,000,000 values"):
        Model(inputs, Dense(10**9)(inputs))
    with weight_budget(10_000):
        Model(inputs, Dense(5)(inputs))  # 5,005 values: within the budget
    Model(inputs, Dense(20)(inputs))  # no budget outside the block
