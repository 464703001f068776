"""Conv1D, Conv2D, ZeroPadding2D and UpSampling2D: generic checks, values, formats, errors."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from designer.engine import backend as K
from designer.engine.layers import convolutional
from designer.engine.layers.base import Layer
from designer.engine.layers.convolutional import Conv1D, Conv2D, Convolution2D
from designer.engine.layers.input_layer import Input
from designer.engine.layers.reshaping_image import UpSampling2D, ZeroPadding2D
from tests.helpers.layer_check import check_layer

FORMATS = ["channels_last", "channels_first"]


@pytest.fixture
def restore_image_format():
    saved = K.image_data_format()
    yield
    K.set_image_data_format(saved)


def image_shape(fmt: str, rows: int, cols: int, channels: int) -> tuple:
    if fmt == "channels_first":
        return (None, channels, rows, cols)
    return (None, rows, cols, channels)


def to_last(x: np.ndarray, fmt: str) -> np.ndarray:
    return np.moveaxis(x, 1, -1) if fmt == "channels_first" else x


def naive_conv2d(x, kernel, bias, strides, dilation, pads):
    """Reference: channels-last cross-correlation with a loop over output pixels."""
    (pt, pb), (pl, pr) = pads
    x = np.pad(x.astype(np.float64), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    kh, kw, _, filters = kernel.shape
    (sh, sw), (dh, dw) = strides, dilation
    oh = (x.shape[1] - (kh - 1) * dh - 1) // sh + 1
    ow = (x.shape[2] - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((x.shape[0], oh, ow, filters))
    for i in range(oh):
        for j in range(ow):
            patch = x[
                :,
                i * sh : i * sh + (kh - 1) * dh + 1 : dh,
                j * sw : j * sw + (kw - 1) * dw + 1 : dw,
            ]
            out[:, i, j] = np.einsum("nhwc,hwcf->nf", patch, kernel)
    return out + (0 if bias is None else bias)


# -- generic layer checks ------------------------------------------------------------

CONV2D_CASES = [
    dict(kernel_size=3),
    dict(kernel_size=(3, 2), strides=(2, 1), padding="same", activation="tanh"),
    dict(kernel_size=2, strides=2, padding="same", use_bias=False),
    dict(kernel_size=3, dilation_rate=2, padding="same", activation="sigmoid"),
    dict(kernel_size=(2, 3), dilation_rate=(1, 2), activation="relu"),
    dict(kernel_size=4, strides=3, padding="same"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", range(len(CONV2D_CASES)))
def test_conv2d_generic(fmt, case) -> None:
    kwargs = CONV2D_CASES[case]
    check_layer(
        lambda: Conv2D(3, data_format=fmt, **kwargs),
        image_shape(fmt, 7, 6, 2),
        expected_num_weights=2 if kwargs.get("use_bias", True) else 1,
        batch=2,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_conv2d_single_channel_input(fmt) -> None:  # the (K, M) column layout
    check_layer(lambda: Conv2D(2, 3, strides=2, data_format=fmt), image_shape(fmt, 6, 7, 1))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "kwargs",
    [
        dict(kernel_size=3),
        dict(kernel_size=3, padding="causal", dilation_rate=2, activation="tanh"),
        dict(kernel_size=2, padding="same", strides=2),
        dict(kernel_size=4, padding="same", use_bias=False),
    ],
)
def test_conv1d_generic(fmt, kwargs) -> None:
    shape = (None, 2, 9) if fmt == "channels_first" else (None, 9, 2)
    check_layer(lambda: Conv1D(3, data_format=fmt, **kwargs), shape, batch=2)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("padding", [1, (2, 0), ((1, 2), (0, 3))])
def test_zero_padding2d_generic(fmt, padding) -> None:
    check_layer(
        lambda: ZeroPadding2D(padding, data_format=fmt),
        image_shape(fmt, 3, 4, 2),
        expected_num_weights=0,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "kwargs", [dict(), dict(size=(1, 3)), dict(size=(2, 3), interpolation="bilinear")]
)
def test_up_sampling2d_generic(fmt, kwargs) -> None:
    check_layer(lambda: UpSampling2D(data_format=fmt, **kwargs), image_shape(fmt, 3, 4, 2))


# -- values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kernel_size, strides, dilation, padding",
    [
        ((3, 3), (1, 1), (1, 1), "valid"),
        ((2, 2), (1, 1), (1, 1), "same"),  # even kernel: the extra zero row/col is bottom/right
        ((3, 2), (2, 3), (1, 1), "same"),
        ((3, 3), (1, 1), (2, 1), "same"),
        ((5, 5), (2, 2), (1, 1), "valid"),
    ],
)
def test_conv2d_matches_a_naive_convolution(kernel_size, strides, dilation, padding) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 8, 7, 3)).astype(np.float32)
    layer = Conv2D(4, kernel_size, strides, padding, "channels_last", dilation)
    layer(x)
    kernel, bias = layer.get_weights()
    bias = rng.normal(size=bias.shape).astype(np.float32)
    layer.set_weights([kernel, bias])
    pads = []
    for length, k, s, d in zip((8, 7), kernel_size, strides, dilation, strict=True):
        if padding == "valid":
            pads.append((0, 0))
            continue
        total = max((-(-length // s) - 1) * s + (k - 1) * d + 1 - length, 0)
        pads.append((total // 2, total - total // 2))
    expected = naive_conv2d(x, kernel, bias, strides, dilation, pads)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-5)


def test_conv2d_same_padding_puts_the_odd_pixel_bottom_right() -> None:
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    layer = Conv2D(1, 2, padding="same", use_bias=False, data_format="channels_last")
    layer(x)
    layer.set_weights([np.ones((2, 2, 1, 1), np.float32)])
    y = layer(x)[0, :, :, 0]
    assert y[0, 0] == 0 + 1 + 4 + 5
    assert y[3, 3] == 15  # only the input's corner: the zeros are after it
    assert y[3, 0] == 12 + 13


def test_conv1d_matches_conv2d_of_height_one_and_causal_ignores_the_future() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 10, 3)).astype(np.float32)
    one = Conv1D(4, 3, padding="causal", dilation_rate=2)
    y = one(x)
    assert y.shape == (2, 10, 4)
    two = Conv2D(4, (1, 3), dilation_rate=(1, 2), data_format="channels_last")
    two(x[:, None])
    kernel, bias = one.get_weights()
    two.set_weights([kernel[None], bias])
    padded = np.concatenate([np.zeros((2, 4, 3), np.float32), x], axis=1)
    np.testing.assert_allclose(y, two(padded[:, None])[:, 0], rtol=1e-6, atol=1e-6)
    changed = x.copy()
    changed[:, 6:] += 1.0
    np.testing.assert_array_equal(one(changed)[:, :6], y[:, :6])


@pytest.mark.parametrize("layer_type", ["conv2d", "conv1d", "pad", "up", "bilinear"])
def test_channels_first_equals_channels_last(layer_type) -> None:
    rng = np.random.default_rng(1)
    if layer_type == "conv1d":
        x_last = rng.normal(size=(2, 9, 3)).astype(np.float32)

        def make(fmt):
            return Conv1D(4, 3, strides=2, padding="same", activation="relu", data_format=fmt)
    else:
        x_last = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
        make = {
            "conv2d": lambda fmt: Conv2D(5, (3, 2), (2, 1), "same", fmt, activation="elu"),
            "pad": lambda fmt: ZeroPadding2D(((1, 0), (2, 1)), data_format=fmt),
            "up": lambda fmt: UpSampling2D((2, 3), data_format=fmt),
            "bilinear": lambda fmt: UpSampling2D(3, fmt, interpolation="bilinear"),
        }[layer_type]
    x_first = np.ascontiguousarray(np.moveaxis(x_last, -1, 1))
    last, first = make("channels_last"), make("channels_first")
    last(x_last)
    first(x_first)
    first.set_weights(last.get_weights())
    y_last, ctx_last = last.forward(x_last)
    y_first, ctx_first = first.forward(x_first)
    np.testing.assert_allclose(np.moveaxis(y_first, 1, -1), y_last, rtol=1e-6, atol=1e-6)
    dy = rng.normal(size=y_last.shape).astype(np.float32)
    dx_last, g_last = last.backward(ctx_last, dy)
    dx_first, g_first = first.backward(ctx_first, np.ascontiguousarray(np.moveaxis(dy, -1, 1)))
    np.testing.assert_allclose(np.moveaxis(dx_first, 1, -1), dx_last, rtol=1e-5, atol=1e-5)
    for a, b in zip(g_first, g_last, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_zero_padding_and_up_sampling_values() -> None:
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 2, 2)
    padded = ZeroPadding2D(((1, 0), (0, 2)), data_format="channels_first")(x)
    np.testing.assert_array_equal(padded[0, 0], [[0, 0, 0, 0], [0, 1, 0, 0], [2, 3, 0, 0]])
    up = UpSampling2D((2, 1), data_format="channels_first")(x)
    np.testing.assert_array_equal(up[0, 0], [[0, 1], [0, 1], [2, 3], [2, 3]])
    row = np.array([[[[0.0], [4.0]]]], np.float32)  # (1, 1, 2, 1) channels_last
    bilinear = UpSampling2D((1, 2), "channels_last", "bilinear")(row)
    np.testing.assert_allclose(bilinear[0, 0, :, 0], [0.0, 1.0, 3.0, 4.0])  # half-pixel centres


def test_backward_can_skip_the_input_gradient() -> None:
    x = np.random.default_rng(0).normal(size=(2, 1, 8, 8)).astype(np.float32)
    layer = Conv2D(3, 3, activation="relu", data_format="channels_first")
    assert Conv2D.can_skip_input_grad
    layer(x)
    y, ctx = layer.forward(x)
    dy = np.ones_like(y)
    dx, full = layer.backward(ctx, dy)
    none, partial = layer.backward(ctx, dy, input_grad=False)
    assert none is None and dx.shape == x.shape
    for a, b in zip(full, partial, strict=True):
        np.testing.assert_array_equal(a, b)


def test_tutorial_cnn_layer_stays_float32_and_lean() -> None:
    x = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)
    layer = Conv2D(
        32, (5, 5), input_shape=(1, 28, 28), activation="relu", data_format="channels_first"
    )
    layer(x)
    y, ctx = layer.forward(x)
    assert y.shape == (4, 32, 24, 24) and y.dtype == np.float32
    assert np.shares_memory(y, ctx[2])  # channels_first output: a view of the NHWC result
    dx, grads = layer.backward(ctx, y)  # dy as the next layer would see it
    assert dx.dtype == np.float32 and all(g.dtype == np.float32 for g in grads)


# -- Keras 1/2 spellings and the image format -------------------------------------------------


def test_tutorial_spelling_with_th_ordering(restore_image_format) -> None:
    K.set_image_dim_ordering("th")
    layer = Conv2D(32, (5, 5), input_shape=(1, 28, 28), activation="relu")
    assert layer.data_format == "channels_first"
    assert layer._batch_input_shape == (None, 1, 28, 28)
    out = layer(Input(shape=(1, 28, 28)))
    assert out.shape == (None, 32, 24, 24)
    assert [w.shape for w in layer.weights] == [(5, 5, 1, 32), (32,)]
    assert layer.count_params() == 5 * 5 * 32 + 32


def test_legacy_keywords() -> None:
    layer = Conv2D(nb_filter=4, nb_row=3, nb_col=2, border_mode="same", subsample=(2, 2),
                   init="zeros", dim_ordering="tf", bias=False)  # fmt: skip
    assert (layer.filters, layer.kernel_size, layer.padding) == (4, (3, 2), "same")
    assert layer.strides == (2, 2) and layer.data_format == "channels_last"
    assert not layer.use_bias
    one = Conv1D(nb_filter=2, filter_length=3, subsample_length=2, border_mode="causal")
    assert (one.kernel_size, one.strides, one.padding) == ((3,), (2,), "causal")
    assert Convolution2D is Conv2D


def test_config_round_trip_accepts_keras_style_tuples() -> None:
    layer = Conv2D(8, (3, 3), strides=(2, 2), padding="same", data_format="channels_first",
                   activation="relu", kernel_regularizer="l2")  # fmt: skip
    config = layer.get_config()
    assert config["kernel_size"] == [3, 3] and config["activation"] == "relu"
    clone = Conv2D.from_config(config)
    assert clone.get_config() | {"name": None} == config | {"name": None}
    keras_style = {"filters": 8, "kernel_size": (3, 3), "strides": (1, 1), "padding": "valid",
                   "data_format": "channels_last", "dilation_rate": (1, 1), "groups": 1,
                   "activation": "linear", "use_bias": True, "name": "c"}  # fmt: skip
    assert Conv2D.from_config(keras_style).kernel_size == (3, 3)
    pad = ZeroPadding2D(((1, 2), (3, 4)), data_format="channels_last")
    assert ZeroPadding2D.from_config(pad.get_config()).padding == ((1, 2), (3, 4))


def test_pooling_layers_are_reachable_from_the_convolutional_module(monkeypatch) -> None:
    fake = types.ModuleType("designer.engine.layers.pooling")

    class MaxPooling2D(Layer):
        pass

    fake.MaxPooling2D = MaxPooling2D
    fake.helper = 3  # not a layer: not re-exported
    package = sys.modules["designer.engine.layers"]
    monkeypatch.setitem(sys.modules, "designer.engine.layers.pooling", fake)
    monkeypatch.setattr(package, "pooling", fake, raising=False)
    assert convolutional.MaxPooling2D is MaxPooling2D
    assert "MaxPooling2D" in dir(convolutional)
    with pytest.raises(AttributeError, match="helper"):
        convolutional.helper  # noqa: B018
    with pytest.raises(AttributeError, match="NoSuchLayer"):
        convolutional.NoSuchLayer  # noqa: B018


def test_real_pooling_module_when_present() -> None:
    pooling = pytest.importorskip("designer.engine.layers.pooling")
    from designer.engine.layers.convolutional import MaxPooling2D

    assert MaxPooling2D is pooling.MaxPooling2D


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(filters=0, kernel_size=3), "filters"),
        (dict(filters=2, kernel_size=0), "kernel_size"),
        (dict(filters=2, kernel_size=(3, 3, 3)), "kernel_size"),
        (dict(filters=2, kernel_size=3, padding="full"), "padding"),
        (dict(filters=2, kernel_size=3, padding="causal"), "padding"),
        (dict(filters=2, kernel_size=3, strides=2, dilation_rate=2), "dilation_rate > 1"),
        (dict(filters=3, kernel_size=3, groups=2), "divisible"),
        (dict(filters=2, kernel_size=3, data_format="nchw"), "data_format"),
        (dict(filters=2), "kernel_size"),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        Conv2D(**kwargs)


def test_groups_other_than_one_are_not_implemented() -> None:
    with pytest.raises(NotImplementedError, match="groups=2"):
        Conv2D(4, 3, groups=2)


def test_input_too_small_names_the_layer_and_the_shape() -> None:
    layer = Conv2D(2, 5, name="tiny_conv", data_format="channels_last")
    with pytest.raises(ValueError, match=r"tiny_conv.*\(None, 4, 9, 1\).*too small"):
        layer(Input(shape=(4, 9, 1)))
    with pytest.raises(ValueError, match="too small"):
        Conv1D(2, 4)(np.zeros((1, 3, 1), np.float32))


def test_wrong_rank_and_wrong_channels_are_explained() -> None:
    layer = Conv2D(2, 3, data_format="channels_last")
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layer(Input(shape=(8, 8)))
    layer(Input(shape=(8, 8, 3)))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((1, 8, 8, 2), np.float32))


def test_image_layer_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="two elements"):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding2D("same")
    with pytest.raises(ValueError, match="size"):
        UpSampling2D(0)
    with pytest.raises(ValueError, match="interpolation"):
        UpSampling2D(interpolation="cubic")
    with pytest.raises(NotImplementedError, match="bicubic"):
        UpSampling2D(interpolation="bicubic")
    with pytest.raises(ValueError, match="ndim=4"):
        UpSampling2D()(Input(shape=(4, 4)))


def test_a_small_cnn_trains_in_a_sequential_model() -> None:
    from designer.engine.layers.core import Dense
    from designer.engine.layers.input_layer import InputLayer
    from designer.engine.layers.reshaping import Flatten
    from designer.engine.models.sequential import Sequential

    rng = np.random.default_rng(0)
    x = rng.random((32, 1, 8, 8), dtype=np.float32)
    y = (x[:, 0, :4].mean(axis=(1, 2)) > x[:, 0, 4:].mean(axis=(1, 2))).astype(np.float32)
    model = Sequential([
        InputLayer(shape=(1, 8, 8)),
        Conv2D(4, 3, activation="relu", data_format="channels_first"),
        ZeroPadding2D(1, data_format="channels_first"),
        Conv2D(4, 3, strides=2, padding="same", activation="relu", data_format="channels_first"),
        UpSampling2D(data_format="channels_first"),
        Flatten(data_format="channels_first"),
        Dense(1, activation="sigmoid"),
    ])  # fmt: skip
    model.compile("adam", "binary_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
