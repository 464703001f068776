"""The layer catalog: one description per engine layer type.

It drives the palette (groups, tooltips), the property editor (parameters with types,
defaults, limits, choices, help), validation and code export. The descriptions are in
`layer_descriptions`; layer types the engine has but that module does not describe still
appear, in the "Other" group, with parameters read from their constructor's signature:
a new engine layer shows up everywhere without touching the UI.
"""

from __future__ import annotations

import inspect

from designer.spec.layer_descriptions import DESCRIBED, activation_param
from designer.spec.layer_type import CATEGORIES, LayerType
from designer.spec.params import ParamSpec

__all__ = ["CATEGORIES", "Catalog", "LayerType", "catalog"]


def _engine_layer_names() -> list[str]:
    from designer.engine import layers

    return [n for n in layers.layer_classes() if n not in ("InputLayer", "Layer")]


def _introspected(name: str) -> LayerType:
    """A description read from an engine layer's constructor (for undescribed layers)."""
    from designer.engine import layers

    cls = layers.get_layer_class(name)
    params = []
    for parameter in inspect.signature(cls.__init__).parameters.values():
        if parameter.name in ("self", "name", "kwargs", "trainable", "dtype") or (
            parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)
        ):
            continue
        default = parameter.default
        if isinstance(default, bool):
            params.append(ParamSpec(parameter.name, "bool", default))
        elif isinstance(default, int):
            params.append(ParamSpec(parameter.name, "int", default))
        elif isinstance(default, float):
            params.append(ParamSpec(parameter.name, "float", default))
        elif parameter.name == "activation":
            params.append(activation_param())
    doc = (inspect.getdoc(cls) or name).split("\n")[0]
    return LayerType(name, "Other", doc, tuple(params))


class Catalog:
    """All layer types by name, in palette order."""

    def __init__(self) -> None:
        engine_names = set(_engine_layer_names())
        self._types: dict[str, LayerType] = {}
        for layer_type in DESCRIBED:
            if layer_type.is_input or layer_type.name in engine_names:
                self._types[layer_type.name] = layer_type
        for name in sorted(engine_names - set(self._types)):
            self._types[name] = _introspected(name)

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def __getitem__(self, name: str) -> LayerType:
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(
                f"Unknown layer type {name!r}. Known types: {', '.join(self._types)}"
            ) from None

    def types(self) -> list[LayerType]:
        return list(self._types.values())

    def by_category(self) -> dict[str, list[LayerType]]:
        groups: dict[str, list[LayerType]] = {c: [] for c in CATEGORIES}
        for layer_type in self._types.values():
            groups.setdefault(layer_type.category, []).append(layer_type)
        return {c: items for c, items in groups.items() if items}


_CATALOG: Catalog | None = None


def catalog() -> Catalog:
    """The shared catalog (built once, after the engine's layers are imported)."""
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = Catalog()
    return _CATALOG
