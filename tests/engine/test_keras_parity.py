"""Same weights and batches in real Keras 3 and in our engine → the same numbers.

Skipped unless Keras is installed (`pip install -e ".[reference]"`, which runs Keras on
PyTorch's CPU build). The default install and CI never need it.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

from designer import engine  # noqa: E402

# Keras' torch backend trips NumPy 2's __array__(copy=) deprecation; not our code.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RTOL = 2e-4
ATOL = 2e-6


def build_pair(spec: list[tuple], input_dim: int):
    """The same Sequential in Keras and in the engine, with Keras' initial weights copied."""
    keras_model = keras.Sequential([keras.Input(shape=(input_dim,))])
    ours = engine.Sequential([engine.layers.InputLayer(shape=(input_dim,))])
    for kind, kwargs in spec:
        keras_model.add(getattr(keras.layers, kind)(**kwargs))
        ours.add(getattr(engine.layers, kind)(**kwargs))
    ours.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    return keras_model, ours


def data(n: int, d: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random((n, d)).astype(np.float32)


CASES = {
    "tutorial tanh/hinge/adam": (
        [
            ("Dense", {"units": 20, "activation": "tanh"}),
            ("Dense", {"units": 1, "activation": "tanh"}),
        ],
        "adam",
        "hinge",
        "pm1",
    ),
    "sigmoid/bce/rmsprop": (
        [
            ("Dense", {"units": 16, "activation": "relu"}),
            ("Dense", {"units": 1, "activation": "sigmoid"}),
        ],
        "rmsprop",
        "binary_crossentropy",
        "01",
    ),
    "softmax/cce/adam": (
        [
            ("Dense", {"units": 12, "activation": "relu"}),
            ("Dropout", {"rate": 0.0}),
            ("Dense", {"units": 3, "activation": "softmax"}),
        ],
        "adam",
        "categorical_crossentropy",
        "onehot",
    ),
    "softmax/sparse/nadam": (
        [
            ("Dense", {"units": 8, "activation": "elu"}),
            ("Dense", {"units": 3, "activation": "softmax"}),
        ],
        "nadam",
        "sparse_categorical_crossentropy",
        "sparse",
    ),
    "linear/mse/sgd": ([("Dense", {"units": 4}), ("Dense", {"units": 1})], "sgd", "mse", "reg"),
    "linear/mae/adagrad": (
        [("Dense", {"units": 4, "activation": "selu"}), ("Dense", {"units": 1})],
        "adagrad",
        "mae",
        "reg",
    ),
    "adamax/huber": (
        [("Dense", {"units": 6, "activation": "softplus"}), ("Dense", {"units": 1})],
        "adamax",
        "huber",
        "reg",
    ),
    "adadelta/log_cosh": (
        [("Dense", {"units": 6, "activation": "gelu"}), ("Dense", {"units": 1})],
        "adadelta",
        "log_cosh",
        "reg",
    ),
    "adamw/squared_hinge": (
        [
            ("Dense", {"units": 6, "activation": "swish"}),
            ("Dense", {"units": 1, "activation": "tanh"}),
        ],
        "adamw",
        "squared_hinge",
        "pm1",
    ),
}


def targets(kind: str, x: np.ndarray) -> np.ndarray:
    s = x.sum(axis=1)
    if kind == "pm1":
        return ((s > x.shape[1] / 2) * 2 - 1).astype(np.float32)
    if kind == "01":
        return (s > x.shape[1] / 2).astype(np.float32).reshape(-1, 1)
    classes = np.digitize(s, np.quantile(s, [1 / 3, 2 / 3]))
    if kind == "sparse":
        return classes
    if kind == "onehot":
        return np.eye(3, dtype=np.float32)[classes]
    return (np.sin(s) + x[:, 0]).astype(np.float32).reshape(-1, 1)


@pytest.mark.parametrize("case", list(CASES))
def test_fit_matches_keras_epoch_by_epoch(case: str) -> None:
    spec, optimizer, loss, kind = CASES[case]
    x = data(96, 5)
    y = targets(kind, x)
    keras_model, ours = build_pair(spec, 5)
    keras_model.compile(optimizer, loss, metrics=["accuracy"] if kind != "reg" else ["mae"])
    ours.compile(optimizer, loss, metrics=["accuracy"] if kind != "reg" else ["mae"])
    expected = keras_model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    got = ours.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    for key, values in expected.history.items():
        if key == "accuracy" and loss in ("hinge", "squared_hinge"):
            continue  # we compare signs on purpose (see metrics.resolve_metric)
        np.testing.assert_allclose(got.history[key], values, rtol=RTOL, atol=ATOL, err_msg=key)
    for a, b in zip(ours.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), keras_model.predict(x, verbose=0), rtol=RTOL, atol=ATOL
    )
    compared = 1 if loss in ("hinge", "squared_hinge") else 2
    np.testing.assert_allclose(
        ours.evaluate(x, y, verbose=0)[:compared],
        keras_model.evaluate(x, y, verbose=0)[:compared],
        rtol=RTOL,
        atol=ATOL,
    )


def test_validation_split_and_sample_weights_match_keras() -> None:
    spec, optimizer, loss, kind = CASES["sigmoid/bce/rmsprop"]
    x = data(100, 5, seed=3)
    y = targets(kind, x)
    w = np.linspace(0.5, 2.0, 100).astype(np.float32)
    keras_model, ours = build_pair(spec, 5)
    keras_model.compile(optimizer, loss, metrics=["accuracy"], weighted_metrics=["mse"])
    ours.compile(optimizer, loss, metrics=["accuracy"], weighted_metrics=["mse"])
    kwargs = dict(
        batch_size=10, epochs=2, shuffle=False, verbose=0, validation_split=0.3, sample_weight=w
    )
    expected = keras_model.fit(x, y, **kwargs).history
    got = ours.fit(x, y, **kwargs).history
    assert set(got) == set(expected)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=RTOL, atol=ATOL, err_msg=key)


def test_sgd_momentum_nesterov_and_l2_regularizer_match_keras() -> None:
    x = data(64, 4, seed=5)
    y = targets("reg", x)
    spec = [("Dense", {"units": 5, "activation": "tanh"}), ("Dense", {"units": 1})]
    keras_model = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(
                5, activation="tanh", kernel_regularizer=keras.regularizers.L2(0.01)
            ),
            keras.layers.Dense(1),
        ]
    )
    ours = engine.Sequential(
        [
            engine.layers.InputLayer(shape=(4,)),
            engine.layers.Dense(
                5, activation="tanh", kernel_regularizer=engine.regularizers.L2(0.01)
            ),
            engine.layers.Dense(1),
        ]
    )
    del spec
    ours.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    keras_model.compile(keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True), "mse")
    ours.compile(engine.optimizers.SGD(0.05, momentum=0.9, nesterov=True), "mse")
    expected = keras_model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    got = ours.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=RTOL, atol=ATOL)
    for a, b in zip(ours.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(a, np.asarray(b), rtol=RTOL, atol=ATOL)


def test_functional_shared_layer_matches_keras() -> None:
    def build(lib):
        a = lib.Input(shape=(3,))
        b = lib.Input(shape=(3,))
        shared = lib.layers.Dense(4, activation="tanh")
        merged = lib.layers.Concatenate()([shared(a), shared(b)])
        out = lib.layers.Dense(1, activation="sigmoid")(merged)
        return lib.Model([a, b], out)

    keras_model, ours = build(keras), build(engine)
    ours.set_weights([np.asarray(w) for w in keras_model.get_weights()])
    xa, xb = data(40, 3, 1), data(40, 3, 2)
    y = (xa.sum(1) > xb.sum(1)).astype(np.float32)
    for model in (keras_model, ours):
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    expected = keras_model.fit([xa, xb], y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    got = ours.fit([xa, xb], y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for key in expected.history:
        np.testing.assert_allclose(got.history[key], expected.history[key], rtol=RTOL, atol=ATOL)


def test_weight_files_move_between_keras_and_the_engine(tmp_path) -> None:
    def build(lib):
        return lib.Sequential(
            [
                lib.Input(shape=(3,)),
                lib.layers.Dense(4, name="hid"),
                lib.layers.Dropout(0.1),
                lib.layers.Dense(2),
            ]
        )

    keras_model, ours = build(keras), build(engine)
    keras_model.save_weights(str(tmp_path / "k.weights.h5"))
    ours.load_weights(str(tmp_path / "k.weights.h5"))
    x = data(5, 3)
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), keras_model.predict(x, verbose=0), rtol=1e-5, atol=1e-7
    )
    ours.set_weights([w * 2 for w in ours.get_weights()])
    ours.save_weights(str(tmp_path / "o.weights.h5"))
    keras_model.load_weights(str(tmp_path / "o.weights.h5"))
    np.testing.assert_allclose(
        ours.predict(x, verbose=0), keras_model.predict(x, verbose=0), rtol=1e-5, atol=1e-7
    )
