"""A relu layer read only by a max pooling hands its relu to the pooling: same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import Input, Model, Sequential, layers


def _pair(fused_relu: bool, data_format: str = "channels_last", pool: type = layers.MaxPooling2D):
    shape = (9, 9, 2) if data_format == "channels_last" else (2, 9, 9)
    if fused_relu:
        body = [layers.Conv2D(4, 3, activation="relu", data_format=data_format, input_shape=shape)]
    else:  # the same maths, relu as its own layer (which never defers)
        body = [layers.Conv2D(4, 3, data_format=data_format, input_shape=shape),
                layers.Activation("relu")]
    model = Sequential([*body, pool(2, data_format=data_format), layers.Flatten(),
                        layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("jit", ["1", "0"], ids=["compiled", "numpy"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_fused_relu_max_pooling_trains_like_separate_layers(monkeypatch, data_format, jit):
    monkeypatch.setenv("DESIGNER_JIT", jit)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, *_pair(True, data_format).input_shape[1:])).astype(np.float32)
    y = rng.integers(0, 3, 16)
    fused, plain = _pair(True, data_format), _pair(False, data_format)
    plain.set_weights(fused.get_weights())
    conv_step = fused.graph.step_options[0]
    assert conv_step == {"defer_relu": True}, "the conv should leave its relu to the pooling"
    assert not any(plain.graph.step_options)
    np.testing.assert_allclose(fused.predict(x, verbose=0), plain.predict(x, verbose=0),
                               rtol=1e-6)
    for _ in range(3):
        loss_fused = fused.train_on_batch(x, y)
        loss_plain = plain.train_on_batch(x, y)
        assert loss_fused == pytest.approx(loss_plain, rel=1e-6)
    for a, b in zip(fused.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_dense_relu_into_max_pooling_1d_matches():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 6, 5)).astype(np.float32)
    inp = Input((6, 5))
    fused = Model(inp, layers.Flatten()(layers.MaxPooling1D(2)(layers.Dense(4, "relu")(inp))))
    inp2 = Input((6, 5))
    hidden = layers.Activation("relu")(layers.Dense(4)(inp2))
    plain = Model(inp2, layers.Flatten()(layers.MaxPooling1D(2)(hidden)))
    plain.set_weights(fused.get_weights())
    assert any(fused.graph.step_options)
    for model in (fused, plain):
        model.compile("sgd", "mse")
    target = rng.standard_normal((8, 12)).astype(np.float32)
    assert fused.train_on_batch(x, target) == pytest.approx(plain.train_on_batch(x, target))
    for a, b in zip(fused.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_no_fusion_when_the_relu_output_is_seen_elsewhere():
    inp = Input((9, 9, 2))
    conv = layers.Conv2D(4, 3, activation="relu")(inp)
    pooled = layers.Flatten()(layers.MaxPooling2D(2)(conv))
    both_outputs = Model(inp, [conv, pooled])  # the relu output is a model output
    assert not any(both_outputs.graph.step_options)
    two_readers = Model(inp, [pooled, layers.Flatten()(layers.AveragePooling2D(2)(conv))])
    assert not any(two_readers.graph.step_options)
    average = Model(inp, layers.AveragePooling2D(2)(conv))
    assert not any(average.graph.step_options)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 9, 9, 2)).astype(np.float32)
    relu_map, _ = both_outputs.predict(x, verbose=0)
    assert relu_map.min() >= 0.0  # the conv output it shows has its relu applied
