"""Import Keras code: spellings of Keras 1/2/3, Sequential and functional models, data
shapes, control flow, syntax errors. Nothing here runs the code it imports."""

from __future__ import annotations

import textwrap

import pytest

from designer.importer import import_keras_code
from designer.spec import CompileSettings
from tests.importer.helpers import builds, find, messages, stack, wires


def imported(code: str, **options):
    return import_keras_code(textwrap.dedent(code), **options)


def only_model(code: str):
    result = imported(code)
    assert len(result.models) == 1, messages(result.problems)
    return result.models[0], result.problems


# -- safety -------------------------------------------------------------------------------
def test_the_code_is_never_run(tmp_path) -> None:
    marker = tmp_path / "ran.txt"
    code = f"""
    import os, sys
    from keras.models import Sequential
    from keras.layers import Dense
    open({str(marker)!r}, "w").write("it ran")
    __import__("os").system("touch {marker}")
    model = Sequential([Dense(3, input_dim=2)])
    sys.exit(3)
    raise SystemExit(4)
    """
    model, problems = only_model(code)
    assert not marker.exists()
    assert stack(model.design) == [("Input", (2,)), ("Dense", 3, "linear")]
    assert problems == []


# -- imports and aliases ------------------------------------------------------------------
@pytest.mark.parametrize(
    "imports, dense, sequential",
    [
        (
            "from keras.layers import Dense\nfrom keras.models import Sequential",
            "Dense",
            "Sequential",
        ),
        ("import keras", "keras.layers.Dense", "keras.Sequential"),
        ("from keras import layers, models", "layers.Dense", "models.Sequential"),
        ("from keras.layers import Dense as D\nimport keras", "D", "keras.models.Sequential"),
        ("from keras.layers.core import Dense\nfrom keras.models import *", "Dense", "Sequential"),
        ("import tensorflow as tf", "tf.keras.layers.Dense", "tf.keras.Sequential"),
        ("from tensorflow import keras", "keras.layers.Dense", "keras.Sequential"),
        (
            "from tensorflow.keras.layers import *\nfrom tensorflow.keras import Sequential",
            "Dense",
            "Sequential",
        ),
        ("from designer.engine import Sequential, layers", "layers.Dense", "Sequential"),
    ],
)
def test_import_spellings(imports: str, dense: str, sequential: str) -> None:
    code = f"{imports}\nmodel = {sequential}([{dense}(4, input_shape=(3,), activation='relu')])\n"
    result = import_keras_code(code)
    assert [stack(m.design) for m in result.models] == [[("Input", (3,)), ("Dense", 4, "relu")]]
    assert result.problems == []


def test_backend_aliases_and_activation_functions() -> None:
    model, problems = only_model(
        """
        import keras
        import keras.backend as K
        from keras import backend as B
        import tensorflow as tf
        from keras.layers import Dense, Activation, Input
        model = keras.Sequential([
            Input(shape=(3,)),
            Dense(4, activation=K.tanh),
            Dense(4, activation=B.relu),
            Dense(4, activation=keras.activations.sigmoid),
            Dense(4, activation=tf.nn.softmax),
            Dense(4, activation=None),
            Activation(keras.activations.elu),
            Dense(4, activation='ReLU'),
        ])
        """
    )
    assert [row[2] if row[0] == "Dense" else row[-1] for row in stack(model.design)[1:]] == [
        "tanh",
        "relu",
        "sigmoid",
        "softmax",
        "linear",
        "elu",
        "relu",
    ]
    assert problems == []


# -- Sequential ---------------------------------------------------------------------------
def test_input_shape_spellings_of_the_first_layer() -> None:
    result = imported(
        """
        from keras.models import Sequential
        from keras.layers import Dense, Input, InputLayer
        a = Sequential(); a.add(Dense(2, input_dim=5))
        b = Sequential(); b.add(Dense(2, input_shape=(5,)))
        c = Sequential(); c.add(Dense(2, batch_input_shape=(None, 5)))
        d = Sequential([Input(shape=(5,)), Dense(2)])
        e = Sequential(); e.add(InputLayer(input_shape=(5,))); e.add(Dense(2))
        f = Sequential([InputLayer(shape=5), Dense(2)])
        """
    )
    assert [m.name for m in result.models] == list("abcdef")
    for model in result.models:
        assert stack(model.design) == [("Input", (5,)), ("Dense", 2, "linear")]
    assert result.problems == []


def test_missing_input_shape_gives_an_input_node_and_a_problem() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(8, activation='relu'))
        model.add(Dense(1))
        """
    )
    assert stack(model.design) == [("Input", (1,)), ("Dense", 8, "relu"), ("Dense", 1, "linear")]
    problem = find(problems, "the input shape is not given (line 5); set it on the Input layer")
    assert problem.line == 5 and len(problems) == 1


def test_input_shape_on_a_later_layer_is_ignored_and_reported_when_it_disagrees() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(4, input_dim=3))
        model.add(Dense(2, input_dim=4))
        model.add(Dense(1, input_dim=7))
        """
    )
    assert stack(model.design)[0] == ("Input", (3,))
    problem = find(problems, "declares input_dim=7", "receives (2,)")
    assert problem.line == 7 and len(problems) == 1


def test_shapes_from_data_of_literal_size() -> None:
    model, problems = only_model(
        """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        x_train = np.random.random((1000, 20))
        y_train = np.random.randint(2, size=(1000, 3))
        model = Sequential()
        model.add(Dense(16, input_dim=x_train.shape[1], activation='relu'))
        model.add(Dense(y_train.shape[-1], activation='sigmoid'))
        """
    )
    assert stack(model.design) == [
        ("Input", (20,)),
        ("Dense", 16, "relu"),
        ("Dense", 3, "sigmoid"),
    ]
    assert problems == []


# -- the functional API --------------------------------------------------------------------
def test_shared_layer_merges_and_several_inputs_and_outputs() -> None:
    model, problems = only_model(
        """
        from keras.layers import Input, Dense, Add, Subtract, add, concatenate
        from keras.models import Model
        left = Input(shape=(4,), name='left')
        right = Input(shape=(4,), name='right')
        encoder = Dense(8, activation='tanh', name='encoder')
        a = encoder(left)
        b = encoder(right)
        total = Add()([a, b])
        diff = Subtract(name='diff')([a, b])
        both = concatenate([total, diff], axis=-1)
        also = add([a, b])
        out = Dense(1, activation='sigmoid', name='out')(both)
        model = Model(inputs=[left, right], outputs=[out, also])
        model.compile('adam', 'binary_crossentropy')
        """
    )
    design = model.design
    shared = [n for n in design.nodes.values() if n.shares]
    assert len(shared) == 1
    owner = design.nodes[shared[0].shares]
    assert owner.name == "encoder" and shared[0].params == owner.params
    assert ("left", "encoder", 0) in wires(design)
    assert ("Dense", "diff", 1) in wires(design)  # the second use feeds port 1
    assert ("Add", "Concatenate", 0) in wires(design) and ("diff", "Concatenate", 1) in wires(
        design
    )
    assert sum(1 for n in design.nodes.values() if n.type == "Add") == 2
    assert sum(1 for n in design.nodes.values() if n.type == "Input") == 2
    assert problems == []
    assert builds(design)


def test_keras1_model_and_merge_functions() -> None:
    model, problems = only_model(
        """
        from keras.layers import Input, Dense, merge
        from keras.models import Model
        a = Input(shape=(3,))
        b = Input(shape=(3,))
        m = merge([a, b], mode='concat', concat_axis=-1)
        s = merge([a, b], mode='sum')
        out = Dense(1)(merge([Dense(3)(m), s], mode='mul'))
        model = Model(input=[a, b], output=out)
        """
    )
    types = sorted(n.type for n in model.design.nodes.values())
    assert types == ["Add", "Concatenate", "Dense", "Dense", "Input", "Input", "Multiply"]
    assert problems == []
    assert builds(model.design)


def test_layers_never_wrapped_in_a_model_still_import() -> None:
    result = imported(
        """
        from keras.layers import Input, Dense
        inputs = Input(shape=(5,))
        x = Dense(20, activation='tanh')(inputs)
        predictions = Dense(1, activation='tanh')(x)
        """
    )
    (model,) = result.models
    assert model.name == "predictions" and model.compile is None
    assert stack(model.design) == [("Input", (5,)), ("Dense", 20, "tanh"), ("Dense", 1, "tanh")]
    find(result.problems, "not wrapped in a Model", "lines 3–5")


def test_a_model_and_a_sequential_in_one_program_best_is_the_one_trained_last() -> None:
    result = imported(
        """
        import keras
        from keras import layers
        seq = keras.Sequential([layers.Dense(3, input_shape=(2,))])
        inputs = keras.Input(shape=(2,))
        fun = keras.Model(inputs, layers.Dense(1)(inputs))
        fun.compile(optimizer='sgd', loss='mse')
        seq.compile(optimizer='adam', loss='mae')
        fun.fit(x, y)
        """
    )
    assert [m.name for m in result.models] == ["seq", "fun"]
    assert result.best.name == "fun"
    assert result.best.compile == CompileSettings("sgd", {}, "mean_squared_error", [])
    assert result.models[0].compile.loss == "mean_absolute_error"


# -- control flow ---------------------------------------------------------------------------
def test_loops_functions_and_unknown_branches_that_build_are_reported() -> None:
    result = imported(
        """
        import random
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(16, input_dim=4))
        for units in [32, 16]:
            model.add(Dense(units))
        while False:
            model.add(Dense(3))
        if random.random() > 0.5:
            model.add(Dense(8))
        def build():
            return Sequential([Dense(2)])
        layers = [Dense(n) for n in range(3)]
        for i in range(10):
            print(i)
        model.add(Dense(1))
        model.compile('adam', 'mse')
        """
    )
    (model,) = result.models
    assert stack(model.design) == [("Input", (4,)), ("Dense", 16, "linear"), ("Dense", 1, "linear")]
    problems = result.problems
    assert find(problems, "The for loop on line 7", "loops are not imported").line == 7
    assert find(problems, "The while loop on line 9").line == 9
    assert find(problems, "The if statement on line 11").line == 11
    assert find(problems, "The function build (line 13)").line == 13
    assert find(problems, "comprehension (line 15)").line == 15
    assert "line 16" not in messages(problems)  # a loop that builds nothing is skipped silently
    assert len(problems) == 5


def test_known_conditions_run_their_branch() -> None:
    model, problems = only_model(
        """
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Dense
        img_rows, img_cols = 28, 28
        if K.image_data_format() == 'channels_first':
            input_shape = (1, img_rows, img_cols)
        else:
            input_shape = (img_rows, img_cols, 1)
        if __name__ == '__main__':
            with open('log.txt') as log:
                model = Sequential()
                model.add(Conv2D(8, kernel_size=(3, 3), input_shape=input_shape))
                model.add(Flatten())
                model.add(Dense(2))
        """
    )
    assert stack(model.design)[0] == ("Input", (28, 28, 1))
    assert problems == []
    assert builds(model.design)


def test_names_set_in_a_loop_are_explained_where_they_are_used() -> None:
    model, problems = only_model(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        for size in (8, 16):
            width = size
        model = Sequential([Dense(width, input_dim=3)])
        """
    )
    assert stack(model.design)[1] == ("Dense", 32, "linear")
    find(problems, "units=width (line 6)", "width is set inside the for loop on line 4")


# -- syntax errors ------------------------------------------------------------------------
def test_a_syntax_error_imports_nothing_and_gives_the_parsers_message() -> None:
    result = imported(
        """
        from keras.models import Sequential
        model = Sequential(
        model.add(Dense(3))
        """
    )
    assert result.models == [] and result.best is None
    (problem,) = result.problems
    assert problem.line == 3 and "'(' was never closed" in problem.message


def test_repair_skips_or_reindents_bad_lines_and_says_so() -> None:
    code = (
        "from keras.models import Sequential\n"
        "from keras.layers import Dense\n"
        "def f(y_true, y_pred):\n"
        "return y_pred\n"
        "model = Sequential([Dense(3, input_dim=2)])\n"
        "print('done'))\n"
        "model.add(Dense(1))\n"
    )
    assert import_keras_code(code).models == []
    result = import_keras_code(code, repair=True)
    (model,) = result.models
    assert stack(model.design) == [("Input", (2,)), ("Dense", 3, "linear"), ("Dense", 1, "linear")]
    assert find(result.problems, "expected an indented block", "indentation").line == 4
    assert find(result.problems, "unmatched ')'", "skipped").line == 6
    assert len(result.problems) == 2


def test_problems_come_sorted_by_line() -> None:
    result = imported(
        """
        from keras.models import Sequential
        from keras.layers import Dense, LSTM
        model = Sequential([Dense(3, foo=1), LSTM(2), Dense(2, bar=2)])
        model.add(Dense(1, baz=3))
        """
    )
    lines = [p.line for p in result.problems]
    assert lines == sorted(lines) and lines[-1] == 5
