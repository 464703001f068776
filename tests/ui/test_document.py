"""The document's intents: each is one undoable step that views observe by signals."""

from __future__ import annotations

import pytest

from designer.spec import DesignError, ParamError
from designer.spec.templates import template
from designer.ui.document import Document


@pytest.fixture
def document(qtbot) -> Document:
    return Document()


def types_in_stack(document: Document) -> list[str]:
    return [document.design.node(n).type for n in document.stack_order()]


def test_dropping_into_an_empty_stack_adds_an_input_first(document: Document) -> None:
    document.insert_in_stack("Dense")
    assert types_in_stack(document) == ["Input", "Dense"]
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Add Dense"
    document.undo_stack.undo()
    assert document.design.nodes == {}


def test_insert_move_delete_in_a_stack_and_undo_each(document: Document) -> None:
    document.reset(*template("sum_classifier").make())
    dropout = document.insert_in_stack("Dropout", 2)
    assert types_in_stack(document) == ["Input", "Dense", "Dropout", "Dense"]
    document.move_in_stack(dropout, 1)
    assert types_in_stack(document) == ["Input", "Dropout", "Dense", "Dense"]
    document.remove_layers([dropout])
    assert types_in_stack(document) == ["Input", "Dense", "Dense"]
    document.undo_stack.undo()
    assert types_in_stack(document) == ["Input", "Dropout", "Dense", "Dense"]
    document.undo_stack.undo()
    assert types_in_stack(document) == ["Input", "Dense", "Dropout", "Dense"]
    document.undo_stack.undo()
    assert types_in_stack(document) == ["Input", "Dense", "Dense"]
    document.undo_stack.redo()
    assert types_in_stack(document) == ["Input", "Dense", "Dropout", "Dense"]


def test_set_param_is_checked_undoable_and_rebuilds(document: Document, qtbot) -> None:
    document.reset(*template("sum_classifier").make())
    dense = document.stack_order()[1]
    with qtbot.waitSignal(document.build_changed):
        document.set_param(dense, "units", 32)
    assert document.build_result.nodes[dense].output_shape == (None, 32)
    assert document.undo_stack.undoText() == "Set units of Dense"
    with pytest.raises(ParamError):
        document.set_param(dense, "units", 0)
    document.undo_stack.undo()
    assert document.build_result.nodes[dense].output_shape == (None, 20)
    count = document.undo_stack.count()
    document.set_param(dense, "units", 20)  # unchanged: no command
    assert document.undo_stack.count() == count


def test_connect_and_disconnect_in_a_graph(document: Document) -> None:
    a = document.add_layer("Input", {"shape": (3,)})
    b = document.add_layer("Dense", {"units": 2})
    edge = document.connect(a, b)
    assert document.build_result.ok
    with pytest.raises(DesignError, match="already connected"):
        document.connect(a, b)
    document.disconnect([edge])
    assert not document.build_result.ok
    document.undo_stack.undo()
    assert document.build_result.ok


def test_duplicate_and_paste(document: Document) -> None:
    document.reset(*template("sum_classifier").make())
    dense = document.stack_order()[1]
    copy = document.duplicate_layer(dense)
    assert document.design.node(copy).params == document.design.node(dense).params
    assert types_in_stack(document) == ["Input", "Dense", "Dense", "Dense"]
    nodes = [document.design.node(n) for n in document.stack_order()[:2]]
    edges = list(document.design.edges.values())
    new_ids = document.paste(nodes, edges, (300.0, 0.0))
    assert len(new_ids) == 2 and len(document.design.nodes) == 6


def test_locked_document_refuses_edits(document: Document) -> None:
    document.reset(*template("sum_classifier").make())
    document.set_locked("Training is running: stop it to change the design.")
    with pytest.raises(DesignError, match="Training is running"):
        document.insert_in_stack("Dense")
    document.set_locked("")
    document.insert_in_stack("Dense")
