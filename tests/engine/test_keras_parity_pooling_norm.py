"""Pooling and BatchNormalization against real Keras 3 (torch backend): outputs, input
and weight gradients, moving statistics, configs and whole training runs.

Skipped unless Keras is installed. One known backend quirk is avoided on purpose:
Keras' torch backend pads asymmetric "same" windows by *replicating* edge values
(so AveragePooling counts them), while Keras' TensorFlow/JAX/NumPy backends leave
padding out of the average, which is what we do; the average-pool "same" cases here
have symmetric padding, where all backends agree.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

from designer import engine  # noqa: E402
from designer.engine.layers import normalization, pooling  # noqa: E402

# Keras' torch backend trips NumPy 2's __array__(copy=) deprecation; not our code.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RTOL = 2e-4
ATOL = 2e-6


def keras_vjp(layer, x: np.ndarray, dy_seed: int = 0, training: bool = False):
    """Keras' output, a random upstream gradient, d(input) and d(trainable weights)."""
    xt = torch.tensor(x, requires_grad=True)
    y = layer(xt, training=training)
    dy = np.random.default_rng(dy_seed).normal(size=tuple(y.shape)).astype(np.float32)
    (y * torch.tensor(dy)).sum().backward()
    weight_grads = [v.value.grad.numpy().copy() for v in layer.trainable_weights]
    return y.detach().numpy(), dy, xt.grad.numpy(), weight_grads


def ours_vjp(layer, x: np.ndarray, dy: np.ndarray, training: bool = False):
    y, ctx = layer.forward(x, training=training)
    dx, grads = layer.backward(ctx, dy)
    return y, dx, grads


def images(shape, seed: int, kind: str) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "relu":  # about half zeros: the ties a ReLU before pooling makes
        return np.maximum(rng.normal(size=shape), 0).astype(np.float32)
    return rng.integers(0, 3, size=shape).astype(np.float32)  # many ties


WINDOWED = [
    ("MaxPooling2D", dict(pool_size=2)),
    ("MaxPooling2D", dict(pool_size=3, strides=2)),
    ("MaxPooling2D", dict(pool_size=(2, 3), strides=(1, 2), padding="same")),
    ("MaxPooling2D", dict(pool_size=3, strides=2, padding="same")),
    ("AveragePooling2D", dict(pool_size=2)),
    ("AveragePooling2D", dict(pool_size=(3, 2), strides=(2, 1))),
    ("AveragePooling2D", dict(pool_size=3, strides=1, padding="same")),
    ("MaxPooling1D", dict(pool_size=2)),
    ("MaxPooling1D", dict(pool_size=3, strides=1, padding="same")),
    ("AveragePooling1D", dict(pool_size=3, strides=2)),
    ("AveragePooling1D", dict(pool_size=3, strides=2, padding="same")),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("kind", ["relu", "integers"])
@pytest.mark.parametrize("name, kwargs", WINDOWED, ids=lambda v: str(v))
def test_windowed_pooling_matches_keras(name, kwargs, kind, data_format) -> None:
    spatial = (8, 7) if name.endswith("2D") else (9,)
    shape = (3, *spatial, 4) if data_format == "channels_last" else (3, 4, *spatial)
    x = images(shape, seed=len(name), kind=kind)
    theirs = getattr(keras.layers, name)(data_format=data_format, **kwargs)
    y_k, dy, dx_k, _ = keras_vjp(theirs, x)
    for training in (False, True):
        ours = getattr(pooling, name)(data_format=data_format, **kwargs)
        y, dx, _ = ours_vjp(ours, x, dy, training=training)
        np.testing.assert_allclose(y, y_k, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(dx, dx_k, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_tutorial_max_pooling_shape_matches_keras(data_format) -> None:
    shape = (200, 32, 24, 24) if data_format == "channels_first" else (200, 24, 24, 32)
    x = images(shape, seed=7, kind="relu")
    y_k, dy, dx_k, _ = keras_vjp(keras.layers.MaxPooling2D(2, data_format=data_format), x)
    ours = pooling.MaxPooling2D(pool_size=(2, 2), data_format=data_format)
    y, dx, _ = ours_vjp(ours, x, dy, training=True)
    np.testing.assert_array_equal(y, y_k)
    np.testing.assert_array_equal(dx, dx_k)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize(
    "name",
    [
        "GlobalMaxPooling2D",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling1D",
        "GlobalAveragePooling1D",
    ],
)
def test_global_pooling_matches_keras(name, data_format, keepdims) -> None:
    spatial = (5, 4) if name.endswith("2D") else (6,)
    shape = (3, *spatial, 2) if data_format == "channels_last" else (3, 2, *spatial)
    x = images(shape, seed=1, kind="integers")  # ties: Keras splits the gradient
    theirs = getattr(keras.layers, name)(data_format=data_format, keepdims=keepdims)
    y_k, dy, dx_k, _ = keras_vjp(theirs, x)
    ours = getattr(pooling, name)(data_format=data_format, keepdims=keepdims)
    y, dx, _ = ours_vjp(ours, x, dy)
    np.testing.assert_allclose(y, y_k, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dx, dx_k, rtol=RTOL, atol=ATOL)


BN_CASES = [
    ((16, 6), dict()),
    ((8, 3, 5, 4), dict(axis=1, momentum=0.9)),
    ((8, 5, 4, 3), dict(axis=-1, epsilon=1e-2)),
    ((6, 4, 7), dict(axis=1, center=False)),
    ((6, 7, 4), dict(scale=False, momentum=0.5)),
]


@pytest.mark.parametrize("shape, kwargs", BN_CASES, ids=str)
def test_batch_normalization_matches_keras(shape, kwargs) -> None:
    rng = np.random.default_rng(0)
    x = (rng.normal(size=shape) * 2 + 1).astype(np.float32)
    theirs = keras.layers.BatchNormalization(**kwargs)
    theirs.build(shape)
    ours = normalization.BatchNormalization(**kwargs)
    ours(engine.layers.Input(shape=shape[1:]))
    assert [v.name for v in ours.weights] == [v.name for v in theirs.weights]
    weights = [rng.normal(size=w.shape).astype(np.float32) for w in theirs.get_weights()]
    weights[-1] = np.abs(weights[-1]) + 0.5
    theirs.set_weights(weights)
    ours.set_weights(weights)
    for step, training in enumerate([True, True, False]):
        y_k, dy, dx_k, grads_k = keras_vjp(theirs, x + step, dy_seed=step, training=training)
        for v in theirs.trainable_weights:
            v.value.grad = None
        y, dx, grads = ours_vjp(ours, x + step, dy, training=training)
        np.testing.assert_allclose(y, y_k, rtol=RTOL, atol=1e-5)
        np.testing.assert_allclose(dx, dx_k, rtol=RTOL, atol=1e-5)
        assert grads[-2:] == [None, None]
        for got, want in zip(grads[:-2], grads_k, strict=True):
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-4)
        for got, want in zip(ours.get_weights(), theirs.get_weights(), strict=True):
            np.testing.assert_allclose(got, np.asarray(want), rtol=RTOL, atol=ATOL)


def test_configs_match_keras() -> None:
    def own_keys(config: dict) -> dict:
        return {k: v for k, v in config.items() if k not in ("name", "dtype", "trainable")}

    pairs = [
        ("MaxPooling2D", pooling, dict(pool_size=(3, 2), strides=1, padding="same")),
        ("AveragePooling1D", pooling, dict(pool_size=3)),
        ("GlobalAveragePooling2D", pooling, dict(keepdims=True)),
        ("BatchNormalization", normalization, dict(axis=1, momentum=0.9, center=False)),
    ]
    for name, module, kwargs in pairs:
        kwargs = {**kwargs, "data_format": "channels_first"} if module is pooling else kwargs
        theirs = own_keys(getattr(keras.layers, name)(**kwargs).get_config())
        ours_layer = getattr(module, name)(**kwargs)
        assert own_keys(ours_layer.get_config()) == theirs, name
        clone = getattr(module, name).from_config(theirs)  # a Keras config loads
        assert own_keys(clone.get_config()) == theirs


OURS = SimpleNamespace(
    Sequential=engine.Sequential,
    Input=lambda shape: engine.layers.InputLayer(shape=shape),
    Dense=engine.layers.Dense,
    Flatten=engine.layers.Flatten,
    BatchNormalization=normalization.BatchNormalization,
    MaxPooling2D=pooling.MaxPooling2D,
    AveragePooling2D=pooling.AveragePooling2D,
    GlobalMaxPooling2D=pooling.GlobalMaxPooling2D,
)
THEIRS = SimpleNamespace(
    Sequential=keras.Sequential,
    Input=keras.Input,
    **{
        name: getattr(keras.layers, name)
        for name in vars(OURS)
        if name not in ("Sequential", "Input")
    },
)


def cnn_channels_first(L: SimpleNamespace):
    fmt = "channels_first"
    return L.Sequential(
        [
            L.Input((3, 6, 6)),
            L.BatchNormalization(axis=1, momentum=0.9),
            L.MaxPooling2D(2, data_format=fmt),
            L.Flatten(data_format=fmt),
            L.Dense(3, activation="softmax"),
        ]
    )


def cnn_channels_last(L: SimpleNamespace):
    fmt = "channels_last"
    return L.Sequential(
        [
            L.Input((6, 6, 3)),
            L.BatchNormalization(),
            L.AveragePooling2D(3, strides=1, padding="same", data_format=fmt),
            L.GlobalMaxPooling2D(data_format=fmt),
            L.Dense(3, activation="softmax"),
        ]
    )


@pytest.mark.parametrize("frozen", [False, True])
@pytest.mark.parametrize("build", [cnn_channels_first, cnn_channels_last])
def test_fit_with_pooling_and_batch_norm_matches_keras(build, frozen) -> None:
    rng = np.random.default_rng(4)
    shape = (48, 3, 6, 6) if build is cnn_channels_first else (48, 6, 6, 3)
    x = (rng.normal(size=shape) + 0.5).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 48)]
    keras_model, ours = build(THEIRS), build(OURS)
    ours.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    if frozen:  # Keras 3: a frozen BatchNormalization runs in inference mode in fit
        keras_model.layers[0].trainable = False
        ours.layers[0].trainable = False
    keras_model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    ours.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    kwargs = dict(batch_size=16, epochs=3, shuffle=False, verbose=0)
    expected = keras_model.fit(x, y, **kwargs).history
    got = ours.fit(x, y, **kwargs).history
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=RTOL, atol=ATOL, err_msg=key)
    for a, b in zip(ours.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), keras_model.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )
