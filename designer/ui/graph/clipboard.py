"""Copied layers as clipboard data: the nodes and the wires among them, as design JSON.

The payload is the versioned design dictionary of `designer.spec.serialize`, so it is
checked on the way back in like a file. A copied layer that shares the weights of a
layer left behind keeps that link in `outside_shares` (a design dictionary may only
refer to its own nodes); pasting then shares the original, if it still exists.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QMimeData
from PySide6.QtGui import QGuiApplication

from designer.spec.design import Design, Edge, Node
from designer.spec.serialize import ProjectFormatError, design_from_dict, design_to_dict
from designer.ui.mime import LAYERS_JSON


def layers_mime(design: Design, node_ids: list[str]) -> QMimeData:
    """Clipboard data holding copies of `node_ids` and the wires among them."""
    part = Design()
    outside: dict[str, str] = {}
    for node_id in node_ids:
        node = design.node(node_id).copy()
        if node.shares is not None and node.shares not in node_ids:
            outside[node.id] = node.shares
            node.shares = None
        part.nodes[node.id] = node
    for edge in design.edges.values():
        if edge.source in part.nodes and edge.target in part.nodes:
            part.edges[edge.id] = edge
    payload = {"design": design_to_dict(part), "outside_shares": outside}
    text = json.dumps(payload)
    mime = QMimeData()
    mime.setData(LAYERS_JSON, text.encode())
    mime.setText(text)
    return mime


def put_on_clipboard(mime: QMimeData) -> None:
    """Set clipboard data made in Python, and make sure it is gone before Python exits.

    Qt deletes the clipboard's data when the application object goes, which for data
    created in Python is after the interpreter has shut down: a crash at exit (the
    family of PYSIDE-2254). Clearing our own data on `aboutToQuit` avoids it.
    """
    global _CLEANUP_INSTALLED
    QGuiApplication.clipboard().setMimeData(mime)
    app = QCoreApplication.instance()
    if app is not None and not _CLEANUP_INSTALLED:
        app.aboutToQuit.connect(clear_clipboard_if_ours)
        _CLEANUP_INSTALLED = True


def clear_clipboard_if_ours() -> None:
    """Empty the clipboard when it holds layers copied here (tests call it too)."""
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is not None and mime.hasFormat(LAYERS_JSON):
        clipboard.clear()


_CLEANUP_INSTALLED = False


def layers_from_mime(mime: QMimeData | None) -> tuple[list[Node], list[Edge]] | None:
    """The nodes and wires of clipboard data, or None when it holds no layers.

    Raises ProjectFormatError when the data claims to be layers but cannot be read.
    """
    if mime is None or not mime.hasFormat(LAYERS_JSON):
        return None
    try:
        payload = json.loads(bytes(mime.data(LAYERS_JSON)).decode())
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProjectFormatError("The clipboard's layers are not valid JSON.") from None
    if not isinstance(payload, dict):
        raise ProjectFormatError("The clipboard's layers are not a design.")
    part = design_from_dict(payload.get("design"))
    outside = payload.get("outside_shares") or {}
    if not isinstance(outside, dict):
        raise ProjectFormatError("The clipboard's layers are damaged ('outside_shares').")
    for node_id, shared in outside.items():
        if node_id in part.nodes and isinstance(shared, str):
            part.nodes[node_id].shares = shared
    return list(part.nodes.values()), list(part.edges.values())
