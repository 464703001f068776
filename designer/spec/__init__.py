"""Designs and their settings: layers, compile settings, validation and building (no Qt).

The whole project document (design, data, training, runs) is `designer.project.Project`.
"""

from designer.spec.build import BuildResult, Issue, build_design
from designer.spec.catalog import Catalog, LayerType, catalog
from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design, DesignError, Edge, Node
from designer.spec.params import ParamError, ParamSpec

__all__ = [
    "BuildResult",
    "Catalog",
    "CompileSettings",
    "Design",
    "DesignError",
    "Edge",
    "Issue",
    "LayerType",
    "Node",
    "ParamError",
    "ParamSpec",
    "build_design",
    "catalog",
]
