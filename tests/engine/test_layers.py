"""Every core layer through the generic layer check, plus each layer's own behaviour."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import backend as K
from designer.engine import layers
from designer.engine.layers import (
    Activation,
    Add,
    Average,
    Concatenate,
    Dense,
    Dropout,
    Flatten,
    Input,
    Maximum,
    Minimum,
    Multiply,
    Reshape,
    Subtract,
)
from tests.helpers.layer_check import check_layer


@pytest.mark.parametrize("activation", [None, "tanh", "relu", "sigmoid", "softmax", "elu"])
def test_dense(activation) -> None:
    check_layer(
        lambda: Dense(4, activation=activation),
        (None, 3),
        expected_output_shape=(None, 4),
        expected_num_weights=2,
    )


def test_dense_on_3d_input_applies_to_last_axis() -> None:
    check_layer(lambda: Dense(2), (None, 5, 3), expected_output_shape=(None, 5, 2))


def test_dense_without_bias_and_with_custom_k_activation() -> None:
    check_layer(lambda: Dense(3, use_bias=False), (None, 2), expected_num_weights=1)
    layer = check_layer(
        lambda: Dense(3, activation=lambda x: K.tanh(x) * 2.0), (None, 2), check_config=False
    )
    x = np.ones((1, 2), np.float32)
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(layer(x), 2 * np.tanh(x @ kernel + bias), rtol=1e-6)


def test_dense_computes_x_kernel_plus_bias() -> None:
    layer = Dense(2, activation="tanh")
    layer(Input(shape=(3,)))
    kernel = np.arange(6, dtype=np.float32).reshape(3, 2) / 10
    bias = np.array([0.1, -0.2], np.float32)
    layer.set_weights([kernel, bias])
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    np.testing.assert_allclose(layer(x), np.tanh(x @ kernel + bias), rtol=1e-6)


def test_dense_legacy_keywords() -> None:
    layer = Dense(output_dim=3, init="uniform", input_dim=4)
    assert layer.units == 3
    assert layer._batch_input_shape == (None, 4)
    layer(Input(shape=(4,)))
    assert np.all(np.abs(layer.get_weights()[0]) <= 0.05)


@pytest.mark.parametrize("units", [0, -1, 2.5, "8", None])
def test_dense_rejects_bad_units(units) -> None:
    with pytest.raises(ValueError, match="units"):
        Dense(units)


def test_unknown_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="unitz"):
        Dense(3, unitz=4)


def test_unknown_activation_lists_valid_names() -> None:
    with pytest.raises(ValueError, match="relu"):
        Dense(3, activation="relux")


def test_activation_layer() -> None:
    check_layer(lambda: Activation("sigmoid"), (None, 4), expected_num_weights=0)
    check_layer(lambda: Activation("softplus"), (None, 2, 3))


def test_dropout_is_identity_at_inference_and_scaled_in_training() -> None:
    layer = check_layer(lambda: Dropout(0.5, seed=3), (None, 6), check_gradients=False)
    x = np.ones((4000, 6), np.float32)
    np.testing.assert_array_equal(layer(x), x)
    y, mask = layer.forward(x, training=True)
    kept = y != 0
    assert 0.45 < kept.mean() < 0.55
    np.testing.assert_allclose(y[kept], 2.0)
    dx, _ = layer.backward(mask, np.ones_like(y))
    np.testing.assert_array_equal(dx, y)  # the same mask, the same scale


def test_dropout_with_seed_is_reproducible_and_rate_is_checked() -> None:
    x = np.ones((50, 10), np.float32)
    a = Dropout(0.3, seed=11).forward(x, training=True)[0]
    b = Dropout(0.3, seed=11).forward(x, training=True)[0]
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="rate"):
        Dropout(1.0)


def test_flatten_and_reshape() -> None:
    check_layer(lambda: Flatten(), (None, 2, 3, 4), expected_output_shape=(None, 24))
    check_layer(lambda: Reshape((3, 4)), (None, 12), expected_output_shape=(None, 3, 4))
    check_layer(lambda: Reshape((-1, 2)), (None, 3, 4), expected_output_shape=(None, 6, 2))


def test_flatten_channels_first_matches_channels_last_order() -> None:
    x = np.random.default_rng(0).normal(size=(2, 3, 4, 5)).astype(np.float32)  # (N, C, H, W)
    first = Flatten(data_format="channels_first")(x)
    last = Flatten(data_format="channels_last")(np.moveaxis(x, 1, -1))
    np.testing.assert_array_equal(first, last)
    check_layer(lambda: Flatten(data_format="channels_first"), (None, 3, 4, 5))


def test_reshape_with_wrong_size_names_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(None, 10\)"):
        Reshape((3, 4))(Input(shape=(10,)))


@pytest.mark.parametrize("merge", [Add, Multiply, Average, Maximum, Minimum])
def test_elementwise_merges(merge) -> None:
    check_layer(lambda: merge(), [(None, 4), (None, 4), (None, 4)], expected_output_shape=(None, 4))


def test_subtract_and_concatenate() -> None:
    check_layer(lambda: Subtract(), [(None, 3), (None, 3)], expected_output_shape=(None, 3))
    check_layer(lambda: Concatenate(), [(None, 3), (None, 2)], expected_output_shape=(None, 5))
    check_layer(
        lambda: Concatenate(axis=1),
        [(None, 2, 3), (None, 4, 3)],
        expected_output_shape=(None, 6, 3),
    )


def test_merge_values() -> None:
    a = np.array([[1.0, -2.0]], np.float32)
    b = np.array([[3.0, 5.0]], np.float32)
    np.testing.assert_array_equal(Add()([a, b]), [[4.0, 3.0]])
    np.testing.assert_array_equal(Subtract()([a, b]), [[-2.0, -7.0]])
    np.testing.assert_array_equal(Multiply()([a, b]), [[3.0, -10.0]])
    np.testing.assert_array_equal(Average()([a, b]), [[2.0, 1.5]])
    np.testing.assert_array_equal(Maximum()([a, b]), [[3.0, 5.0]])
    np.testing.assert_array_equal(Minimum()([a, b]), [[1.0, -2.0]])
    np.testing.assert_array_equal(Concatenate()([a, b]), [[1.0, -2.0, 3.0, 5.0]])


def test_add_of_different_shapes_is_explained() -> None:
    with pytest.raises(ValueError, match=r"incompatible shapes.*\(None, 20\).*\(None, 10\)"):
        Add()([Input(shape=(20,)), Input(shape=(10,))])


def test_subtract_takes_exactly_two_inputs() -> None:
    with pytest.raises(ValueError, match="exactly 2"):
        Subtract()([Input(shape=(2,))] * 3)


def test_layer_registry_knows_every_layer_and_refuses_unknown_names() -> None:
    names = layers.layer_classes()
    for expected in [
        "Dense",
        "Activation",
        "Dropout",
        "Flatten",
        "Reshape",
        "InputLayer",
        "Add",
        "Subtract",
        "Multiply",
        "Average",
        "Maximum",
        "Minimum",
        "Concatenate",
    ]:
        assert expected in names
    with pytest.raises(ValueError, match="Known layers"):
        layers.deserialize({"class_name": "Lambda", "config": {}})


def test_default_names_are_unique_as_keras_gives_them() -> None:
    a, b = Dense(1), Dense(1)
    assert a.name != b.name
    assert a.name.startswith("dense") and b.name.startswith("dense")


def test_count_params_before_build_is_explained() -> None:
    with pytest.raises(ValueError, match="isn't built"):
        Dense(3).count_params()


def test_trainable_flag_freezes_weights() -> None:
    layer = Dense(2)
    layer(Input(shape=(3,)))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    layer.trainable = True
    assert len(layer.trainable_weights) == 2


def test_dropout_accepts_keras1_p_keyword() -> None:
    assert Dropout(p=0.3).rate == 0.3
    with pytest.raises(ValueError, match="rate"):
        Dropout()


def test_activation_layer_never_changes_its_input_or_a_sibling_branch() -> None:
    from designer.engine import Input, Model, Sequential

    x = np.array([[-1.0, 2.0]], np.float32)
    for name in ("relu", "tanh"):
        Sequential([layers.Activation(name, input_shape=(2,))]).predict(x, verbose=0)
        np.testing.assert_array_equal(x, [[-1.0, 2.0]])  # the user's data is untouched
    inp = Input((2,))
    hidden = layers.Dense(2, kernel_initializer="identity")(inp)
    relu = layers.Activation("relu")(hidden)
    linear = layers.Activation("linear")(hidden)
    model = Model(inp, [relu, layers.Add()([linear, linear])])
    relu_out, doubled = model.predict(x, verbose=0)
    np.testing.assert_array_equal(relu_out, [[0.0, 2.0]])
    np.testing.assert_array_equal(doubled, [[-2.0, 4.0]])  # the other branch saw -1
