"""Pooling and BatchNormalization: the generic layer check, hand-computed values,
channels_first == channels_last, ties, legacy keywords and errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from designer import engine
from designer.engine import backend as K
from designer.engine.layers import pooling
from designer.engine.layers.input_layer import Input
from designer.engine.layers.normalization import BatchNormalization
from designer.engine.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from tests.helpers.layer_check import check_layer, check_layer_gradients

FORMATS = ["channels_last", "channels_first"]
POOLS_2D = [MaxPooling2D, AveragePooling2D]
POOLS_1D = [MaxPooling1D, AveragePooling1D]


@pytest.fixture
def image_format():
    """Restore the global image data format after a test changes it."""
    saved = K.image_data_format()
    yield
    K.set_image_data_format(saved)


def _layout(shape_cl: tuple, data_format: str) -> tuple:
    """A channels_last shape (None, *spatial, C) in `data_format`."""
    if data_format == "channels_last":
        return shape_cl
    return (shape_cl[0], shape_cl[-1], *shape_cl[1:-1])


def _to_last(x: np.ndarray) -> np.ndarray:
    return np.moveaxis(x, 1, -1)


def reference_pool(x, pool, strides, padding, mode):
    """Slow, obvious pooling of a channels_last array, window by window (tests only).

    Max: gradient goes to the first maximum (row-major) of each window.
    Average: padding is left out of the mean. Returns (y, vjp(dy) -> dx).
    """
    spatial = x.shape[1:-1]
    outs, starts = [], []
    for n, p, s in zip(spatial, pool, strides, strict=True):
        if padding == "valid":
            out, before = (n - p) // s + 1, 0
        else:
            out = (n - 1) // s + 1
            before = max(0, (out - 1) * s + p - n) // 2
        outs.append(out)
        starts.append([o * s - before for o in range(out)])
    y = np.zeros((x.shape[0], *outs, x.shape[-1]), np.float64)
    routes = []
    for index in itertools.product(*(range(o) for o in outs)):
        ranges = [
            range(max(0, st[i]), min(n, st[i] + p))
            for st, i, n, p in zip(starts, index, spatial, pool, strict=True)
        ]
        cells = list(itertools.product(*ranges))
        values = np.stack([x[(slice(None), *c, slice(None))] for c in cells])  # (k, N, C)
        if mode == "max":
            first = values.argmax(axis=0)  # argmax returns the first maximum
            y[(slice(None), *index, slice(None))] = values.max(axis=0)
            routes.append((index, cells, first))
        else:
            y[(slice(None), *index, slice(None))] = values.mean(axis=0)
            routes.append((index, cells, None))

    def vjp(dy):
        dx = np.zeros(x.shape, np.float64)
        for index, cells, first in routes:
            g = dy[(slice(None), *index, slice(None))]
            if first is None:
                for c in cells:
                    dx[(slice(None), *c, slice(None))] += g / len(cells)
            else:
                for k, c in enumerate(cells):
                    dx[(slice(None), *c, slice(None))] += np.where(first == k, g, 0.0)
        return dx

    return y, vjp


# -- windowed pooling: generic check --------------------------------------------------
CONFIGS_2D = [
    dict(pool_size=2),
    dict(pool_size=(2, 3), strides=(1, 2)),
    dict(pool_size=3, strides=2, padding="same"),
    dict(pool_size=2, padding="same"),
    dict(pool_size=(3, 2), strides=1, padding="same"),
]


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("cls", POOLS_2D)
@pytest.mark.parametrize("config", CONFIGS_2D, ids=str)
def test_pooling_2d_generic_check(cls, config, data_format) -> None:
    shape = _layout((None, 5, 6, 2), data_format)
    check_layer(
        lambda: cls(data_format=data_format, **config), shape, expected_num_weights=0, batch=2
    )


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("cls", POOLS_1D)
@pytest.mark.parametrize(
    "config", [dict(), dict(pool_size=3, strides=1), dict(pool_size=3, padding="same")], ids=str
)
def test_pooling_1d_generic_check(cls, config, data_format) -> None:
    shape = _layout((None, 7, 3), data_format)
    check_layer(lambda: cls(data_format=data_format, **config), shape, batch=2)


@pytest.mark.parametrize("data_format", FORMATS)
def test_max_pooling_training_mode_gradients(data_format) -> None:
    # Training mode records the winning offsets in forward; inference finds them later.
    for config in CONFIGS_2D[:3]:
        check_layer(
            lambda config=config: MaxPooling2D(data_format=data_format, **config),
            _layout((None, 5, 6, 2), data_format),
            training=True,
            batch=2,
        )


def test_output_shapes_follow_keras() -> None:
    assert MaxPooling2D(2, data_format="channels_first").compute_output_shape(
        (None, 32, 24, 24)
    ) == (None, 32, 12, 12)
    assert MaxPooling2D(2, data_format="channels_last").compute_output_shape(
        (None, 24, 24, 32)
    ) == (None, 12, 12, 32)
    same = AveragePooling2D(3, strides=2, padding="same")
    assert same.compute_output_shape((None, 7, 6, 1)) == (None, 4, 3, 1)
    assert MaxPooling2D(3, strides=2, data_format="channels_last").compute_output_shape(
        (None, 7, None, 1)
    ) == (None, 3, None, 1)
    assert MaxPooling1D(2, data_format="channels_last").compute_output_shape((4, 9, 3)) == (4, 4, 3)


# -- values -------------------------------------------------------------------------
def test_max_and_average_pooling_values_by_hand() -> None:
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(
        MaxPooling2D(2, data_format="channels_last")(x)[0, :, :, 0], [[5, 7], [13, 15]]
    )
    np.testing.assert_array_equal(
        AveragePooling2D(2, data_format="channels_last")(x)[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]]
    )
    # "same" on 3x3 with 2x2 windows pads one row/col at the end; the padding is left
    # out of the mean, and max pooling never picks it.
    x3 = np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1) - 10.0
    same = dict(padding="same", data_format="channels_last")
    np.testing.assert_allclose(
        AveragePooling2D(2, **same)(x3)[0, :, :, 0], [[2 - 10, 3.5 - 10], [6.5 - 10, 8 - 10]]
    )
    np.testing.assert_array_equal(MaxPooling2D(2, **same)(x3)[0, :, :, 0], [[-6, -5], [-3, -2]])


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize(
    "pool, strides, padding",
    [
        ((2, 2), (2, 2), "valid"),
        ((3, 3), (2, 2), "valid"),
        ((2, 3), (1, 2), "valid"),
        ((3, 3), (2, 2), "same"),
        ((2, 2), (2, 2), "same"),
        ((3, 2), (1, 1), "same"),
        ((4, 4), (3, 3), "same"),
    ],
)
def test_pooling_matches_window_by_window_reference(mode, pool, strides, padding) -> None:
    rng = np.random.default_rng(3)
    # Small integers: many ties, so the first-maximum rule is exercised.
    x = rng.integers(0, 3, size=(2, 7, 6, 3)).astype(np.float32)
    cls = MaxPooling2D if mode == "max" else AveragePooling2D
    layer = cls(pool, strides, padding, data_format="channels_last")
    expected, vjp = reference_pool(x, pool, strides, padding, mode)
    for training in (False, True):
        y, ctx = layer.forward(x, training=training)
        np.testing.assert_allclose(y, expected, rtol=1e-6)
        dy = rng.normal(size=y.shape).astype(np.float32)
        dx, grads = layer.backward(ctx, dy)
        assert grads == [] and dx.dtype == np.float32 and dx.shape == x.shape
        np.testing.assert_allclose(dx, vjp(dy.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_max_pooling_ties_send_the_gradient_to_the_first_maximum() -> None:
    x = np.zeros((1, 1, 4, 4), np.float32)  # all ties, as after a ReLU
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = 5.0  # two maxima in the first window
    for training in (False, True):
        layer = MaxPooling2D(2, data_format="channels_first")
        y, ctx = layer.forward(x, training=training)
        dx, _ = layer.backward(ctx, np.ones_like(y))
        expected = np.zeros((4, 4), np.float32)
        expected[0, 1] = 1.0  # row-major first of the two 5s
        expected[0, 2] = expected[2, 0] = expected[2, 2] = 1.0  # top-left of the zero windows
        np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("cls", [*POOLS_2D, *POOLS_1D])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_channels_first_equals_channels_last(cls, padding) -> None:
    rng = np.random.default_rng(1)
    rank = 2 if cls in POOLS_2D else 1
    x = np.maximum(rng.normal(size=(3, 2, *(5,) * rank)), 0).astype(np.float32)  # (N, C, ...)
    first = cls(3, strides=2, padding=padding, data_format="channels_first")
    last = cls(3, strides=2, padding=padding, data_format="channels_last")
    y1, ctx1 = first.forward(x, training=True)
    y2, ctx2 = last.forward(_to_last(x), training=True)
    np.testing.assert_array_equal(_to_last(y1), y2)
    dy = rng.normal(size=y1.shape).astype(np.float32)
    np.testing.assert_allclose(
        _to_last(first.backward(ctx1, dy)[0]), last.backward(ctx2, _to_last(dy))[0], rtol=1e-6
    )


@pytest.mark.parametrize("cls", POOLS_2D)
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_large_batches_split_over_threads_give_the_same_numbers(cls, padding) -> None:
    rng = np.random.default_rng(2)
    x = np.maximum(rng.normal(size=(64, 8, 33, 32)), 0).astype(np.float32)  # > 2 chunks
    layer = cls(2, padding=padding, data_format="channels_first")
    y, ctx = layer.forward(x, training=True)
    dy = rng.normal(size=y.shape).astype(np.float32)
    dx = layer.backward(ctx, dy)[0]
    for a, b in [(0, 5), (40, 64)]:  # small pieces stay on one thread
        y_part, ctx_part = layer.forward(x[a:b], training=True)
        np.testing.assert_array_equal(y[a:b], y_part)
        np.testing.assert_array_equal(dx[a:b], layer.backward(ctx_part, dy[a:b])[0])


def test_float32_stays_float32() -> None:
    x = np.ones((2, 4, 4, 3), np.float32)
    for cls in [*POOLS_2D, GlobalAveragePooling2D, GlobalMaxPooling2D]:
        layer = cls(data_format="channels_last")
        y, ctx = layer.forward(x, training=True)
        assert y.dtype == np.float32
        assert layer.backward(ctx, np.ones_like(y))[0].dtype == np.float32


# -- arguments ------------------------------------------------------------------------
def test_defaults_follow_keras_and_the_global_data_format(image_format) -> None:
    layer = MaxPooling2D()
    assert layer.pool_size == (2, 2) and layer.strides == (2, 2) and layer.padding == "valid"
    assert MaxPooling1D().pool_size == (2,)
    assert GlobalAveragePooling2D().keepdims is False
    K.set_image_dim_ordering("th")
    assert MaxPooling2D(pool_size=(2, 2)).data_format == "channels_first"
    assert GlobalMaxPooling1D().data_format == "channels_first"
    K.set_image_dim_ordering("tf")
    assert AveragePooling2D().data_format == "channels_last"


def test_legacy_keywords() -> None:
    layer = MaxPooling2D(pool_size=(2, 2), border_mode="same", dim_ordering="th")
    assert layer.padding == "same" and layer.data_format == "channels_first"
    layer = MaxPooling1D(pool_length=3, stride=1)
    assert layer.pool_size == (3,) and layer.strides == (1,)
    assert GlobalAveragePooling2D(dim_ordering="tf").data_format == "channels_last"
    assert MaxPooling2D(padding="SAME").padding == "same"


def test_config_round_trip_and_aliases() -> None:
    layer = AveragePooling2D((3, 2), strides=(1, 2), padding="same", data_format="channels_first")
    config = layer.get_config()
    assert config["pool_size"] == (3, 2) and config["strides"] == (1, 2)
    clone = AveragePooling2D.from_config({**config, "pool_size": [3, 2], "strides": [1, 2]})
    assert clone.get_config() == config
    assert pooling.MaxPool2D is MaxPooling2D and pooling.AvgPool1D is AveragePooling1D
    assert pooling.GlobalAvgPool2D is GlobalAveragePooling2D
    assert {"MaxPooling2D", "BatchNormalization", "GlobalMaxPooling1D"} <= set(
        engine.layers.layer_classes()
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(pool_size=0), "pool_size"),
        (dict(pool_size=(2, 2, 2)), "pool_size"),
        (dict(pool_size="2"), "pool_size"),
        (dict(strides=(1, -1)), "strides"),
        (dict(padding="full"), "padding"),
        (dict(data_format="nhwc"), "data_format"),
        (dict(dim_ordering="xy"), "dim_ordering"),
    ],
)
def test_bad_arguments_are_explained(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        MaxPooling2D(**kwargs)


def test_bad_inputs_name_the_layer_and_the_shape() -> None:
    layer = MaxPooling2D(3, data_format="channels_last", name="pool")
    with pytest.raises(ValueError, match=r"'pool'.*\(None, 2, 8, 1\)"):
        layer(Input(shape=(2, 8, 1)))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        MaxPooling2D()(Input(shape=(28, 28)))
    with pytest.raises(ValueError, match="expected ndim=3"):
        GlobalMaxPooling1D()(Input(shape=(4, 4, 1)))
    MaxPooling2D(3, padding="same", data_format="channels_last")(Input(shape=(2, 8, 1)))


# -- global pooling -------------------------------------------------------------------
@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize(
    "cls", [GlobalMaxPooling2D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalAveragePooling1D]
)
def test_global_pooling_generic_check(cls, keepdims, data_format) -> None:
    rank = 2 if cls.__name__.endswith("2D") else 1
    shape = _layout((None, *(4,) * rank, 3), data_format)
    expected = _layout((None, *(1,) * rank, 3), data_format) if keepdims else (None, 3)
    check_layer(
        lambda: cls(data_format=data_format, keepdims=keepdims),
        shape,
        expected_output_shape=expected,
        batch=2,
    )


def test_global_pooling_values_and_tie_splitting() -> None:
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)  # (N, steps, features)
    np.testing.assert_array_equal(GlobalAveragePooling1D(data_format="channels_last")(x), x.mean(1))
    np.testing.assert_array_equal(GlobalMaxPooling1D(data_format="channels_first")(x), x.max(2))
    # Keras' ops.max splits the gradient evenly between tied maxima.
    ties = np.array([[[1.0, 3.0], [3.0, 0.0]]], np.float32).reshape(1, 2, 2, 1)
    layer = GlobalMaxPooling2D(data_format="channels_last")
    y, ctx = layer.forward(ties)
    dx, _ = layer.backward(ctx, np.full_like(y, 2.0))
    np.testing.assert_array_equal(dx[0, :, :, 0], [[0.0, 1.0], [1.0, 0.0]])


# -- BatchNormalization ---------------------------------------------------------------
BN_CASES = [
    ((None, 4), dict()),
    ((None, 3, 4), dict(axis=1)),
    ((None, 3, 4, 2), dict(axis=-1)),
    ((None, 2, 3, 3), dict(axis=1, center=False)),
    ((None, 5), dict(scale=False, momentum=0.5)),
]


# check_layer's random weights include negative variances (NaN in inference, as Keras).
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("shape, kwargs", BN_CASES, ids=str)
def test_batch_normalization_generic_check(shape, kwargs, training) -> None:
    count = 2 + kwargs.get("center", True) + kwargs.get("scale", True)
    layer = check_layer(
        lambda: BatchNormalization(**kwargs),
        shape,
        expected_num_weights=count,
        expected_num_trainable=count - 2,
        training=training,
        check_gradients=training,  # inference needs a positive variance (below)
        batch=4,
        rtol=1e-5,
        atol=1e-6,
    )
    assert [v.name for v in layer.weights][-2:] == ["moving_mean", "moving_variance"]
    if not training:
        rng = np.random.default_rng(5)
        weights = layer.get_weights()
        weights[-1] = rng.random(weights[-1].shape).astype(np.float32) + 0.5
        layer.set_weights(weights)
        x = rng.normal(size=(4, *shape[1:])).astype(np.float32)
        check_layer_gradients(layer, x, training=False, rtol=1e-5, atol=1e-6)


def test_batch_normalization_values_and_moving_statistics() -> None:
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(6, 3, 2, 2)) * 2 + 1).astype(np.float32)  # channels_first
    layer = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-3)
    layer(Input(shape=(3, 2, 2)))
    gamma = np.array([1.0, 2.0, 0.5], np.float32)
    beta = np.array([0.0, -1.0, 3.0], np.float32)
    moving_mean = np.array([0.1, 0.2, 0.3], np.float32)
    moving_var = np.array([1.0, 2.0, 4.0], np.float32)
    layer.set_weights([gamma, beta, moving_mean, moving_var])
    shape = (1, 3, 1, 1)
    # Inference: moving statistics.
    expected = (x - moving_mean.reshape(shape)) / np.sqrt(moving_var.reshape(shape) + 1e-3)
    expected = expected * gamma.reshape(shape) + beta.reshape(shape)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-6)
    # Training: batch statistics (biased variance), and the moving statistics move.
    mean = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))  # ddof=0, as Keras
    y, _ = layer.forward(x, training=True)
    expected = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + 1e-3)
    expected = expected * gamma.reshape(shape) + beta.reshape(shape)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    _, _, new_mean, new_var = layer.get_weights()
    np.testing.assert_allclose(new_mean, moving_mean * 0.9 + mean * 0.1, rtol=1e-5)
    np.testing.assert_allclose(new_var, moving_var * 0.9 + var * 0.1, rtol=1e-5)
    assert y.dtype == np.float32 and new_var.dtype == np.float32


def test_batch_normalization_writes_moving_statistics_in_place() -> None:
    layer = BatchNormalization()
    layer(Input(shape=(3,)))
    storage = layer.moving_mean.value
    layer.forward(np.ones((4, 3), np.float32), training=True)
    assert layer.moving_mean.value is storage
    np.testing.assert_allclose(storage, 0.01, rtol=1e-5)


def test_frozen_batch_normalization_runs_in_inference_mode() -> None:
    x = np.random.default_rng(1).normal(size=(8, 3)).astype(np.float32) + 5
    layer = BatchNormalization(trainable=False)
    layer(Input(shape=(3,)))
    before = layer.get_weights()
    y, _ = layer.forward(x, training=True)
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-6)
    for a, b in zip(layer.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    layer.trainable = True
    assert [v.name for v in layer.trainable_weights] == ["gamma", "beta"]


def test_batch_normalization_channels_first_equals_channels_last() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(4, 3, 5, 5)).astype(np.float32)
    first, last = BatchNormalization(axis=1), BatchNormalization(axis=-1)
    first(Input(shape=(3, 5, 5)))
    last(Input(shape=(5, 5, 3)))
    weights = [rng.normal(size=3).astype(np.float32) for _ in range(3)]
    weights.append(rng.random(3).astype(np.float32) + 0.5)
    first.set_weights(weights)
    last.set_weights(weights)
    for training in (True, False):
        y1, ctx1 = first.forward(x, training=training)
        y2, ctx2 = last.forward(_to_last(x), training=training)
        np.testing.assert_allclose(_to_last(y1), y2, rtol=1e-5, atol=1e-5)
        dy = rng.normal(size=x.shape).astype(np.float32)
        dx1, g1 = first.backward(ctx1, dy)
        dx2, g2 = last.backward(ctx2, _to_last(dy))
        np.testing.assert_allclose(_to_last(dx1), dx2, rtol=1e-4, atol=1e-5)
        for a, b in zip(g1[:2], g2[:2], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
        assert g1[2:] == [None, None]


def test_batch_normalization_legacy_keywords_config_and_regularizers() -> None:
    layer = BatchNormalization(mode=0, beta_init="zero", gamma_init="one", axis=1)
    layer(Input(shape=(2, 3)))
    np.testing.assert_array_equal(layer.get_weights()[0], [1.0, 1.0])
    config = layer.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.99 and config["epsilon"] == 1e-3
    assert BatchNormalization.from_config(config).get_config() == config
    reg = BatchNormalization(gamma_regularizer="l2")
    reg(Input(shape=(3,)))
    assert len(reg.losses) == 1 and reg.losses[0] > 0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(mode=1), "mode"),
        (dict(renorm=True), "renorm"),
        (dict(axis="channels"), "axis"),
        (dict(gamma_initializer="nope"), "nope"),
    ],
)
def test_batch_normalization_bad_arguments(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        BatchNormalization(**kwargs)


def test_batch_normalization_bad_inputs() -> None:
    with pytest.raises(ValueError, match="out of bounds"):
        BatchNormalization(axis=3)(Input(shape=(4, 2)))
    with pytest.raises(ValueError, match="known size"):
        BatchNormalization()(Input(shape=(4, None)))
    layer = BatchNormalization()
    layer(Input(shape=(4,)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        layer(Input(shape=(5,)))


def test_cnn_with_pooling_and_batch_norm_trains_and_updates_statistics() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 2, 6, 6)).astype(np.float32)
    y = np.eye(2, dtype=np.float32)[(x[:, 0].mean(axis=(1, 2)) > 0).astype(int)]
    model = engine.Sequential(
        [
            engine.layers.InputLayer(shape=(2, 6, 6)),
            BatchNormalization(axis=1),
            MaxPooling2D(2, data_format="channels_first"),
            AveragePooling2D(3, padding="same", data_format="channels_first"),
            engine.layers.Flatten(data_format="channels_first"),
            engine.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile("adam", "categorical_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False)
    assert history.history["loss"][-1] < history.history["loss"][0]
    moving_mean = model.layers[0].get_weights()[2]
    assert np.all(moving_mean != 0)
    assert len(model.trainable_weights) == 4 and len(model.weights) == 6
