"""Optimizers with Keras 3 names, defaults and update rules.

`get("adam")` (case-insensitive), config dicts and instances work as in Keras.
"""

from __future__ import annotations

import inspect
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


def _valid_names() -> str:
    return ", ".join(repr(k) for k in ALL_OBJECTS_DICT)


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
    return {
        "module": "keras.optimizers",
        "class_name": optimizer.__class__.__name__,
        "config": optimizer.get_config(),
        "registered_name": None,
    }


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None
                ) -> Optimizer:
    """Inverse of `serialize`; class names are case-insensitive for built-ins."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not interpret optimizer config: expected a dict with 'class_name' and "
            f"'config' keys. Received: {config!r}"
        )
    name = str(config["class_name"])
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name.lower())
    if cls is None:
        raise ValueError(
            f"Could not interpret optimizer identifier: {name!r}. "
            f"Valid names are: {_valid_names()}"
        )
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


def get(identifier: Any) -> Optimizer | None:
    """An optimizer from a name ('adam', 'SGD'...), a config dict, an instance or a class."""
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if inspect.isclass(identifier) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(
        f"Could not interpret optimizer identifier: {identifier!r}. "
        f"Valid names are: {_valid_names()}"
    )
