"""Import Keras code: layer arguments (positional, Keras 1/2 keywords, failing values,
unknown layers) and compile settings; exported scripts import back unchanged."""

from __future__ import annotations

import textwrap

import pytest

from designer.importer import import_keras_code
from designer.spec import CompileSettings
from tests.importer.helpers import builds, find, messages, stack


def only_model(code: str):
    result = import_keras_code(textwrap.dedent(code))
    assert len(result.models) == 1, messages(result.problems)
    return result.models[0], result.problems


# -- layer arguments -----------------------------------------------------------------------
def test_positional_arguments_follow_the_engine_signatures() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Reshape, Conv2D, MaxPooling2D, Dropout, Flatten, Dense
        model = Sequential()
        model.add(Reshape((28, 28, 1), input_shape=(784,)))
        model.add(Conv2D(32, (5, 5), activation='relu'))
        model.add(MaxPooling2D((2, 2)))
        model.add(Dropout(0.2))
        model.add(Flatten())
        model.add(Dense(10, 'softmax'))
        """
    )
    last = "channels_last"
    assert stack(model.design) == [
        ("Input", (784,)),
        ("Reshape", (28, 28, 1)),
        ("Conv2D", 32, (5, 5), "relu", last),
        ("MaxPooling2D", (2, 2), last),
        ("Dropout", 0.2),
        ("Flatten", last),
        ("Dense", 10, "softmax"),
    ]
    assert problems == []
    assert builds(model.design)


def test_keras1_keywords_are_renamed() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense, Dropout
        from keras.regularizers import l2
        model = Sequential()
        model.add(Convolution2D(16, 3, 3, border_mode='same', subsample=(2, 2),
                                dim_ordering='th', init='he_normal', input_shape=(1, 8, 8)))
        model.add(Convolution2D(nb_filter=4, nb_row=2, nb_col=1))
        model.add(MaxPooling2D(pool_size=(2, 2), border_mode='valid', dim_ordering='th'))
        model.add(Flatten())
        model.add(Dense(output_dim=10, init='uniform', W_regularizer=l2(0.01)))
        model.add(Dropout(p=0.25))
        """
    )
    nodes = [model.design.nodes[n] for n in model.design.chain_order()]
    conv = nodes[1].params
    assert (conv["filters"], conv["kernel_size"], conv["padding"], conv["strides"]) == (
        16,
        (3, 3),
        "same",
        (2, 2),
    )
    assert (conv["data_format"], conv["kernel_initializer"]) == ("channels_first", "he_normal")
    assert (nodes[2].params["filters"], nodes[2].params["kernel_size"]) == (4, (2, 1))
    assert nodes[3].params["data_format"] == "channels_first"
    dense = nodes[5].params
    assert (dense["units"], dense["kernel_initializer"], dense["kernel_regularizer"]) == (
        10,
        "uniform",
        "l2",
    )
    assert nodes[6].params["rate"] == 0.25
    # Convolution2D's data format came from dim_ordering; later layers follow the global one.
    assert nodes[4].params["data_format"] == "channels_last"
    assert problems == []


def test_failing_values_unknown_arguments_and_unknown_layers_are_reported() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Dense, Dropout, LSTM, Embedding, Lambda
        model = Sequential()
        model.add(Embedding(1000, 64, input_length=10))
        model.add(Dense(0, input_dim=4, activation='wiggle'))
        model.add(LSTM(32))
        model.add(Lambda(lambda x: x * 2))
        model.add(Dropout(1.5, colour='red'))
        model.add(Dense(3, bias_regularizer='l2', kernel_constraint=None))
        """
    )
    assert stack(model.design) == [
        ("Input", (4,)),  # Embedding is left out: the Dense's input_dim gives the shape
        ("Dense", 32, "linear"),
        ("Dropout", 0.5),
        ("Dense", 3, "linear"),
    ]
    for name, line in (("Embedding", 5), ("LSTM", 7), ("Lambda", 8)):
        assert find(problems, f"{name} layers are not available", f"(line {line})").line == line
    assert find(problems, "units=0", "default units=32").line == 6
    assert find(problems, "activation='wiggle'", "default activation=linear").line == 6
    assert find(problems, "rate=1.5", "at most").line == 9
    assert find(problems, "Unknown argument colour=", "Dropout").line == 9
    assert find(problems, "bias_regularizer='l2'", "not supported").line == 10
    assert len(problems) == 8


def test_custom_layer_class_is_named_and_its_input_goes_on() -> None:
    model, problems = only_model(
        """
        import keras
        from keras import layers
        class Scale(layers.Layer):
            def call(self, x):
                return 2 * x
        inputs = keras.Input(shape=(3,))
        x = Scale()(inputs)
        outputs = layers.Dense(1)(x)
        model = keras.Model(inputs, outputs)
        """
    )
    assert stack(model.design) == [("Input", (3,)), ("Dense", 1, "linear")]
    problem = find(problems, "Custom layer class Scale (defined on line 4)", "(line 8)")
    assert problem.line == 8 and len(problems) == 1


def test_image_data_format_applies_to_layers_made_after_it() -> None:
    model, _ = only_model(
        """
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        model = Sequential()
        model.add(Conv2D(4, 3, input_shape=(8, 8, 1)))
        K.set_image_data_format('channels_first')
        model.add(Flatten())
        model.add(Dense(2))
        """
    )
    nodes = [model.design.nodes[n] for n in model.design.chain_order()]
    assert nodes[1].params["data_format"] == "channels_last"
    assert nodes[2].params["data_format"] == "channels_first"


# -- compile ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "optimizer, name, params",
    [
        ("'adam'", "adam", {}),
        ("'RMSprop'", "rmsprop", {}),
        ("SGD(lr=0.1)", "sgd", {"learning_rate": 0.1}),
        (
            "optimizers.Adam(learning_rate=0.01, beta_1=0.8)",
            "adam",
            {"learning_rate": 0.01, "beta_1": 0.8},
        ),
        ("keras.optimizers.RMSprop(0.01)", "rmsprop", {"learning_rate": 0.01}),
        ("keras.optimizers.Adagrad()", "adagrad", {}),
        ("opt", "sgd", {"momentum": 0.5}),
    ],
)
def test_optimizer_spellings(optimizer: str, name: str, params: dict) -> None:
    model, problems = only_model(
        f"""
        import keras
        from keras import optimizers
        from keras.optimizers import SGD
        from keras.layers import Dense
        opt = optimizers.SGD(momentum=0.5)
        model = keras.Sequential([Dense(1, input_dim=2)])
        model.compile(optimizer={optimizer}, loss='mse', metrics=['acc'])
        """
    )
    assert model.compile == CompileSettings(name, params, "mean_squared_error", ["accuracy"])
    assert problems == []


@pytest.mark.parametrize(
    "loss, name",
    [
        ("'mse'", "mean_squared_error"),
        ("'categorical_crossentropy'", "categorical_crossentropy"),
        ("losses.mean_absolute_error", "mean_absolute_error"),
        ("keras.losses.MeanSquaredError()", "mean_squared_error"),
        ("keras.losses.BinaryCrossentropy()", "binary_crossentropy"),
        ("'kullback_leibler_divergence'", "kl_divergence"),
        ("'logcosh'", "log_cosh"),
    ],
)
def test_loss_spellings(loss: str, name: str) -> None:
    model, problems = only_model(
        f"""
        import keras
        from keras import losses
        model = keras.Sequential([keras.layers.Dense(1, input_dim=2)])
        model.compile('adam', {loss})
        """
    )
    assert model.compile.loss == name and model.compile.metrics == []
    assert problems == []


def test_metrics_custom_functions_and_unavailable_settings_are_reported() -> None:
    model, problems = only_model(
        """
        import keras
        import keras.backend as K
        def mean_pred(y_true, y_pred):
            return K.mean(y_pred)
        def my_loss(y_true, y_pred):
            return K.mean(y_pred - y_true)
        model = keras.Sequential([keras.layers.Dense(1, input_dim=2)])
        model.compile(optimizer='nadamax', loss=my_loss,
                      metrics=['acc', 'mse', keras.metrics.RootMeanSquaredError(), mean_pred,
                               keras.metrics.AUC(), 'accuracy'])
        """
    )
    assert model.compile == CompileSettings(
        "rmsprop", {}, "mean_squared_error", ["accuracy", "mse", "root_mean_squared_error"]
    )
    assert find(problems, "custom metric mean_pred is not imported (line 9)").line == 9
    find(problems, "custom loss my_loss is not imported (line 9)")
    find(problems, "metric AUC is not offered")
    find(problems, "optimizer 'nadamax' is not available")


def test_optimizer_arguments_the_panel_cannot_hold() -> None:
    model, problems = only_model(
        """
        import keras
        sgd = keras.optimizers.SGD(lr=0.05, decay=1e-4, clipnorm=1.0, nesterov=True)
        model = keras.Sequential([keras.layers.Dense(1, input_dim=2)])
        model.compile(optimizer=sgd, loss='mse')
        """
    )
    assert model.compile.optimizer_params == {"learning_rate": 0.05, "nesterov": True}
    assert find(problems, "decay=1e-4", "not supported by the compile panel").line == 3
    assert find(problems, "clipnorm=1.0").line == 3
    assert len(problems) == 2


# -- round trip with the code export -----------------------------------------------------------
@pytest.mark.parametrize("target", ["keras", "engine"])
def test_every_template_exported_as_a_script_imports_back_unchanged(target: str) -> None:
    from designer.export.script import ScriptOptions, export_script
    from designer.spec.templates import TEMPLATES
    from designer.training.config import TrainingConfig

    def signature(design) -> list:
        return sorted(
            (n.type, sorted((k, repr(v)) for k, v in n.params.items()), n.name, bool(n.shares))
            for n in design.nodes.values()
        )

    for item in TEMPLATES:
        design, settings = item.make()
        if not design.nodes:
            continue
        script = export_script(design, settings, TrainingConfig(), ScriptOptions(target=target))
        result = import_keras_code(script)
        assert result.problems == [], (item.key, messages(result.problems))
        (model,) = result.models
        assert signature(model.design) == signature(design), item.key
        assert len(model.design.edges) == len(design.edges), item.key
        assert model.compile == settings, item.key
