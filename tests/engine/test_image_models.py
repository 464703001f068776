"""The tutorial CNN as a whole: both image orderings agree, and it learns."""

from __future__ import annotations

import numpy as np

from designer.engine import Sequential
from designer.engine import backend as K
from designer.engine.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D


def tutorial_cnn(data_format: str, input_shape: tuple[int, ...]) -> Sequential:
    return Sequential(
        [
            Conv2D(8, (5, 5), input_shape=input_shape, activation="relu", data_format=data_format),
            MaxPooling2D(pool_size=(2, 2), data_format=data_format),
            Dropout(0.2),
            Flatten(data_format=data_format),
            Dense(16, activation="relu"),
            Dense(10, activation="softmax"),
        ]
    )


def test_channels_first_and_last_models_with_the_same_weights_agree() -> None:
    first = tutorial_cnn("channels_first", (1, 28, 28))
    last = tutorial_cnn("channels_last", (28, 28, 1))
    last.set_weights(first.get_weights())  # same layouts in both orderings
    x = np.random.default_rng(0).random((4, 1, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(
        first.predict(x, verbose=0),
        last.predict(np.moveaxis(x, 1, -1), verbose=0),
        rtol=1e-5,
        atol=1e-7,
    )
    # Feature maps are the same up to a transpose.
    conv_first = first.layers[0](x)
    conv_last = last.layers[0](np.moveaxis(x, 1, -1))
    np.testing.assert_allclose(np.moveaxis(conv_first, 1, -1), conv_last, rtol=1e-5, atol=1e-6)


def test_set_image_dim_ordering_th_makes_layers_channels_first() -> None:
    try:
        K.set_image_dim_ordering("th")
        model = Sequential([Conv2D(4, (3, 3), input_shape=(1, 10, 10)), Flatten()])
        assert model.output_shape == (None, 4 * 8 * 8)
        assert model.layers[0].output_shape == (None, 4, 8, 8)
    finally:
        K.set_image_data_format("channels_last")
    assert K.image_data_format() == "channels_last"


def test_the_tutorial_cnn_learns_a_few_batches_of_random_images() -> None:
    from designer.engine.utils import set_random_seed

    set_random_seed(3)  # weights and dropout masks independent of earlier tests
    rng = np.random.default_rng(1)
    prototypes = rng.random((10, 28, 28, 1)).astype(np.float32)
    labels = rng.integers(0, 10, 400)
    x = np.clip(prototypes[labels] + 0.3 * rng.normal(size=(400, 28, 28, 1)), 0, 1)
    model = tutorial_cnn("channels_last", (28, 28, 1))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x.astype(np.float32), labels, batch_size=50, epochs=10, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.8
