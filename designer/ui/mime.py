"""Mime types for drag and drop and the clipboard, shared by every view."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

# A layer type dragged from the palette; the payload is the type name ("Dense").
LAYER_TYPE = "application/x-network-designer-layer-type"
# Layers copied from the graph view; the payload is JSON (nodes and edges among them).
LAYERS_JSON = "application/x-network-designer-layers+json"
# A row of the stack view being dragged to a new place; the payload is the node id.
STACK_ROW = "application/x-network-designer-stack-row"


def layer_type_mime(layer_type: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(LAYER_TYPE, layer_type.encode())
    mime.setText(layer_type)
    return mime


def layer_type_from(mime: QMimeData) -> str | None:
    if not mime.hasFormat(LAYER_TYPE):
        return None
    return bytes(mime.data(LAYER_TYPE)).decode()
