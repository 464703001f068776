"""Every Keras program of the tutorials in ../shared/seeds/ imports to the network it
describes. The programs are in tests/importer/programs/, copied verbatim (imports as
written) and never run.
"""

from __future__ import annotations

from designer.importer import import_keras_code
from designer.spec import CompileSettings, build_design
from tests.importer.helpers import builds, find, import_program, messages, program, stack, wires

HINGE = CompileSettings("adam", {}, "hinge", ["accuracy"])
SUM_CLASSIFIER = [
    ("Input", (5,)),
    ("Dense", 20, "tanh"),
    ("Dense", 1, "tanh"),
]


# -- seed 000: the 5-20-1 sum classifier, Sequential and functional ------------------------
def test_000_sequential_snippet_without_imports() -> None:
    result = import_program("seed000_sequential.txt")
    (model,) = result.models
    assert (model.name, model.line) == ("model", 4)
    assert stack(model.design) == SUM_CLASSIFIER
    assert model.compile == HINGE
    assert builds(model.design)
    # The snippet never imports Sequential or Dense: read as Keras', and said so.
    find(result.problems, "Sequential is used without an import (line 4)")
    find(result.problems, "Dense is used without an import (line 4)")
    assert len(result.problems) == 2


def test_000_functional_program() -> None:
    result = import_program("seed000_functional.txt")
    (model,) = result.models
    assert model.name == "model" and result.best is model
    assert stack(model.design) == SUM_CLASSIFIER
    assert model.compile == HINGE
    assert result.problems == []
    assert builds(model.design)
    # Positions come from the automatic layout: one row per layer, top to bottom.
    order = model.design.chain_order()
    ys = [model.design.nodes[n].position[1] for n in order]
    assert ys == sorted(ys) and len(set(ys)) == 3


# -- seed 001: 2-5-1 from layer objects, and the hand-set 2-1 model ------------------------
def test_001_layers_made_first_and_called_later() -> None:
    result = import_program("seed001_two_five_one.txt")
    (model,) = result.models
    assert stack(model.design) == [("Input", (2,)), ("Dense", 5, "tanh"), ("Dense", 1, "tanh")]
    assert model.compile == HINGE
    assert not any(n.shares for n in model.design.nodes.values())
    assert result.problems == []
    assert builds(model.design)


def test_001_perfect_model_says_weights_are_not_imported() -> None:
    result = import_program("seed001_perfect.txt")
    (model,) = result.models
    assert stack(model.design) == [("Input", (2,)), ("Dense", 1, "tanh")]
    assert model.compile == HINGE
    assert find(result.problems, "output.set_weights", "fresh weights").line == 14
    assert len(result.problems) == 1
    assert builds(model.design)


# -- seed 002: the overview's snippets ---------------------------------------------------
def test_002_empty_sequential_is_reported_not_imported() -> None:
    result = import_program("seed002_empty.txt")
    assert result.models == [] and result.best is None
    assert find(result.problems, "has no layers").line == 2


def test_002_add_and_list_give_the_same_2_5_1_network() -> None:
    result = import_program("seed002_add_and_list.txt")
    assert [m.name for m in result.models] == ["model1", "model2"]
    for model in result.models:
        assert stack(model.design) == [
            ("Input", (2,)),
            ("Dense", 5, "linear"),
            ("Dense", 1, "linear"),
        ]
        assert len(model.design.nodes) - 1 == 2  # two layers besides the Input
        assert model.compile is None
        assert builds(model.design)
    assert result.problems == []
    assert result.best is result.models[-1]  # nothing compiled: the last one


def test_002_input_shape_snippet_has_a_syntax_error_as_printed() -> None:
    # The tutorial prints `assert model3.input_shape == (32, 6, 8))`: nothing imports...
    strict = import_program("seed002_input_shapes.txt")
    assert strict.models == []
    (problem,) = strict.problems
    assert problem.line == 14 and "unmatched ')'" in problem.message
    # ... unless the caller asks for repairs: the line is skipped and said so.
    result = import_program("seed002_input_shapes.txt", repair=True)
    assert [m.name for m in result.models] == ["model1", "model2", "model3"]
    shapes = [stack(m.design) for m in result.models]
    assert shapes[0] == shapes[1] == [("Input", (784,)), ("Dense", 32, "linear")]
    assert shapes[2] == [("Input", (6, 8)), ("Dense", 32, "linear")]
    assert find(result.problems, "unmatched ')'", "skipped").line == 14
    assert find(result.problems, "batch_size=32", "training settings").line == 13
    assert len(result.problems) == 2
    assert all(builds(m.design) for m in result.models)


def test_002_activation_as_argument_layer_or_backend_function() -> None:
    result = import_program("seed002_activations.txt")
    model1, model2, model3 = result.models
    assert stack(model1.design) == [("Input", (32,)), ("Dense", 64, "tanh")]
    assert stack(model2.design) == [
        ("Input", (32,)),
        ("Dense", 64, "linear"),
        ("Activation", "tanh"),
    ]
    assert stack(model3.design) == stack(model1.design)  # activation=K.tanh
    assert result.problems == []
    assert all(builds(m.design) for m in result.models)


def test_002_default_sgd_and_a_loss_function() -> None:
    result = import_program("seed002_compile_default_sgd.txt")
    (model,) = result.models
    assert model.compile == CompileSettings("sgd", {}, "mean_squared_error", [])
    assert result.problems == []


def test_002_sgd_keeps_its_settings_and_reports_decay() -> None:
    result = import_program("seed002_compile_sgd.txt")
    (model,) = result.models
    assert stack(model.design) == [("Input", (784,)), ("Dense", 32, "linear")]
    assert model.compile == CompileSettings(
        "sgd",
        {"learning_rate": 0.02, "momentum": 0.9, "nesterov": True},
        "mean_squared_error",
        ["accuracy"],
    )
    decay = find(result.problems, "decay=1e-6", "not supported by the compile panel")
    assert decay.line == 6
    assert len(result.problems) == 1
    # The settings work with the engine: the optimizer the compile panel would make.
    optimizer = model.compile.make_optimizer()
    assert type(optimizer).__name__ == "SGD" and optimizer.nesterov


def test_002_custom_metric_is_reported() -> None:
    # As printed, the metric function lost its indentation: a syntax error...
    strict = import_program("seed002_custom_metric.txt")
    assert strict.models == [] and strict.problems[0].line == 8
    assert "expected an indented block" in strict.problems[0].message
    # ... which a repair re-indents; then only the custom metric is left out.
    result = import_program("seed002_custom_metric.txt", repair=True)
    (model,) = result.models
    assert model.compile.metrics == ["accuracy"]
    assert model.compile.optimizer_params == {
        "learning_rate": 0.02,
        "momentum": 0.9,
        "nesterov": True,
    }
    assert find(result.problems, "custom metric mean_pred is not imported (line 10)")
    assert find(result.problems, "decay=1e-6").line == 9
    assert find(result.problems, "indentation").line == 8
    assert len(result.problems) == 3


def test_002_fit_evaluate_predict_define_nothing_and_say_nothing() -> None:
    result = import_program("seed002_fit_evaluate_predict.txt")
    assert result.models == [] and result.problems == []


# -- seed 003: the lab's snippets --------------------------------------------------------
def test_003_sequential_api() -> None:
    result = import_program("seed003_sequential_api.txt")
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (10,)),
        ("Dense", 20, "relu"),
        ("Dense", 20, "relu"),
        ("Dense", 10, "softmax"),
    ]
    assert model.compile is None
    assert result.problems == []
    assert builds(model.design)


def test_003_functional_api_with_undefined_names_gives_problems_not_a_crash() -> None:
    # The snippet calls the first Dense on `x` before defining it and passes `inputs`
    # (never defined) to Model: both are reported; the layers are still imported.
    result = import_program("seed003_functional_api.txt")
    (model,) = result.models
    design = model.design
    assert sorted(n.type for n in design.nodes.values()) == ["Dense", "Dense", "Dense"]
    assert wires(design) == {("Dense", "Dense", 0)} and len(design.edges) == 2
    find(result.problems, "Dense is called on x (line 5)", "x is not defined")
    find(result.problems, "inputs of the model on line 9", "inputs is not defined")
    find(result.problems, "Input made on line 4 is not used")
    assert len(result.problems) == 3


def test_003_mlp_with_activation_and_dropout_layers() -> None:
    result = import_program("seed003_sequential_examples.txt")
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (784,)),  # input_dim=28*28
        ("Dense", 20, "linear"),
        ("Activation", "relu"),
        ("Dense", 20, "linear"),
        ("Activation", "relu"),
        ("Dropout", 0.2),
        ("Dense", 10, "softmax"),
    ]
    assert model.compile == CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])
    # No imports in the snippet: each Keras name is read as Keras' and reported once.
    for name in ("Sequential", "Dense", "Activation", "Dropout"):
        find(result.problems, f"{name} is used without an import")
    assert len(result.problems) == 4
    assert builds(model.design)


def test_003_example1_with_keras1_init_and_names_bound_to_numbers() -> None:
    result = import_program("seed003_example1.txt")
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (2,)),
        ("Dense", 2, "linear"),
        ("Activation", "sigmoid"),
        ("Dense", 1, "linear"),
        ("Activation", "sigmoid"),
    ]
    first_dense = model.design.nodes[model.design.chain_order()[1]]
    assert first_dense.params["kernel_initializer"] == "uniform"  # init='uniform'
    # input_dim on the second Dense matches what it receives: nothing to say about it.
    assert "declares" not in messages(result.problems)
    assert {p.message.split()[0] for p in result.problems} == {"Dense", "Activation"}
    assert builds(model.design)


# -- seed 004: dummy data, MNIST MLP, MNIST CNN --------------------------------------------
def test_004_dummy_data_model_with_dropout() -> None:
    result = import_program("seed004_dummy_data.txt")
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (20,)),
        ("Dense", 64, "relu"),
        ("Dropout", 0.5),
        ("Dense", 64, "relu"),
        ("Dropout", 0.5),
        ("Dense", 1, "sigmoid"),
    ]
    assert model.compile == CompileSettings("rmsprop", {}, "binary_crossentropy", ["accuracy"])
    assert result.problems == []
    assert builds(model.design)


def test_004_mnist_mlp_sizes_read_from_the_mnist_shapes_and_said_so() -> None:
    result = import_program("seed004_mnist_mlp.txt")
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (784,)),
        ("Dense", 784, "relu"),
        ("Dense", 10, "softmax"),
    ]
    assert model.compile == CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])
    # num_pixels and num_classes come from the data: every use says where they came from.
    assert find(result.problems, "units=num_pixels", "784", "MNIST").line == 27
    assert find(result.problems, "input_dim=num_pixels", "(784,)").line == 27
    assert find(result.problems, "units=num_classes", "10", "MNIST").line == 28
    assert len(result.problems) == 3
    assert builds(model.design)


def test_004_mlp_on_unknown_data_gets_problems_and_defaults() -> None:
    code = program("seed004_mnist_mlp.txt").replace("mnist.npz", "my_digits.npz")
    result = import_keras_code(code)
    (model,) = result.models
    assert stack(model.design) == [
        ("Input", (1,)),
        ("Dense", 32, "relu"),
        ("Dense", 32, "softmax"),
    ]
    units = find(result.problems, "units=num_pixels", "num_pixels comes from the data")
    assert units.line == 27 and "default units=32" not in units.message
    assert "keeps its default 32" in units.message
    shape = find(result.problems, "input shape input_dim=num_pixels", "set it on the Input")
    assert shape.line == 27 and "'my_digits.npz' on line 10" in shape.message
    find(result.problems, "units=num_classes", "num_classes comes from the data")
    assert builds(model.design)


def test_004_cnn_channels_first_after_set_image_dim_ordering() -> None:
    result = import_program("seed004_mnist_cnn.txt")
    (model,) = result.models
    first = "channels_first"
    assert stack(model.design) == [
        ("Input", (1, 28, 28)),
        ("Conv2D", 32, (5, 5), "relu", first),
        ("MaxPooling2D", (2, 2), first),
        ("Dropout", 0.2),
        ("Flatten", first),
        ("Dense", 128, "relu"),
        ("Dense", 10, "softmax"),
    ]
    assert model.compile == CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])
    assert find(result.problems, "units=num_classes", "10", "MNIST").line == 32
    assert len(result.problems) == 1
    built = build_design(model.design)
    assert built.ok, [issue.text() for issue in built.issues]
    shapes = [built.nodes[n].output_shape for n in model.design.chain_order()]
    assert shapes[1] == (None, 32, 24, 24) and shapes[4] == (None, 4608)
    assert shapes[-1] == (None, 10)
