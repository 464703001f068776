"""The layer palette as a person uses it: filter, double-click or Enter to append, drag."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from designer.spec.catalog import catalog
from designer.spec.templates import template
from designer.ui.document import Document
from designer.ui.mime import LAYER_TYPE, layer_type_from
from designer.ui.palette import PaletteWidget
from designer.ui.stack.view import StackView


@pytest.fixture
def document(qtbot) -> Document:
    return Document()


@pytest.fixture
def palette(qtbot, document: Document) -> PaletteWidget:
    widget = PaletteWidget(document)
    qtbot.addWidget(widget)
    widget.resize(260, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def types_in_stack(document: Document) -> list[str]:
    return [document.design.node(n).type for n in document.stack_order()]


def palette_order() -> list[str]:
    return [t.name for types in catalog().by_category().values() for t in types]


def matching(text: str) -> list[str]:
    summaries = {t.name: t.summary for t in catalog().types()}
    return [n for n in palette_order() if text in f"{n} {summaries[n]}".lower()]


def double_click(palette: PaletteWidget, type_name: str) -> None:
    item = palette.item_for_type(type_name)
    center = palette.tree.visualItemRect(item).center()
    # What a double-click delivers: a first click, then the second press as a double-click.
    QTest.mouseClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=center)
    QTest.mouseDClick(palette.tree.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_widgets_are_named_for_tests_and_screen_readers(palette: PaletteWidget) -> None:
    assert palette.objectName() == "palette"
    assert palette.accessibleName() == "Layer palette"
    assert palette.filter_edit.objectName() == "paletteFilter"
    assert palette.filter_edit.placeholderText() == "Filter layers…"
    assert palette.tree.objectName() == "paletteTree"


def test_every_catalog_type_is_listed_under_its_category(palette: PaletteWidget) -> None:
    groups = {
        palette.tree.topLevelItem(i).text(0): palette.tree.topLevelItem(i)
        for i in range(palette.tree.topLevelItemCount())
    }
    assert list(groups) == list(catalog().by_category())
    for category, types in catalog().by_category().items():
        group = groups[category]
        assert [group.child(i).text(0) for i in range(group.childCount())] == [
            t.name for t in types
        ]
    assert palette.visible_types() == palette_order()
    dense = palette.item_for_type("Dense")
    assert not dense.icon(0).isNull()
    assert catalog()["Dense"].summary.split(":")[0] in dense.toolTip(0)
    assert "Units" in dense.toolTip(0) and "Activation" in dense.toolTip(0)


def test_typing_in_the_filter_shows_only_matching_layers(palette: PaletteWidget, qtbot) -> None:
    QTest.keyClicks(palette.filter_edit, "conv")
    assert palette.visible_types() == matching("conv")
    assert "Dense" not in palette.visible_types()
    if "Conv2D" in catalog():
        assert "Conv2D" in palette.visible_types()
    merge = palette.item_for_type("Add").parent()
    assert merge.isHidden()  # a group with nothing left is hidden too

    palette.filter_edit.clear()
    QTest.keyClicks(palette.filter_edit, "DENSE")  # any case
    assert palette.visible_types() == matching("dense")
    assert "Dense" in palette.visible_types()

    palette.filter_edit.clear()
    QTest.keyClicks(palette.filter_edit, "no such layer")
    assert palette.visible_types() == []
    assert palette.no_match_label.isVisible()
    assert "no such layer" in palette.no_match_label.text()

    QTest.keyClick(palette.filter_edit, Qt.Key.Key_Escape)
    assert palette.filter_edit.text() == ""
    assert len(palette.visible_types()) == len(catalog().types())
    assert not palette.no_match_label.isVisible()


def test_double_click_on_empty_design_starts_a_stack(
    palette: PaletteWidget, document: Document, qtbot
) -> None:
    stack = StackView(document)
    qtbot.addWidget(stack)
    stack.show()
    with qtbot.waitSignal(palette.layer_activated) as activated:
        double_click(palette, "Dense")
    assert activated.args == ["Dense"]
    assert types_in_stack(document) == ["Input", "Dense"]
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Add Dense"
    assert stack.model.rowCount() == 2
    assert stack.row_texts(1)[0] == "Dense 32"
    assert document.selection.ids == [document.stack_order()[1]]  # ready to edit


def test_enter_in_the_filter_appends_the_first_match(
    palette: PaletteWidget, document: Document
) -> None:
    document.reset(*template("sum_classifier").make())
    QTest.keyClicks(palette.filter_edit, "dropout")
    QTest.keyClick(palette.filter_edit, Qt.Key.Key_Return)
    assert types_in_stack(document) == ["Input", "Dense", "Dense", "Dropout"]
    assert document.undo_stack.undoText() == "Add Dropout"


def test_enter_on_a_tree_item_appends_it(palette: PaletteWidget, document: Document) -> None:
    document.reset(*template("sum_classifier").make())
    palette.tree.setFocus()
    palette.tree.setCurrentItem(palette.item_for_type("Activation"))
    QTest.keyClick(palette.tree, Qt.Key.Key_Return)
    assert types_in_stack(document)[-1] == "Activation"


def test_in_a_branching_design_double_click_adds_a_free_layer(
    palette: PaletteWidget, document: Document
) -> None:
    document.reset(*template("branching").make())
    before = set(document.design.nodes)
    double_click(palette, "Dense")
    (new,) = set(document.design.nodes) - before
    assert document.design.node(new).type == "Dense"
    assert not document.design.inputs_of(new)  # unconnected, for the graph view to wire
    assert document.undo_stack.undoText() == "Add Dense"


def test_refused_edits_become_messages(palette: PaletteWidget, document: Document, qtbot) -> None:
    document.reset(*template("sum_classifier").make())
    with qtbot.waitSignal(palette.message_posted) as message:
        double_click(palette, "Input")
    assert message.args == ["A stack has one Input, at the top."]
    assert document.undo_stack.count() == 0

    document.set_locked("Training is running: stop it to change the design.")
    with qtbot.waitSignal(palette.message_posted) as message:
        double_click(palette, "Dense")
    assert "Training is running" in message.args[0]
    assert len(document.design.nodes) == 3


def test_drag_carries_the_layer_type(palette: PaletteWidget) -> None:
    tree = palette.tree
    assert tree.mimeTypes() == [LAYER_TYPE]
    mime = tree.mimeData([palette.item_for_type("Dropout")])
    assert layer_type_from(mime) == "Dropout"
    group = palette.item_for_type("Dropout").parent()
    assert not group.flags() & Qt.ItemFlag.ItemIsDragEnabled  # headers do not drag
    assert tree.mimeData([group]) is None


def test_palette_renders_to_png(palette: PaletteWidget, tmp_path: Path) -> None:
    path = tmp_path / "palette.png"
    assert palette.grab().save(str(path))
    assert path.stat().st_size > 2000
