"""Models as graphs: building, shapes, weights, shared layers, summary and configs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from designer.engine import Input, Model, Sequential, models
from designer.engine.layers import Add, Concatenate, Dense, Dropout, Flatten, InputLayer
from tests.helpers.gradcheck import assert_close, numeric_grad


def branching_model() -> Model:
    a = Input(shape=(4,), name="a")
    b = Input(shape=(3,), name="b")
    shared = Dense(5, activation="tanh", name="shared")
    left = shared(Dense(4, name="pre")(a))
    right = shared(Concatenate()([Dense(2)(b), Dense(2)(b)]))
    merged = Add()([left, right])
    out1 = Dense(1, activation="sigmoid", name="out1")(merged)
    out2 = Dense(3, activation="softmax", name="out2")(merged)
    return Model(inputs=[a, b], outputs=[out1, out2])


def test_sequential_layers_and_shapes() -> None:
    model = Sequential([Dense(20, input_dim=5, activation="tanh"), Dense(1)])
    assert len(model.layers) == 2
    assert model.input_shape == (None, 5)
    assert model.output_shape == (None, 1)
    assert model.layers[0].input_shape == (None, 5)
    assert model.layers[1].output_shape == (None, 1)
    assert model.count_params() == 5 * 20 + 20 + 20 + 1


def test_sequential_without_input_shape_builds_on_first_data() -> None:
    model = Sequential([Dense(3), Dense(2)])
    assert not model.built
    out = model.predict(np.ones((4, 7)), verbose=0)
    assert out.shape == (4, 2)
    assert model.input_shape == (None, 7)


def test_sequential_add_pop_and_input_layer() -> None:
    model = Sequential()
    model.add(InputLayer(shape=(6,)))
    model.add(Dense(4))
    model.add(Dense(2))
    assert [type(la).__name__ for la in model.layers] == ["Dense", "Dense"]
    popped = model.pop()
    assert isinstance(popped, Dense) and model.output_shape == (None, 4)


def test_sequential_add_that_cannot_connect_changes_nothing() -> None:
    model = Sequential([Dense(4, input_shape=(3,))])
    with pytest.raises(ValueError, match="Add"):
        model.add(Add())
    assert len(model.layers) == 1 and model.output_shape == (None, 4)


def test_fixed_batch_size() -> None:
    model = Sequential()
    model.add(Dense(32, batch_size=32, input_shape=(6, 8)))
    assert model.input_shape == (32, 6, 8)
    assert model.output_shape == (32, 6, 32)


def test_functional_graph_with_branches_merges_shared_layer_and_two_outputs() -> None:
    model = branching_model()
    names = [la.name for la in model.layers]
    assert names.count("shared") == 1
    assert model.output_shape == [(None, 1), (None, 3)]
    out1, out2 = model.predict([np.ones((2, 4)), np.ones((2, 3))], verbose=0)
    assert out1.shape == (2, 1) and out2.shape == (2, 3)
    np.testing.assert_allclose(out2.sum(axis=1), 1.0, rtol=1e-6)
    # The shared layer's weights are counted once.
    shared = model.get_layer("shared")
    assert sum(v is shared.kernel for v in model.weights) == 1


def test_shared_layer_gradient_sums_both_calls() -> None:
    model = branching_model()
    graph = model.graph
    rng = np.random.default_rng(0)
    for variable in model.weights:
        variable.value = variable.value.astype(np.float64)
    xs = [rng.normal(size=(3, 4)), rng.normal(size=(3, 3))]
    seeds = [rng.normal(size=(3, 1)), rng.normal(size=(3, 3))]

    def objective() -> float:
        outs, _ = graph.forward(xs, training=False)
        return float(sum(np.sum(o * s) for o, s in zip(outs, seeds, strict=True)))

    _, contexts = graph.forward(xs, training=True, keep_context=True)
    collected: dict[int, np.ndarray] = {}

    def add(variable, grad):
        collected[id(variable)] = collected.get(id(variable), 0) + grad

    input_grads = graph.backward(contexts, seeds, add)
    kernel = model.get_layer("shared").kernel

    def f(value):
        kernel.value = value
        return objective()

    original = kernel.value
    expected = numeric_grad(f, original)
    kernel.value = original
    assert_close(collected[id(kernel)], expected, rtol=1e-5, atol=1e-7, what="shared kernel")

    pre = model.get_layer("pre").kernel

    def g(value):
        pre.value = value
        return objective()

    original = pre.value
    expected = numeric_grad(g, original)
    pre.value = original
    assert_close(collected[id(pre)], expected, rtol=1e-5, atol=1e-7, what="first-layer kernel")
    # Dense layers reading model inputs skip d(loss)/d(input): nothing needs it.
    assert input_grads == [None, None]


def test_disconnected_graph_names_the_missing_input() -> None:
    a = Input(shape=(2,), name="first")
    b = Input(shape=(2,), name="second")
    out = Add()([Dense(2)(a), Dense(2)(b)])
    with pytest.raises(ValueError, match=r"Graph disconnected.*second"):
        Model(inputs=a, outputs=out)


def test_legacy_input_output_keywords() -> None:
    inputs = Input(shape=(5,))
    outputs = Dense(1)(inputs)
    model = Model(input=inputs, output=outputs)
    assert model.input_shape == (None, 5)


def test_model_set_weights_checks_everything_before_changing() -> None:
    model = Sequential([Dense(3, input_dim=2), Dense(1)])
    before = model.get_weights()
    bad = [np.zeros_like(w) for w in before]
    bad[-1] = np.zeros((2,))
    with pytest.raises(ValueError, match=r"expected shape \(1,\), received shape \(2,\)"):
        model.set_weights(bad)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="expected 4 weight arrays"):
        model.set_weights(before[:2])


def test_summary_sequential_table(capsys) -> None:
    model = Sequential([Dense(20, input_dim=5, activation="tanh"), Dropout(0.2), Dense(1)])
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert f'Model: "{model.name}"' in text
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "(None, 20)" in text and "120" in text
    assert "Total params: 141 (564.00 B)" in text
    assert "Trainable params: 141" in text and "Non-trainable params: 0" in text
    model.summary()
    assert "Total params: 141" in capsys.readouterr().out


def test_summary_functional_shows_connections() -> None:
    model = branching_model()
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text
    assert "shared[0][0]" in text and "shared[1][0]" in text


def test_config_and_json_round_trip_rebuild_the_same_architecture() -> None:
    for model in (
        Sequential([Dense(4, input_dim=3, activation="relu"), Dense(2)]),
        branching_model(),
    ):
        clone = models.model_from_json(model.to_json())
        assert type(clone) is type(model)
        assert [type(la).__name__ for la in clone.layers] == [
            type(la).__name__ for la in model.layers
        ]
        assert clone.count_params() == model.count_params()
        clone.set_weights(model.get_weights())
        xs = [
            np.ones((2, *s[1:]), np.float32)
            for s in (
                model.input_shape if isinstance(model.input_shape, list) else [model.input_shape]
            )
        ]
        a = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        b = clone.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        for u, v in zip(
            a if isinstance(a, list) else [a], b if isinstance(b, list) else [b], strict=True
        ):
            np.testing.assert_allclose(u, v, rtol=1e-6)
        json.loads(model.to_json())  # plain JSON


def test_model_from_json_refuses_unknown_things() -> None:
    with pytest.raises(ValueError, match="Invalid model JSON"):
        models.model_from_json("{not json")
    with pytest.raises(ValueError, match="Unknown model class"):
        models.model_from_json('{"class_name": "Evil", "config": {}}')
    payload = {
        "class_name": "Sequential",
        "config": {"layers": [{"class_name": "Lambda", "config": {"function": "import os"}}]},
    }
    with pytest.raises(ValueError, match="Unknown layer class 'Lambda'"):
        models.model_from_json(json.dumps(payload))


def test_flatten_then_dense_in_a_graph() -> None:
    inputs = Input(shape=(2, 3))
    model = Model(inputs, Dense(2)(Flatten()(inputs)))
    assert model.output_shape == (None, 2)
    assert model.count_params() == 6 * 2 + 2


def test_save_and_load_weights_round_trip(tmp_path) -> None:
    model = branching_model()
    path = tmp_path / "model.weights.h5"
    model.save_weights(str(path))
    other = branching_model()
    other.load_weights(str(path))
    for a, b in zip(model.get_weights(), other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_load_weights_refuses_a_file_for_another_model(tmp_path) -> None:
    path = tmp_path / "small.weights.h5"
    Sequential([Dense(3, input_dim=2)]).save_weights(str(path))
    model = Sequential([Dense(4, input_dim=2)])
    before = model.get_weights()
    with pytest.raises(ValueError, match="do not fit"):
        model.load_weights(str(path))
    np.testing.assert_array_equal(model.get_weights()[0], before[0])
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        model.save_weights(str(tmp_path / "w.pkl"))
