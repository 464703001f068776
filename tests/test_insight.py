"""Insight numbers (no Qt): the weights tutorial's hand computation, classification results,
the target kind, data rows, and the numbers as the tabs write them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from designer.data.labels import describe_labels
from designer.engine import Input, Model
from designer.engine.layers import Dense
from designer.insight import (
    class_names,
    confusion_matrix,
    decision_grid,
    feature_maps,
    is_classification,
    layer_outputs,
    most_confidently_wrong,
    output_levels,
    per_class_accuracy,
    predicted_classes,
    trace_input,
)
from designer.insight.model import check_fits, current_model, output_activation
from designer.insight.rows import data_split, parse_rows, row_count, sample_image, take_rows
from designer.insight.text import fmt, fmt_vector, parse_numbers, shape_text
from designer.insight.trace_report import prediction_text, trace_html

HIDDEN = [
    np.array(
        [
            [-1.08239257, 0.32482854, 0.95010394, 0.00501535, -0.47380614],
            [-0.56682748, 1.15749049, 0.91618514, 0.37518814, -0.67639047],
        ],
        np.float32,
    ),
    np.array([-0.18290569, 0.21453567, 0.01353107, 0.27740911, 0.09604219], np.float32),
]
OUTPUT = [
    np.array([[-0.8775745], [1.09351909], [0.21981503], [1.31380796], [-0.10301871]], np.float32),
    np.array([0.27410847], np.float32),
]


def tutorial_model() -> Model:
    inputs = Input(shape=(2,))
    hidden = Dense(5, activation="tanh")
    output = Dense(1, activation="tanh")
    model = Model(inputs, output(hidden(inputs)))
    hidden.set_weights(HIDDEN)
    output.set_weights(OUTPUT)
    return model


def test_trace_reproduces_the_tutorials_hand_computation() -> None:
    steps = trace_input(tutorial_model(), [0.3, 0.1])
    hidden, output = steps
    np.testing.assert_allclose(
        hidden.weighted_sum, [-0.3814, 0.2132, 0.3766, 0.0390, -0.2098], atol=1e-4
    )
    np.testing.assert_allclose(hidden.output, [-0.5112, 0.4034, 0.3715, 0.3063, -0.1133], atol=1e-4)
    assert hidden.activation == "tanh"
    np.testing.assert_allclose(output.weighted_sum, [1.3855], atol=2e-4)
    np.testing.assert_allclose(output.pre_activation, [1.3855 + 0.2741], atol=2e-4)
    np.testing.assert_allclose(output.output, [0.93015909], atol=1e-6)
    names = [name for name, _, _ in layer_outputs(tutorial_model(), [0.3, 0.1])]
    assert len(names) == 2 and all(name.startswith("dense") for name in names)


def test_classification_results() -> None:
    outputs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    true = np.array([0, 1, 1, 0])
    predicted = predicted_classes(outputs)
    matrix = confusion_matrix(true, predicted, 2)
    assert matrix.tolist() == [[1, 1], [1, 1]]
    np.testing.assert_allclose(per_class_accuracy(matrix), [0.5, 0.5])
    assert most_confidently_wrong(outputs, true, predicted).tolist() == [3, 2]
    assert predicted_classes(np.array([[-0.2], [0.4]]), "tanh").tolist() == [0, 1]
    assert predicted_classes(np.array([[0.2], [0.7]]), "sigmoid").tolist() == [0, 1]


def test_decision_grid_covers_the_data() -> None:
    model = tutorial_model()
    x = np.random.default_rng(0).random((50, 2))
    xs, _, values = decision_grid(model, x, resolution=20)
    assert values.shape == (20, 20) and xs.min() < 0 and xs.max() > 0.99
    with pytest.raises(ValueError, match="2-D inputs"):
        decision_grid(model, np.ones((5, 3)))


# -- the Qt-free helpers behind the tabs ------------------------------------------------------
TARGETS = [
    (np.array([0, 2, 1, 2]), True),  # class ids
    (np.array([-1.0, 1.0, 1.0]), True),  # ±1
    (np.eye(3, dtype=np.float32)[[0, 2, 1]], True),  # one-hot
    (np.array([True, False]), True),
    (np.array([0.5, 1.25, 3.0]), False),  # continuous
    (np.array([-3, 2, 7]), False),  # negative ids other than ±1
    (np.array([[1.0, 1.0], [0.0, 1.0]]), False),  # several 0/1 columns, not one-hot
    (np.arange(30, dtype=np.float32), False),  # float ids: at most 20 without names
    (np.zeros(0), False),
]


@pytest.mark.parametrize(("y", "expected"), TARGETS)
def test_target_kind_is_the_data_panels_rule(y: np.ndarray, expected: bool) -> None:
    assert is_classification(y) is expected
    assert is_classification(y) == describe_labels(y).is_classification


def test_class_names_settle_float_ids() -> None:
    names = [f"c{i}" for i in range(30)]
    assert is_classification(np.arange(30, dtype=np.float32), names)
    data = SimpleNamespace(class_names=("cat", "dog"))
    assert class_names(data, np.array([0, 1]), 2) == ["cat", "dog"]
    assert class_names(None, np.array([-1.0, 1.0]), 2) == ["−1", "+1"]
    assert class_names(None, np.array([0, 2]), 3) == ["0", "1", "2"]


def test_rows_of_one_or_several_inputs() -> None:
    x = np.arange(10).reshape(5, 2)
    np.testing.assert_array_equal(take_rows(x, [0, 4]), [[0, 1], [8, 9]])
    both = take_rows([x, x * 10], slice(1, 3))
    assert isinstance(both, list) and both[1].tolist() == [[20, 30], [40, 50]]
    assert row_count(x) == 5 and row_count([x, x]) == 5
    assert parse_rows("1, 3-4", 5).tolist() == [1, 3, 4]
    assert parse_rows("4-2", 5).tolist() == [2, 3, 4]
    with pytest.raises(ValueError, match="Row 5 does not exist"):
        parse_rows("0-5", 5)
    with pytest.raises(ValueError, match="as rows"):
        parse_rows("two", 5)


def test_data_split_prefers_validation_rows() -> None:
    train = SimpleNamespace(x_train="xt", y_train="yt", x_val=None, y_val=None)
    both = SimpleNamespace(x_train="xt", y_train="yt", x_val="xv", y_val="yv")
    assert data_split(None) == (None, None, "")
    assert data_split(train) == ("xt", "yt", "training")
    assert data_split(both) == ("xv", "yv", "validation")
    assert data_split(both, prefer="training") == ("xt", "yt", "training")


def test_the_model_its_output_activation_and_fit() -> None:
    model = tutorial_model()
    assert output_activation(model) == "tanh"
    check_fits(model, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"shape \(3,\) but the model's input needs \(2,\)"):
        check_fits(model, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="1 inputs but the data gives 2"):
        check_fits(model, [np.zeros((3, 2)), np.zeros((3, 2))])
    issue = SimpleNamespace(text=lambda: "Dense needs units.")
    broken = SimpleNamespace(
        design=SimpleNamespace(nodes={"a": 1}),
        build_result=SimpleNamespace(model=None, issues=[issue]),
    )
    assert current_model(broken) == (None, "The design cannot be built: Dense needs units.")
    empty = SimpleNamespace(design=SimpleNamespace(nodes={}))
    assert current_model(empty)[1].startswith("Add layers")


def test_pictures_maps_and_levels() -> None:
    assert sample_image(np.zeros((8, 8, 3))).shape == (8, 8)
    assert sample_image(np.zeros(64)).shape == (8, 8)
    assert sample_image(np.zeros(10)) is None
    assert feature_maps(np.zeros((4, 4, 3))).shape == (3, 4, 4)
    assert feature_maps(np.zeros(5)) is None
    assert output_levels("sigmoid", np.zeros(3)) == (0.0, 1.0, 0.5)
    assert output_levels(None, np.array([-2.0, 1.0])) == (-2.0, 2.0, 0.0)


def test_numbers_as_text_and_back() -> None:
    assert fmt(-0.00001) == "0.0000" and fmt(0.93015909) == "0.9302"
    assert fmt_vector(np.arange(10), 4).endswith("(10 values)")
    assert shape_text((2, 5)) == "2 × 5" and shape_text(()) == "scalar"
    np.testing.assert_allclose(parse_numbers("[0.3, 0.1]"), [0.3, 0.1])
    with pytest.raises(ValueError, match="value 2"):
        parse_numbers("0.3, x")
    with pytest.raises(ValueError, match="finite"):
        parse_numbers("inf")


def test_trace_report_names_the_prediction() -> None:
    steps = trace_input(tutorial_model(), [0.3, 0.1])
    report = trace_html(steps, np.array([0.3, 0.1]), "#888", "tanh", None, target=np.array([1.0]))
    assert "weighted sum" in report and "0.9302 → class +1 (output > 0)" in report
    assert report.endswith("✓</span></h4>")
    assert prediction_text(np.array([0.1, 0.7, 0.2]), "softmax", ["a", "b", "c"]).endswith(
        "→ class b (largest: 0.7000)"
    )
