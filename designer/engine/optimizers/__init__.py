"""Optimizers with Keras 3 names, defaults and update rules.

`get("adam")` (case-insensitive), config dicts and instances work as in Keras.
"""

from __future__ import annotations

from typing import Any

from designer.engine.optimizers import schedules
from designer.engine.optimizers.adadelta import Adadelta
from designer.engine.optimizers.adagrad import Adagrad
from designer.engine.optimizers.adam import Adam
from designer.engine.optimizers.adamax import Adamax
from designer.engine.optimizers.adamw import AdamW
from designer.engine.optimizers.base import Optimizer
from designer.engine.optimizers.clipping import clip_by_global_norm, global_norm
from designer.engine.optimizers.nadam import Nadam
from designer.engine.optimizers.rmsprop import RMSprop
from designer.engine.optimizers.sgd import SGD
from designer.engine.registry import Registry

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "clip_by_global_norm",
    "deserialize",
    "get",
    "global_norm",
    "schedules",
    "serialize",
]

ALL_OBJECTS_DICT: dict[str, type[Optimizer]] = {
    cls.__name__.lower(): cls
    for cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam)
}


REGISTRY = Registry(
    "optimizer",
    "keras.optimizers",
    ALL_OBJECTS_DICT,
    base=Optimizer,
    listing=lambda objects: map(repr, objects),
    full_stop=False,
    ignore_case=True,
    from_config=lambda cls, config, custom_objects: cls.from_config(
        config, custom_objects=custom_objects
    ),
)


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
    return REGISTRY.serialize(optimizer)


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None
                ) -> Optimizer:
    """Inverse of `serialize`; class names are case-insensitive for built-ins."""
    return REGISTRY.deserialize(config, custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name ('adam', 'SGD'...), a config dict, an instance or a class."""
    return REGISTRY.get(identifier)
