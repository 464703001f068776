"""Layers: the building blocks of models (Keras' names, defaults and weight layouts)."""

from __future__ import annotations

from typing import Any

from designer.engine.layers.base import Layer
from designer.engine.layers.convolutional import Conv1D, Conv2D, Convolution1D, Convolution2D
from designer.engine.layers.core import Activation, Dense, Dropout
from designer.engine.layers.input_layer import Input, InputLayer
from designer.engine.layers.merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
)
from designer.engine.layers.normalization import BatchNormalization
from designer.engine.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)
from designer.engine.layers.reshaping import Flatten, Reshape
from designer.engine.layers.reshaping_image import UpSampling2D, ZeroPadding2D

__all__ = [
    "Activation",
    "Add",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Concatenate",
    "Conv1D",
    "Conv2D",
    "Convolution1D",
    "Convolution2D",
    "Dense",
    "Dropout",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "Input",
    "InputLayer",
    "Layer",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Reshape",
    "Subtract",
    "UpSampling2D",
    "ZeroPadding2D",
    "deserialize",
    "get_layer_class",
    "layer_classes",
    "serialize",
]


def layer_classes() -> dict[str, type[Layer]]:
    """Every concrete layer class by its Keras class name (drives configs and the catalog)."""
    found: dict[str, type[Layer]] = {}
    pending = list(Layer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__name__.startswith("_") and cls.__module__.startswith("designer.engine"):
            found[cls.__name__] = cls
    return dict(sorted(found.items()))


def get_layer_class(class_name: str) -> type[Layer]:
    classes = layer_classes()
    if class_name not in classes:
        raise ValueError(f"Unknown layer class '{class_name}'. Known layers: {', '.join(classes)}")
    return classes[class_name]


def serialize(layer: Layer) -> dict[str, Any]:
    from designer.engine.models.serialization import serialize_layer

    return serialize_layer(layer)


def deserialize(config: dict[str, Any]) -> Layer:
    """A new layer from `{"class_name": ..., "config": {...}}` (nothing is executed)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"A layer config needs 'class_name' and 'config'. Received: {config!r}")
    cls = get_layer_class(config["class_name"])
    return cls.from_config(dict(config.get("config", {})))
