"""Insight numbers: the weights tutorial's hand computation, and classification results."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import Input, Model
from designer.engine.layers import Dense
from designer.insight import (
    confusion_matrix,
    decision_grid,
    layer_outputs,
    most_confidently_wrong,
    per_class_accuracy,
    predicted_classes,
    trace_input,
)

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
