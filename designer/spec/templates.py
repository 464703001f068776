"""Ready-made designs: every network of the tutorials, a branching graph, and empty."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design
from designer.spec.layout import apply_layout

Stack = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    description: str
    make: Callable[[], tuple[Design, CompileSettings]]


def chain(stack: Stack) -> Design:
    """A design holding the layers of `stack`, wired one after the other."""
    design = Design()
    previous = None
    for layer_type, params in stack:
        node = design.add_node(layer_type, params)
        if previous is not None:
            design.connect(previous.id, node.id)
        previous = node
    apply_layout(design)
    return design


def _sum_classifier() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (5,)}),
            ("Dense", {"units": 20, "activation": "tanh"}),
            ("Dense", {"units": 1, "activation": "tanh"}),
        ]
    ), CompileSettings("adam", {}, "hinge", ["accuracy"])


def _two_five_one() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (2,)}),
            ("Dense", {"units": 5, "activation": "tanh"}),
            ("Dense", {"units": 1, "activation": "tanh"}),
        ]
    ), CompileSettings("adam", {}, "hinge", ["accuracy"])


def _lab_mlp() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (784,)}),
            ("Dense", {"units": 20}),
            ("Activation", {"activation": "relu"}),
            ("Dense", {"units": 20}),
            ("Activation", {"activation": "relu"}),
            ("Dropout", {"rate": 0.2}),
            ("Dense", {"units": 10, "activation": "softmax"}),
        ]
    ), CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])


def _dummy_binary() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (20,)}),
            ("Dense", {"units": 64, "activation": "relu"}),
            ("Dropout", {"rate": 0.5}),
            ("Dense", {"units": 64, "activation": "relu"}),
            ("Dropout", {"rate": 0.5}),
            ("Dense", {"units": 1, "activation": "sigmoid"}),
        ]
    ), CompileSettings("rmsprop", {}, "binary_crossentropy", ["accuracy"])


def _mnist_mlp() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (784,)}),
            ("Dense", {"units": 784, "activation": "relu"}),
            ("Dense", {"units": 10, "activation": "softmax"}),
        ]
    ), CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])


def _mnist_cnn() -> tuple[Design, CompileSettings]:
    return chain(
        [
            ("Input", {"shape": (28, 28, 1)}),
            ("Conv2D", {"filters": 32, "kernel_size": (5, 5), "activation": "relu"}),
            ("MaxPooling2D", {"pool_size": (2, 2)}),
            ("Dropout", {"rate": 0.2}),
            ("Flatten", {}),
            ("Dense", {"units": 128, "activation": "relu"}),
            ("Dense", {"units": 10, "activation": "softmax"}),
        ]
    ), CompileSettings("adam", {}, "categorical_crossentropy", ["accuracy"])


def _branching() -> tuple[Design, CompileSettings]:
    """Two views of one input, merged: the Functional API's 'A → C, B → C' picture."""
    design = Design()
    inputs = design.add_node("Input", {"shape": (2,)})
    wide = design.add_node("Dense", {"units": 16, "activation": "relu"})
    deep1 = design.add_node("Dense", {"units": 8, "activation": "tanh"})
    deep2 = design.add_node("Dense", {"units": 16, "activation": "tanh"})
    merge = design.add_node("Concatenate", {})
    out = design.add_node("Dense", {"units": 1, "activation": "sigmoid"})
    design.connect(inputs.id, wide.id)
    design.connect(inputs.id, deep1.id)
    design.connect(deep1.id, deep2.id)
    design.connect(wide.id, merge.id)
    design.connect(deep2.id, merge.id)
    design.connect(merge.id, out.id)
    apply_layout(design)
    return design, CompileSettings("adam", {}, "binary_crossentropy", ["accuracy"])


def _shared_layer() -> tuple[Design, CompileSettings]:
    """Two inputs through one shared Dense layer (same weights), then compared."""
    design = Design()
    left = design.add_node("Input", {"shape": (4,)}, name="left")
    right = design.add_node("Input", {"shape": (4,)}, name="right")
    encoder = design.add_node("Dense", {"units": 8, "activation": "tanh"})
    encoder_again = design.add_node("Dense", {"units": 8, "activation": "tanh"}, shares=encoder.id)
    diff = design.add_node("Subtract", {})
    out = design.add_node("Dense", {"units": 1, "activation": "sigmoid"})
    design.connect(left.id, encoder.id)
    design.connect(right.id, encoder_again.id)
    design.connect(encoder.id, diff.id)
    design.connect(encoder_again.id, diff.id)
    design.connect(diff.id, out.id)
    apply_layout(design)
    return design, CompileSettings("adam", {}, "binary_crossentropy", ["accuracy"])


def _empty() -> tuple[Design, CompileSettings]:
    return Design(), CompileSettings()


TEMPLATES = [
    Template(
        "sum_classifier",
        "Sum > 2.5 classifier (5-20-1, tanh, hinge)",
        "The first tutorial: is the sum of 5 numbers above 2.5?",
        _sum_classifier,
    ),
    Template(
        "two_five_one",
        "2-5-1 network (weights by hand)",
        "The tutorial that reads weights and predicts by hand.",
        _two_five_one,
    ),
    Template(
        "lab_mlp",
        "784-20-20-10 with Dropout",
        "A small MNIST classifier with Activation and Dropout layers.",
        _lab_mlp,
    ),
    Template(
        "dummy_binary",
        "Binary classifier (20-64-64-1, Dropout)",
        "Keras' classic dummy-data example with RMSprop.",
        _dummy_binary,
    ),
    Template(
        "mnist_mlp", "MNIST MLP (784-784-10)", "The tutorial's multi-layer perceptron.", _mnist_mlp
    ),
    Template(
        "mnist_cnn",
        "MNIST CNN (Conv2D, pooling, Dropout)",
        "The tutorial's convolutional network for 28×28 images.",
        _mnist_cnn,
    ),
    Template(
        "branching",
        "Branching graph (Functional API)",
        "Two branches from one input, joined by Concatenate.",
        _branching,
    ),
    Template(
        "shared_layer",
        "Shared layer (two inputs, one encoder)",
        "One Dense layer used twice with the same weights.",
        _shared_layer,
    ),
    Template("empty", "Empty design", "Start from nothing.", _empty),
]


def template(key: str) -> Template:
    for item in TEMPLATES:
        if item.key == key:
            return item
    raise KeyError(f"No template {key!r}; known: {[t.key for t in TEMPLATES]}")
