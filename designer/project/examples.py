"""Ready-to-train example projects: every network of the tutorials with its data set up.

Each example pairs a template design with a data source (a generator, a built-in
sample or Fashion-MNIST from Debian's package), its preparation and training settings,
so that opening it and pressing Start trains what the tutorial trained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from designer.data.idx_format import FASHION_MNIST_DIR, FASHION_MNIST_HINT
from designer.data.prepare import Preparation
from designer.project.model import Project
from designer.spec.templates import template
from designer.training.config import TrainingConfig


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    description: str
    make: Callable[[], Project]
    needs_fashion_mnist: bool = False

    def available(self) -> tuple[bool, str]:
        """Whether the data can be had here, and what to do when not."""
        if self.needs_fashion_mnist and not FASHION_MNIST_DIR.exists():
            return False, FASHION_MNIST_HINT
        return True, ""


def _project(
    template_key: str, source: dict[str, Any], preparation: Preparation, training: TrainingConfig
) -> Project:
    design, settings = template(template_key).make()
    return Project(design, settings, training, source, preparation.to_dict())


def _generator(name: str, **params: Any) -> dict[str, Any]:
    return {"kind": "generator", "options": {"name": name, "params": params}}


_FASHION = {"kind": "fashion_mnist", "options": {}}


EXAMPLES = [
    Example(
        "sum_classifier",
        "Sum > 2.5 (5-20-1, tanh, hinge)",
        "The first tutorial: 250 rows of 5 numbers in [0, 1), label +1 when their sum is "
        "above 2.5, else -1; 150 epochs of Adam with a hinge loss.",
        lambda: _project(
            "sum_classifier",
            _generator("threshold_sum", n=250, d=5),
            Preparation(validation_split=0.2),
            TrainingConfig(epochs=150, batch_size=32, validation_split=0.2),
        ),
    ),
    Example(
        "two_five_one",
        "Weights by hand (2-5-1)",
        "The weights tutorial: 2 inputs, label +1 when their sum is above 0.5. Train it, "
        "then read and set its weights in the Weights panel.",
        lambda: _project(
            "two_five_one",
            _generator("threshold_sum", n=250, d=2, threshold=0.5),
            Preparation(validation_split=0.2),
            TrainingConfig(epochs=150, batch_size=32),
        ),
    ),
    Example(
        "dummy_binary",
        "Binary classifier with Dropout (20-64-64-1)",
        "Keras' classic binary example with RMSprop, on 1,000 rows of 20 numbers "
        "labelled by whether their sum is above 10.",
        lambda: _project(
            "dummy_binary",
            _generator("threshold_sum", n=1000, d=20, threshold=10.0, labels="zero_one"),
            Preparation(validation_split=0.2),
            TrainingConfig(epochs=10, batch_size=200),
        ),
    ),
    Example(
        "lab_mlp",
        "784-20-20-10 with Dropout (Fashion-MNIST)",
        "The lab's small classifier on 28×28 clothing images flattened to 784 values.",
        lambda: _project(
            "lab_mlp",
            _FASHION,
            Preparation(
                scaling="divide_255",
                labels="one_hot",
                num_classes=10,
                sample_shape=(784,),
                validation="test",
            ),
            TrainingConfig(epochs=5, batch_size=128),
        ),
        needs_fashion_mnist=True,
    ),
    Example(
        "mnist_mlp",
        "MLP 784-784-10 (Fashion-MNIST)",
        "The tutorial's multi-layer perceptron; Fashion-MNIST stands in for MNIST.",
        lambda: _project(
            "mnist_mlp",
            _FASHION,
            Preparation(
                scaling="divide_255",
                labels="one_hot",
                num_classes=10,
                sample_shape=(784,),
                validation="test",
            ),
            TrainingConfig(epochs=10, batch_size=200),
        ),
        needs_fashion_mnist=True,
    ),
    Example(
        "mnist_cnn",
        "CNN: Conv2D, pooling, Dropout (Fashion-MNIST)",
        "The tutorial's convolutional network on 28×28×1 images.",
        lambda: _project(
            "mnist_cnn",
            _FASHION,
            Preparation(
                scaling="divide_255",
                labels="one_hot",
                num_classes=10,
                sample_shape=(28, 28, 1),
                validation="test",
            ),
            TrainingConfig(epochs=10, batch_size=200),
        ),
        needs_fashion_mnist=True,
    ),
    Example(
        "branching",
        "Branching graph on two moons",
        "Two branches joined by Concatenate, learning the two-moons set; watch the "
        "decision boundary form.",
        lambda: _project(
            "branching",
            _generator("moons", n=400, noise=0.15),
            Preparation(validation_split=0.2, shuffle=True),
            TrainingConfig(epochs=60, batch_size=32),
        ),
    ),
]


def example(key: str) -> Example:
    for item in EXAMPLES:
        if item.key == key:
            return item
    raise KeyError(f"No example {key!r}; known: {[e.key for e in EXAMPLES]}")
