"""The stack view as a person uses it: rows, drops, drags to reorder, keys, problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from designer.spec.compile_settings import CompileSettings
from designer.spec.templates import chain, template
from designer.ui.document import Document
from designer.ui.mime import layer_type_mime
from designer.ui.stack.rows import ISSUE_ROLE
from designer.ui.stack.view import BRANCH_MESSAGE, EMPTY_HINT, StackView


@pytest.fixture
def document(qtbot) -> Document:
    return Document()


@pytest.fixture
def view(qtbot, document: Document) -> StackView:
    widget = StackView(document)
    qtbot.addWidget(widget)
    widget.resize(620, 460)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def load(document: Document, qtbot, key: str) -> None:
    with qtbot.waitSignal(document.build_changed):
        document.reset(*template(key).make())


def types_in_stack(document: Document) -> list[str]:
    return [document.design.node(n).type for n in document.stack_order()]


def row_center(view: StackView, row: int) -> QPoint:
    return view.list_view.visualRect(view.model.index(row)).center()


def gap_point(view: StackView, gap: int) -> QPoint:
    """A point just below the top edge of row `gap`: a drop there goes into that gap."""
    rect = view.list_view.visualRect(view.model.index(gap))
    return QPoint(rect.center().x(), rect.top() + 3)


def drag_event(kind: type, pos: QPoint, mime: QMimeData):
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:  # Qt 6.12 takes a QPointF (the QPoint form is deprecated), earlier ones a QPoint
        return kind(QPointF(pos), actions, mime, buttons, mods)
    except TypeError:
        return kind(pos, actions, mime, buttons, mods)


def drag_over(view: StackView, mime: QMimeData, pos: QPoint) -> None:
    target = view.list_view.viewport()
    enter = drag_event(QDragEnterEvent, pos, mime)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, drag_event(QDragMoveEvent, pos, mime))


def drop(view: StackView, mime: QMimeData, pos: QPoint) -> QDropEvent:
    drag_over(view, mime, pos)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    event = QDropEvent(
        QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view.list_view.viewport(), event)
    return event


def click_row(view: StackView, row: int) -> None:
    QTest.mouseClick(
        view.list_view.viewport(), Qt.MouseButton.LeftButton, pos=row_center(view, row)
    )


def test_rows_show_type_settings_shape_and_parameters(
    view: StackView, document: Document, qtbot
) -> None:
    assert view.objectName() == "stackView" and view.accessibleName() == "Stack view"
    load(document, qtbot, "sum_classifier")
    assert view.model.rowCount() == 3
    assert view.row_texts(0) == ("Input 5", "(None, 5)", "0")
    assert view.row_texts(1) == ("Dense 20 · tanh", "(None, 20)", "120")
    assert view.row_texts(2) == ("Dense 1 · tanh", "(None, 1)", "21")
    summary = view.summary_label.text()
    assert "Total params:&nbsp;<b>141</b>" in summary and "Trainable:&nbsp;141" in summary
    # The columns are wide enough for the widest shape: nothing is cut off.
    metrics = view.list_view.fontMetrics()
    assert view.list_view.columns.shape >= metrics.horizontalAdvance("(None, 20)")


def test_drop_from_the_palette_inserts_between_rows(
    view: StackView, document: Document, qtbot
) -> None:
    load(document, qtbot, "sum_classifier")
    mime = layer_type_mime("Dropout")
    drag_over(view, mime, gap_point(view, 2))
    assert view.list_view.drop_index == 2  # the indicator line sits between rows 1 and 2
    event = drop(view, mime, gap_point(view, 2))
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    assert view.list_view.drop_index is None
    assert types_in_stack(document) == ["Input", "Dense", "Dropout", "Dense"]
    assert document.undo_stack.undoText() == "Add Dropout"
    assert view.model.rowCount() == 4
    assert view.row_texts(2)[0] == "Dropout 0.5"
    dropout = document.stack_order()[2]
    assert document.selection.ids == [dropout]
    assert view.list_view.selectionModel().isSelected(view.model.index(2))
    document.undo_stack.undo()
    assert view.model.rowCount() == 3 and view.row_texts(2)[0] == "Dense 1 · tanh"


def test_nothing_goes_above_the_input(view: StackView, document: Document, qtbot) -> None:
    load(document, qtbot, "sum_classifier")
    top = view.list_view.visualRect(view.model.index(0)).topLeft() + QPoint(20, 2)
    drop(view, layer_type_mime("Activation"), top)
    assert types_in_stack(document) == ["Input", "Activation", "Dense", "Dense"]
    # A second Input is refused with a message, and leaves no undo step behind.
    count = document.undo_stack.count()
    with qtbot.waitSignal(view.message_posted):
        drop(view, layer_type_mime("Input"), gap_point(view, 2))
    assert view.message_label.isVisible()
    assert "one Input" in view.message_label.text()
    assert document.undo_stack.count() == count


def test_drag_a_row_to_reorder(view: StackView, document: Document, qtbot) -> None:
    load(document, qtbot, "lab_mlp")
    order = document.stack_order()
    dropout_row = types_in_stack(document).index("Dropout")
    mime = view.list_view.mimeData([view.model.index(dropout_row)])
    assert view.list_view.mimeData([view.model.index(0)]) is None  # the Input does not move
    event = drop(view, mime, gap_point(view, 1))
    assert event.dropAction() == Qt.DropAction.MoveAction
    assert types_in_stack(document)[:3] == ["Input", "Dropout", "Dense"]
    assert document.undo_stack.undoText() == "Move Dropout"
    assert document.selection.ids == [order[dropout_row]]
    assert view.row_texts(1)[0] == "Dropout 0.2"
    document.undo_stack.undo()
    assert document.stack_order() == order


def test_delete_key_and_duplicate_shortcut(view: StackView, document: Document, qtbot) -> None:
    load(document, qtbot, "sum_classifier")
    click_row(view, 1)
    dense = document.stack_order()[1]
    assert document.selection.ids == [dense]

    QTest.keyClick(view.list_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert types_in_stack(document) == ["Input", "Dense", "Dense", "Dense"]
    copy = document.stack_order()[2]
    assert document.design.node(copy).params == document.design.node(dense).params
    assert document.selection.ids == [copy]

    QTest.keyClick(view.list_view, Qt.Key.Key_Delete)
    assert document.stack_order() == [document.stack_order()[0], dense, document.stack_order()[2]]
    assert copy not in document.design.nodes
    assert document.undo_stack.undoText() == "Delete Dense"
    assert view.model.rowCount() == 3


def test_context_menu_deletes_the_row_under_the_mouse(
    view: StackView, document: Document, qtbot
) -> None:
    load(document, qtbot, "lab_mlp")
    dropout_row = types_in_stack(document).index("Dropout")
    pos = row_center(view, dropout_row)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, view.list_view.viewport().mapToGlobal(pos)
    )
    QApplication.sendEvent(view.list_view.viewport(), event)
    menu = view.list_view.findChild(QMenu, "stackContextMenu")
    qtbot.waitUntil(menu.isVisible)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions) == ["Duplicate", "Delete", "Move Up", "Move Down"]
    assert actions["Delete"].shortcut().toString() == "Del"
    actions["Delete"].trigger()
    menu.close()
    assert "Dropout" not in types_in_stack(document)
    assert document.undo_stack.undoText() == "Delete Dropout"


def test_alt_arrows_move_the_selected_layer(view: StackView, document: Document, qtbot) -> None:
    load(document, qtbot, "lab_mlp")
    dropout = document.stack_order()[5]
    document.selection.set([dropout])
    view.list_view.setFocus()
    QTest.keyClick(view.list_view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert document.stack_order()[4] == dropout
    assert document.undo_stack.undoText() == "Move Dropout"


def test_selection_is_shared_both_ways_and_kept_across_updates(
    view: StackView, document: Document, qtbot
) -> None:
    load(document, qtbot, "lab_mlp")
    order = document.stack_order()
    document.selection.set([order[3]])  # e.g. selected in the graph view
    selection = view.list_view.selectionModel()
    assert [i.row() for i in selection.selectedRows()] == [3]

    view.resize(620, 200)  # small enough to scroll
    QApplication.processEvents()
    scrollbar = view.list_view.verticalScrollBar()
    scrollbar.setValue(scrollbar.maximum())
    position = scrollbar.value()
    assert position > 0
    with qtbot.waitSignal(document.build_changed):
        document.set_param(order[1], "units", 30)
    assert view.row_texts(1)[0] == "Dense 30"
    assert view.row_texts(1)[2] == "23,550"
    assert [i.row() for i in selection.selectedRows()] == [3]
    assert scrollbar.value() == position


def test_invalid_layer_shows_a_red_marker_and_the_engine_message(
    view: StackView, document: Document, qtbot
) -> None:
    design = chain(
        [("Input", {"shape": (10,)}), ("Reshape", {"target_shape": (3, 4)}), ("Dense", {})]
    )
    with qtbot.waitSignal(document.build_changed):
        document.reset(design, CompileSettings())
    reshape = document.stack_order()[1]
    (issue,) = document.build_result.issues_for(reshape)
    index = view.model.index(1)
    assert index.data(ISSUE_ROLE) == issue.message
    assert "target shape" in issue.message
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "must equal the size" in tooltip and issue.hint in tooltip
    assert view.row_texts(1)[1:] == ("", "")  # not built: drawn as dashes
    assert "1 problem" in view.summary_label.text()
    # The marker: the row's accent stripe and the badge's corner are drawn in red.
    image = view.list_view.viewport().grab().toImage()
    rect = view.list_view.visualRect(index)
    stripe = QColor(image.pixel(view.list_view.columns.margin + 2, rect.center().y()))
    assert stripe.red() > 150 and stripe.green() < 90 and stripe.blue() < 90
    healthy = view.list_view.visualRect(view.model.index(0))
    stripe = QColor(image.pixel(view.list_view.columns.margin + 2, healthy.center().y()))
    assert not (stripe.red() > 150 and stripe.green() < 90)
    # Issue rows are taller: the message has a line of its own.
    assert rect.height() > healthy.height()


def test_branching_design_shows_a_message_and_a_way_to_the_graph(
    view: StackView, document: Document, qtbot
) -> None:
    load(document, qtbot, "branching")
    assert view.is_branching()
    assert not view.list_view.isVisible()
    assert view.branch_label.isVisible() and view.branch_label.text() == BRANCH_MESSAGE
    with qtbot.waitSignal(view.graph_view_requested):
        QTest.mouseClick(view.graph_button, Qt.MouseButton.LeftButton)
    load(document, qtbot, "sum_classifier")
    assert not view.is_branching() and view.list_view.isVisible()


def test_empty_design_shows_a_hint_and_takes_a_first_drop(
    view: StackView, document: Document, qtbot
) -> None:
    hint = view.list_view.hint_label
    assert hint.isVisible() and EMPTY_HINT in hint.text()
    drop(view, layer_type_mime("Dense"), view.list_view.viewport().rect().center())
    assert types_in_stack(document) == ["Input", "Dense"]
    assert view.model.rowCount() == 2
    assert not hint.isVisible()


def test_refused_edit_shows_a_banner_not_a_traceback(
    view: StackView, document: Document, qtbot
) -> None:
    load(document, qtbot, "sum_classifier")
    document.set_locked("Training is running: stop it to change the design.")
    click_row(view, 2)
    with qtbot.waitSignal(view.message_posted):
        QTest.keyClick(view.list_view, Qt.Key.Key_Delete)
    assert view.message_label.isVisible()
    assert view.message_label.text().startswith("Training is running")
    assert len(document.design.nodes) == 3


def test_stack_view_renders_to_png(view: StackView, document: Document, qtbot, tmp_path: Path):
    load(document, qtbot, "mnist_cnn")
    path = tmp_path / "stack.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 5000
