"""The graph view (Functional API canvas): layers as nodes, wires as edges.

`GraphView(document)` is the widget; its `GraphScene` mirrors the document's design.
"""

from designer.ui.graph.scene import GraphScene
from designer.ui.graph.view import GraphView

__all__ = ["GraphScene", "GraphView"]
