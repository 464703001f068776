"""What the designer knows about one engine layer type, as a plain record.

`layer_descriptions` fills these in for the layers it describes; `catalog` reads the
rest from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from designer.spec.params import ParamSpec

CATEGORIES = (
    "Input",
    "Core",
    "Convolution & pooling",
    "Normalisation & regularisation",
    "Merge",
    "Reshape",
    "Other",
)


@dataclass(frozen=True)
class LayerType:
    """What the designer knows about one engine layer class."""

    name: str  # the engine / Keras class name, e.g. "Dense"
    category: str
    summary: str  # one sentence for the palette tooltip
    params: tuple[ParamSpec, ...] = ()
    min_inputs: int = 1
    max_inputs: int | None = 1  # None: any number (merges)
    key_params: tuple[str, ...] = ()  # shown on rows and nodes: "Dense 20 · tanh"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_input(self) -> bool:
        return self.name == "Input"

    @property
    def is_merge(self) -> bool:
        return self.max_inputs is None or self.max_inputs > 1

    def param(self, name: str) -> ParamSpec:
        for spec in self.params:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no parameter {name!r}")

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def key_settings(self, values: dict[str, Any]) -> str:
        """The one-line description of a layer's settings: '20 · tanh'."""
        parts = []
        for name in self.key_params:
            spec = self.param(name)
            value = values.get(name, spec.default)
            if value in (None, "linear", "") and name != "shape":
                continue
            text = spec.format(value)
            if spec.kind == "int_tuple" and value is not None and len(set(value)) == 1:
                text = "×".join(str(v) for v in value)
            parts.append(text)
        return " · ".join(parts)

    def engine_class(self) -> type:
        from designer.engine import layers

        if self.is_input:
            return layers.InputLayer
        return layers.get_layer_class(self.name)
