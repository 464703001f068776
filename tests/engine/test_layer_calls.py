"""`Model.layer_calls`: every layer call's inputs and outputs, as the insight tabs read them."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import Input, Model, Sequential, layers


def test_a_shared_layer_is_listed_once_per_call_and_values_chain() -> None:
    inputs = Input(shape=(3,))
    shared = layers.Dense(3, activation="tanh")
    hidden = shared(inputs)
    again = shared(hidden)
    output = layers.Dense(2)(layers.Add()([hidden, again]))
    model = Model(inputs, output)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)

    calls = model.layer_calls(x)

    assert [type(layer).__name__ for layer, _, _ in calls] == ["Dense", "Dense", "Add", "Dense"]
    assert calls[0][0] is calls[1][0] is shared
    np.testing.assert_array_equal(calls[0][1][0], x)
    np.testing.assert_array_equal(calls[1][1][0], calls[0][2][0])  # 2nd call reads the 1st
    assert len(calls[2][1]) == 2  # Add: both inputs
    np.testing.assert_allclose(calls[-1][2][0], model(x), rtol=1e-6)


def test_values_are_each_layers_own_output_not_a_fused_step() -> None:
    model = Sequential(
        [
            layers.Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    assert model.graph.step_options[0] == {"defer_relu": True}  # predict fuses the relu
    x = np.random.default_rng(1).standard_normal((2, 6, 6, 1)).astype(np.float32)

    calls = model.layer_calls(x)

    assert calls[0][2][0].min() >= 0  # the conv's relu was applied in its own step
    np.testing.assert_allclose(calls[-1][2][0], model.predict(x, verbose=0), rtol=1e-5)


def test_an_unbuilt_model_says_so() -> None:
    with pytest.raises(ValueError, match="not built"):
        Sequential([layers.Dense(2)]).layer_calls(np.ones((1, 3)))
