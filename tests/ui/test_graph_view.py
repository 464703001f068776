"""The graph view as a person uses it: drop, wire, move, select, delete, copy, zoom, look."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QWheelEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from designer.spec.design import Design
from designer.spec.templates import template
from designer.ui.document import Document
from designer.ui.graph import GraphScene, GraphView, style
from designer.ui.graph.clipboard import clear_clipboard_if_ours
from designer.ui.mime import LAYERS_JSON, layer_type_mime

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


# -- helpers -----------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _empty_clipboard_afterwards(qapp) -> Iterator[None]:
    """Copied layers must not outlive Python (see clipboard.put_on_clipboard)."""
    yield
    clear_clipboard_if_ours()


@pytest.fixture
def document(qtbot) -> Document:
    return Document()


@pytest.fixture
def view(qtbot, document: Document) -> GraphView:
    widget = GraphView(document)
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def settle(qtbot, document: Document) -> None:
    """Let the document announce its build (a zero-delay timer; views redraw on it)."""
    qtbot.wait(10)


def load(qtbot, document: Document, design_or_key: str | Design) -> None:
    if isinstance(design_or_key, str):
        document.reset(*template(design_or_key).make())
    else:
        document.reset(design_or_key, template("empty").make()[1])
    settle(qtbot, document)


def scene_of(view: GraphView) -> GraphScene:
    return view.graph_scene


def at(view: GraphView, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


def drag(view: GraphView, start: QPoint, end: QPoint, modifier=NO_MOD, steps: int = 6) -> None:
    viewport = view.viewport()
    QTest.mousePress(viewport, LEFT, modifier, start)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, LEFT, modifier, end)


def drop(view: GraphView, mime: QMimeData, pos: QPoint) -> tuple[bool, bool]:
    """Send enter, move and drop as a real drag would; returns (entered, dropped)."""
    copy = Qt.DropAction.CopyAction
    with warnings.catch_warnings():  # QPoint: the signature every PySide6 6.x has
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(pos, copy, mime, LEFT, NO_MOD)
        move = QDragMoveEvent(pos, copy, mime, LEFT, NO_MOD)
    QApplication.sendEvent(view.viewport(), enter)
    if not enter.isAccepted():
        return False, False
    QApplication.sendEvent(view.viewport(), move)
    event = QDropEvent(QPointF(pos), copy, mime, LEFT, NO_MOD)
    QApplication.sendEvent(view.viewport(), event)
    return True, event.isAccepted()


def two_layers(qtbot, document: Document, *more: str) -> list[str]:
    """An Input (3 values) and a Dense below it, unconnected, plus `more` layers in a row."""
    ids = [
        document.add_layer("Input", {"shape": (3,)}, (0.0, 0.0)),
        document.add_layer("Dense", {"units": 4}, (0.0, 160.0)),
    ]
    for index, layer_type in enumerate(more):
        ids.append(document.add_layer(layer_type, None, (240.0 * (index + 1), 160.0)))
    settle(qtbot, document)
    return ids


def overlapping(view: GraphView) -> list[tuple[str, str]]:
    items = scene_of(view).node_items()
    return [
        (a.node_id, b.node_id)
        for i, a in enumerate(items)
        for b in items[i + 1 :]
        if a.mapRectToScene(a.body_rect()).intersects(b.mapRectToScene(b.body_rect()))
    ]


# -- dropping from the palette -------------------------------------------------------------
def test_dropping_a_layer_type_adds_a_node_where_it_was_dropped(view, document, qtbot) -> None:
    entered, dropped = drop(view, layer_type_mime("Dense"), QPoint(300, 200))
    assert entered and dropped
    assert document.undo_stack.undoText() == "Add Dense"
    (node_id,) = document.design.nodes
    item = scene_of(view).item_for_node(node_id)
    assert scene_of(view).node_for_item(item) == node_id
    assert item.isSelected() and document.selection.ids == [node_id]
    expected = view.mapToScene(QPoint(300, 200))
    assert abs(item.pos().x() - expected.x()) < 1 and abs(item.pos().y() - expected.y()) < 1
    settle(qtbot, document)
    assert item.title == "Dense 32"
    assert item.has_error  # nothing feeds it yet
    assert "input port" in item.toolTip()


def test_drags_without_a_layer_type_are_refused(view, document) -> None:
    text = QMimeData()
    text.setText("Dense")
    assert drop(view, text, QPoint(200, 200)) == (False, False)
    assert document.design.nodes == {}


# -- wiring -------------------------------------------------------------------------------
def test_dragging_from_an_output_to_an_input_connects(view, document, qtbot) -> None:
    source, target = two_layers(qtbot, document)
    scene = scene_of(view)
    start = at(view, scene.item_for_node(source).output_anchor())
    end = at(view, scene.item_for_node(target).input_anchor(0))
    drag(view, start, end)
    (edge,) = document.design.edges.values()
    assert (edge.source, edge.target, edge.port) == (source, target, 0)
    assert document.undo_stack.undoText() == "Connect"
    assert scene.item_for_edge(edge.id) is not None and scene.wire_item is None
    settle(qtbot, document)
    assert document.build_result.ok
    dense = scene.item_for_node(target)
    assert dense.detail == "(None, 4) · 16 params" and not dense.has_error
    assert scene.item_for_node(source).detail == "(None, 3)"


def test_dropping_a_wire_on_a_merge_body_uses_its_first_free_port(view, document, qtbot) -> None:
    source, dense, merge, other = two_layers(qtbot, document, "Concatenate", "Dense")
    document.connect(source, dense)
    document.connect(source, other)
    scene = scene_of(view)
    merge_item = scene.item_for_node(merge)
    assert sorted(merge_item.input_ports) == [0, 1]  # needs two
    for feeding in (dense, other):
        start = at(view, scene.item_for_node(feeding).output_anchor())
        drag(view, start, at(view, merge_item.pos() + QPointF(0, 8)))
    assert [(e.source, e.port) for e in document.design.inputs_of(merge)] == [
        (dense, 0),
        (other, 1),
    ]
    assert sorted(merge_item.input_ports) == [0, 1, 2]  # one per input plus a free one
    settle(qtbot, document)
    assert merge_item.detail == "(None, 36)"

    subtract = document.add_layer("Subtract", None, (0.0, 400.0))
    assert sorted(scene.item_for_node(subtract).input_ports) == [0, 1]


def test_an_invalid_target_turns_the_wire_red_and_says_why(view, document, qtbot) -> None:
    source, dense = two_layers(qtbot, document)
    document.connect(source, dense)
    count = document.undo_stack.count()
    scene = scene_of(view)
    viewport = view.viewport()
    start = at(view, scene.item_for_node(dense).output_anchor())
    QTest.mousePress(viewport, LEFT, NO_MOD, start)
    QTest.mouseMove(viewport, start + QPoint(40, 40))
    wire = scene.wire_item
    assert wire is not None and wire.state == "pending"
    over_input = at(view, scene.item_for_node(source).pos())
    QTest.mouseMove(viewport, over_input)
    assert wire.invalid and wire.color() == style.ERROR
    assert "take no input" in view.statusTip()
    assert view.feedback.isVisible() and view.feedback.is_error
    assert "take no input" in view.feedback.text()
    QTest.mouseRelease(viewport, LEFT, NO_MOD, over_input)
    assert scene.wire_item is None and not view.feedback.isVisible()
    assert document.undo_stack.count() == count


def test_a_wire_turns_green_over_a_free_port_and_release_elsewhere_cancels(
    view, document, qtbot
) -> None:
    source, dense = two_layers(qtbot, document)
    scene = scene_of(view)
    viewport = view.viewport()
    QTest.mousePress(viewport, LEFT, NO_MOD, at(view, scene.item_for_node(source).output_anchor()))
    QTest.mouseMove(viewport, at(view, scene.item_for_node(dense).input_anchor(0)))
    assert scene.wire_item.state == "valid"
    assert scene.item_for_node(dense).input_ports[0].highlight == "valid"
    QTest.mouseMove(viewport, QPoint(850, 40))  # empty canvas
    QTest.mouseRelease(viewport, LEFT, NO_MOD, QPoint(850, 40))
    assert document.design.edges == {} and scene.wire_item is None


# -- moving and selecting ------------------------------------------------------------------
def test_moving_a_node_is_one_move_command_and_wires_follow(view, document, qtbot) -> None:
    source, dense = two_layers(qtbot, document)
    document.connect(source, dense)
    scene = scene_of(view)
    item = scene.item_for_node(dense)
    edge_item = scene.edge_items()[0]
    count = document.undo_stack.count()
    start = at(view, item.pos())
    viewport = view.viewport()
    QTest.mousePress(viewport, LEFT, NO_MOD, start)
    for step in range(1, 9):
        QTest.mouseMove(viewport, start + QPoint(15 * step, 5 * step))
        assert edge_item.path().pointAtPercent(1.0) == item.input_anchor(0)  # wire follows
    assert document.undo_stack.count() == count  # nothing recorded while dragging
    QTest.mouseRelease(viewport, LEFT, NO_MOD, start + QPoint(120, 40))
    assert document.undo_stack.count() == count + 1
    assert document.undo_stack.undoText() == "Move"
    x, y = document.design.node(dense).position
    assert (x, y) == (item.pos().x(), item.pos().y()) and x > 50
    assert edge_item.path().pointAtPercent(1.0) == item.input_anchor(0)
    document.undo_stack.undo()
    assert item.pos() == QPointF(0.0, 160.0)
    assert edge_item.path().pointAtPercent(1.0) == item.input_anchor(0)


def test_selection_is_shared_with_the_document(view, document, qtbot) -> None:
    first, second, third = two_layers(qtbot, document, "Dense")
    scene = scene_of(view)
    QTest.mouseClick(view.viewport(), LEFT, NO_MOD, at(view, scene.item_for_node(first).pos()))
    assert document.selection.ids == [first]
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.mouseClick(view.viewport(), LEFT, ctrl, at(view, scene.item_for_node(third).pos()))
    assert document.selection.ids == [first, third]
    document.selection.set([second])  # e.g. clicked in the stack view
    assert [i.node_id for i in scene.node_items() if i.isSelected()] == [second]
    # A rubber band around the two lower layers selects both.
    rect = (
        scene.item_for_node(second)
        .sceneBoundingRect()
        .united(scene.item_for_node(third).sceneBoundingRect())
    )
    drag(view, at(view, rect.topLeft() - QPointF(20, 20)), at(view, rect.bottomRight()))
    assert sorted(document.selection.ids) == sorted([second, third])


# -- deleting, copying, undo ---------------------------------------------------------------
def test_delete_key_removes_selected_layers_and_wires_and_undo_restores(
    view, document, qtbot
) -> None:
    load(qtbot, document, "branching")
    scene = scene_of(view)
    nodes, edges = len(document.design.nodes), len(document.design.edges)
    merge = next(n.id for n in document.design.nodes.values() if n.type == "Concatenate")
    scene.select_nodes([merge])
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert merge not in document.design.nodes and scene.item_for_node(merge) is None
    assert len(scene.edge_items()) == len(document.design.edges) == edges - 3
    document.undo_stack.undo()
    assert scene.item_for_node(merge) is not None
    assert len(scene.edge_items()) == edges and len(scene.node_items()) == nodes
    document.undo_stack.redo()
    assert scene.item_for_node(merge) is None
    document.undo_stack.undo()

    # A wire: click on its middle, then Delete.
    wire = scene.edge_items()[0]
    QTest.mouseClick(view.viewport(), LEFT, NO_MOD, at(view, wire.path().pointAtPercent(0.5)))
    assert wire.isSelected() and view.delete_action.isEnabled()
    view.delete_action.trigger()
    assert wire.edge_id not in document.design.edges
    assert document.undo_stack.undoText() == "Disconnect"


def test_copy_and_paste_layers_with_the_wires_among_them(view, document, qtbot) -> None:
    load(qtbot, document, "sum_classifier")
    scene = scene_of(view)
    first, second, _ = document.stack_order()
    scene.select_nodes([first, second])
    view.copy_action.trigger()
    payload = json.loads(bytes(QGuiApplication.clipboard().mimeData().data(LAYERS_JSON)))
    assert len(payload["design"]["nodes"]) == 2 and len(payload["design"]["edges"]) == 1
    view.paste_action.trigger()
    assert len(document.design.nodes) == 5 and len(document.design.edges) == 3
    assert document.undo_stack.undoText() == "Paste 2 layers"
    pasted = document.selection.ids
    assert len(pasted) == 2 and not set(pasted) & {first, second}

    def positions(ids: list[str]) -> list[tuple[float, float]]:
        return sorted(document.design.node(n).position for n in ids)

    originals = positions([first, second])
    copies = positions(pasted)
    assert [y for _, y in copies] == [y for _, y in originals]  # beside them ...
    assert all(cx > ox for (cx, _), (ox, _) in zip(copies, originals, strict=True))
    view.paste_action.trigger()  # ... and a second paste beside those
    assert min(x for x, _ in positions(document.selection.ids)) > max(x for x, _ in copies)
    assert overlapping(view) == []
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert len(scene.node_items()) == 3 and len(scene.edge_items()) == 2


def test_duplicate_copies_the_selected_layer(view, document, qtbot) -> None:
    load(qtbot, document, "branching")
    scene = scene_of(view)
    dense = next(n for n in document.design.nodes.values() if n.type == "Dense")
    scene.select_nodes([dense.id])
    view.duplicate_action.trigger()
    (copy,) = document.selection.ids
    assert copy != dense.id and document.design.node(copy).params == dense.params
    assert scene.item_for_node(copy).isSelected()
    assert overlapping(view) == []
    scene.select_nodes(list(document.design.nodes)[:3])
    view.duplicate_action.trigger()
    assert len(document.selection.ids) == 3 and overlapping(view) == []


def test_refused_edits_show_a_message_not_an_exception(view, document, qtbot) -> None:
    load(qtbot, document, "sum_classifier")
    document.set_locked("Training is running: stop it to change the design.")
    assert not view.delete_action.isEnabled()
    drop(view, layer_type_mime("Dense"), QPoint(100, 100))
    assert len(document.design.nodes) == 3
    assert view.feedback.isVisible() and "Training is running" in view.feedback.text()
    assert "Training is running" in view.statusTip()
    item = scene_of(view).item_for_node(document.stack_order()[1])
    start = at(view, item.pos())
    drag(view, start, start + QPoint(80, 0))
    assert item.pos() == QPointF(*document.design.node(item.node_id).position)
    assert document.undo_stack.count() == 0


def test_double_click_activates_a_layer(view, document, qtbot) -> None:
    load(qtbot, document, "sum_classifier")
    dense = document.stack_order()[1]
    with qtbot.waitSignal(view.node_activated) as signal:
        point = at(view, scene_of(view).item_for_node(dense).pos())
        QTest.mouseDClick(view.viewport(), LEFT, NO_MOD, point)
    assert signal.args == [dense]


# -- build state on the nodes -----------------------------------------------------------------
def test_a_layer_the_engine_rejects_is_red_with_the_message(view, document, qtbot) -> None:
    design = Design()
    inputs = design.add_node("Input", {"shape": (3,)}, position=(0, 0))
    left = design.add_node("Dense", {"units": 4}, position=(-110, 110))
    right = design.add_node("Dense", {"units": 5}, position=(110, 110))
    add = design.add_node("Add", position=(0, 220))
    for a, b in ((inputs, left), (inputs, right), (left, add), (right, add)):
        design.connect(a.id, b.id)
    load(qtbot, document, design)
    item = scene_of(view).item_for_node(add.id)
    (issue,) = document.build_result.issues_for(add.id)
    assert item.has_error and item.border_color() == style.ERROR
    assert issue.message in item.toolTip() and issue.hint in item.toolTip()
    assert not scene_of(view).item_for_node(left.id).has_error
    document.set_param(right.id, "units", 4)
    settle(qtbot, document)
    assert not item.has_error and item.detail == "(None, 4)"


def test_a_shared_layer_is_marked_and_linked(view, document, qtbot) -> None:
    load(qtbot, document, "shared_layer")
    scene = scene_of(view)
    sharer = next(n for n in document.design.nodes.values() if n.shares)
    item = scene.item_for_node(sharer.id)
    assert item.is_shared and item.caption == "shares weights with Dense 8 · tanh"
    link = scene.share_link_for(sharer.id)
    assert link is not None and link.shared is scene.item_for_node(sharer.shares)
    assert not scene.item_for_node(sharer.shares).is_shared
    assert "params" not in item.detail  # a second use adds no weights
    subtract = next(n.id for n in document.design.nodes.values() if n.type == "Subtract")
    assert sorted(scene.item_for_node(subtract).input_ports) == [0, 1]


# -- zoom, fit and layout -----------------------------------------------------------------
def test_zoom_is_limited_and_fit_and_auto_layout_leave_no_overlaps(view, document, qtbot) -> None:
    load(qtbot, document, "branching")
    scene = scene_of(view)
    for _ in range(20):
        view.zoom_in_action.trigger()
    assert view.zoom() == pytest.approx(style.MAX_ZOOM)
    for _ in range(30):
        view.zoom_out_action.trigger()
    assert view.zoom() == pytest.approx(style.MIN_ZOOM)
    # Pile every layer on one spot, then let auto-layout sort them out.
    document.move_nodes({n: (0.0, 0.0) for n in document.design.nodes}, {
        n.id: n.position for n in document.design.nodes.values()
    })  # fmt: skip
    assert overlapping(view)
    view.layout_action.trigger()
    assert overlapping(view) == []
    assert document.undo_stack.undoText() == "Move"
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(scene.nodes_rect())
    view.zoom_in_action.trigger()
    view.fit_action.trigger()
    assert visible.contains(scene.nodes_rect()) and view.zoom() <= 1.0


def test_wheel_zooms(view, document, qtbot) -> None:
    load(qtbot, document, "sum_classifier")
    before = view.zoom()
    QTest.mouseMove(view.viewport(), QPoint(400, 300))
    event = QWheelEvent(
        QPointF(400, 300),
        QPointF(view.viewport().mapToGlobal(QPoint(400, 300))),
        QPoint(),
        QPoint(0, -240),
        Qt.MouseButton.NoButton,
        NO_MOD,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() < before


def test_middle_button_and_space_drag_pan_without_editing(view, document, qtbot) -> None:
    load(qtbot, document, "sum_classifier")
    viewport = view.viewport()
    centre = QPoint(450, 320)

    def seen() -> QPointF:
        return view.mapToScene(centre)

    before = seen()
    middle = Qt.MouseButton.MiddleButton
    QTest.mousePress(viewport, middle, NO_MOD, QPoint(700, 500))
    QTest.mouseMove(viewport, QPoint(650, 450))
    QTest.mouseMove(viewport, QPoint(600, 400))
    QTest.mouseRelease(viewport, middle, NO_MOD, QPoint(600, 400))
    assert seen().x() > before.x() + 50 and seen().y() > before.y() + 50

    before = seen()
    empty = QPoint(820, 80)
    assert view.itemAt(empty) is None
    QTest.keyPress(viewport, Qt.Key.Key_Space)
    drag(view, empty, empty + QPoint(-100, 0))
    QTest.keyRelease(viewport, Qt.Key.Key_Space)
    assert seen().x() > before.x() + 50
    assert view.dragMode() == view.DragMode.RubberBandDrag
    assert document.undo_stack.count() == 0 and document.selection.ids == []


# -- how it looks ------------------------------------------------------------------------------
def test_renders_a_template_to_png(view, document, qtbot, tmp_path: Path) -> None:
    load(qtbot, document, "shared_layer")
    path = tmp_path / "graph.png"
    assert view.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() >= 800 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, 600, 9)}
    assert len(colours) > 20  # cards, text and wires, not a blank canvas
