"""Conv and image layers against real Keras 3 (torch backend) with the same weights.

Compares forward outputs, the input gradient and every weight gradient of each layer
on its own, then a few epochs of training of a small CNN in both data formats.
Skipped unless Keras is installed.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

from designer.engine.layers.convolutional import Conv1D, Conv2D  # noqa: E402
from designer.engine.layers.core import Dense  # noqa: E402
from designer.engine.layers.input_layer import InputLayer  # noqa: E402
from designer.engine.layers.reshaping import Flatten  # noqa: E402
from designer.engine.layers.reshaping_image import UpSampling2D, ZeroPadding2D  # noqa: E402
from designer.engine.models.sequential import Sequential  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RTOL = 1e-4
ATOL = 1e-5

OURS = {
    "Conv2D": Conv2D,
    "Conv1D": Conv1D,
    "ZeroPadding2D": ZeroPadding2D,
    "UpSampling2D": UpSampling2D,
}

LAYER_CASES = [
    ("Conv2D", dict(filters=4, kernel_size=3), (2, 7, 6, 3)),
    ("Conv2D", dict(filters=4, kernel_size=3, data_format="channels_first"), (2, 3, 7, 6)),
    ("Conv2D", dict(filters=3, kernel_size=(5, 5), activation="relu",
                    data_format="channels_first"), (3, 1, 12, 12)),  # the tutorial's layer
    ("Conv2D", dict(filters=5, kernel_size=(3, 2), strides=(2, 1), padding="same",
                    activation="tanh"), (2, 8, 7, 2)),
    ("Conv2D", dict(filters=2, kernel_size=2, strides=2, padding="same", use_bias=False,
                    data_format="channels_first"), (2, 3, 7, 7)),
    ("Conv2D", dict(filters=3, kernel_size=4, strides=3, padding="same"), (2, 10, 8, 2)),
    ("Conv2D", dict(filters=3, kernel_size=3, dilation_rate=2, padding="same",
                    activation="sigmoid", data_format="channels_first"), (2, 2, 9, 8)),
    ("Conv2D", dict(filters=3, kernel_size=(2, 3), dilation_rate=(2, 1)), (2, 7, 7, 1)),
    ("Conv1D", dict(filters=4, kernel_size=3), (2, 10, 3)),
    ("Conv1D", dict(filters=4, kernel_size=3, padding="causal", dilation_rate=2,
                    activation="relu"), (2, 10, 3)),
    ("Conv1D", dict(filters=3, kernel_size=4, padding="same", strides=2,
                    data_format="channels_first"), (2, 2, 11)),
    ("ZeroPadding2D", dict(padding=((1, 2), (0, 3))), (2, 3, 4, 2)),
    ("ZeroPadding2D", dict(padding=1, data_format="channels_first"), (2, 2, 3, 4)),
    ("UpSampling2D", dict(size=(2, 3)), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=2, data_format="channels_first"), (2, 2, 3, 4)),
    ("UpSampling2D", dict(size=(3, 2), interpolation="bilinear"), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=2, interpolation="bilinear",
                          data_format="channels_first"), (2, 2, 3, 5)),
]  # fmt: skip


def case_id(case) -> str:
    kind, kwargs, _ = case
    return kind + "(" + ",".join(f"{k}={v}" for k, v in kwargs.items()) + ")"


@pytest.mark.parametrize("case", LAYER_CASES, ids=[case_id(c) for c in LAYER_CASES])
def test_layer_forward_and_gradients_match_keras(case) -> None:
    kind, kwargs, shape = case
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype(np.float32)
    theirs = getattr(keras.layers, kind)(**kwargs)
    theirs(x)  # builds
    if theirs.weights:  # random, non-zero bias so its gradient path is exercised
        theirs.set_weights([rng.normal(size=w.shape).astype(np.float32) * 0.5 for w in
                            theirs.get_weights()])  # fmt: skip
    ours = OURS[kind](**kwargs)
    ours(x)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])

    x_t = torch.tensor(x, requires_grad=True)
    y_t = theirs(x_t)
    seed = rng.normal(size=tuple(y_t.shape)).astype(np.float32)
    (y_t * torch.tensor(seed)).sum().backward()

    y, ctx = ours.forward(x)
    np.testing.assert_allclose(y, y_t.detach().numpy(), rtol=RTOL, atol=ATOL)
    dx, grads = ours.backward(ctx, seed)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=RTOL, atol=ATOL)
    assert len(grads) == len(theirs.weights)
    for grad, variable in zip(grads, theirs.weights, strict=True):
        np.testing.assert_allclose(
            grad, variable.value.grad.numpy(), rtol=RTOL, atol=ATOL, err_msg=variable.path
        )


def test_output_shapes_match_keras_for_odd_geometries() -> None:
    for fmt in ("channels_last", "channels_first"):
        for kwargs in (
            dict(kernel_size=3, strides=2),
            dict(kernel_size=4, strides=3, padding="same"),
            dict(kernel_size=(2, 5), dilation_rate=(3, 1)),
        ):
            theirs = keras.layers.Conv2D(2, data_format=fmt, **kwargs)
            ours = Conv2D(2, data_format=fmt, **kwargs)
            shape = (None, 3, 13, 11) if fmt == "channels_first" else (None, 13, 11, 3)
            assert ours.compute_output_shape(shape) == theirs.compute_output_shape(shape)


def _cnn(lib, fmt: str):
    """The same small CNN in Keras (lib=keras.layers) or in our engine (lib=None)."""
    shape = (1, 10, 10) if fmt == "channels_first" else (10, 10, 1)
    second = dict(filters=3, kernel_size=3, strides=2, padding="same", activation="tanh")
    specs = [
        ("Conv2D", dict(filters=4, kernel_size=(3, 3), activation="relu", data_format=fmt)),
        ("Conv2D", dict(second, data_format=fmt)),
        ("Flatten", dict(data_format=fmt)),
        ("Dense", dict(units=3, activation="softmax")),
    ]
    if lib is not None:
        return keras.Sequential([keras.Input(shape=shape)] + [
            getattr(lib, kind)(**kw) for kind, kw in specs
        ])  # fmt: skip
    ours = {"Conv2D": Conv2D, "Flatten": Flatten, "Dense": Dense}
    return Sequential([InputLayer(shape=shape)] + [ours[kind](**kw) for kind, kw in specs])


@pytest.mark.parametrize("fmt", ["channels_first", "channels_last"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_cnn_training_matches_keras(fmt, optimizer) -> None:
    rng = np.random.default_rng(1)
    x = rng.random((48, 1, 10, 10), dtype=np.float32)
    labels = np.digitize(x[:, 0, :5].mean(axis=(1, 2)) - x[:, 0, 5:].mean(axis=(1, 2)),
                         [-0.02, 0.02])  # fmt: skip
    y = np.eye(3, dtype=np.float32)[labels]
    if fmt == "channels_last":
        x = np.ascontiguousarray(np.moveaxis(x, 1, -1))
    theirs, ours = _cnn(keras.layers, fmt), _cnn(None, fmt)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    theirs.compile(optimizer, "categorical_crossentropy", metrics=["accuracy"])
    ours.compile(optimizer, "categorical_crossentropy", metrics=["accuracy"])
    expected = theirs.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    got = ours.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(got.history["loss"], expected.history["loss"], rtol=RTOL, atol=ATOL)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=1e-6)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )
