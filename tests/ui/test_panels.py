"""Property editor, compile panel and summary panel, used as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from designer.spec.compile_settings import OPTIMIZERS
from designer.spec.templates import template
from designer.ui.compile_panel import CompilePanel
from designer.ui.document import Document
from designer.ui.model_summary_panel import SummaryPanel
from designer.ui.property_editor import PropertyEditor


@pytest.fixture
def document(qtbot) -> Document:
    document = Document()
    document.reset(*template("sum_classifier").make())
    return document


def settle(qtbot, document: Document) -> None:
    qtbot.waitUntil(lambda: document._build is not None and not document._build_timer.isActive())


def type_into(qtbot, field: QLineEdit, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Click into a field, replace its text by typing, then press Enter (or Tab)."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, key)


def test_property_editor_follows_selection_and_edits_are_undoable(qtbot, document) -> None:
    editor = PropertyEditor(document)
    qtbot.addWidget(editor)
    editor.show()
    dense = document.stack_order()[1]
    document.selection.set([dense])
    units = editor.findChild(QLineEdit, "param_units")
    assert units.text() == "20"
    type_into(qtbot, units, "32")
    assert document.design.node(dense).params["units"] == 32
    assert document.undo_stack.undoText() == "Set units of Dense"
    activation = editor.findChild(QComboBox, "param_activation")
    activation.setCurrentIndex(activation.findText("relu"))  # as picking it from the list does
    assert document.design.node(dense).params["activation"] == "relu"
    settle(qtbot, document)
    assert "(None, 32)" in editor.findChild(type(editor.status), "propertyStatus").text()
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert units.text() == "20"  # the editor shows what undo restored


@pytest.fixture
def dense_units(qtbot, document) -> tuple[PropertyEditor, QLineEdit, str]:
    """A shown property editor with the first Dense layer selected, and its units field."""
    editor = PropertyEditor(document)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    dense = document.stack_order()[1]
    document.selection.set([dense])
    return editor, editor.findChild(QLineEdit, "param_units"), dense


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-1", "Units: expected a positive integer, received -1."),
        ("1e309", "Units: expected a whole number, received '1e309'."),
        ("2.5", "Units: expected a whole number, received '2.5'."),
        ("abc", "Units: expected a whole number, received 'abc'."),
        ("200000", "Units: must be at most 100000; received 200000."),
    ],
)
def test_property_editor_keeps_unusable_numbers_as_typed_and_never_commits_them(
    qtbot, document, dense_units, typed: str, reason: str
) -> None:
    editor, units, dense = dense_units
    before = {n.id: dict(n.params) for n in document.design.nodes.values()}
    undo_steps = document.undo_stack.count()
    message = editor.findChild(QLabel, "propertyMessage")
    type_into(qtbot, units, typed)
    assert units.text() == typed  # nothing clamped, nothing dropped
    assert "border" in units.styleSheet() and units.toolTip() == reason
    assert editor.fields["units"].error == reason and message.text() == reason
    assert document.undo_stack.count() == undo_steps
    assert {n.id: dict(n.params) for n in document.design.nodes.values()} == before
    qtbot.keyClick(units, Qt.Key.Key_Tab)  # leaving the field keeps the text and the mark
    assert not units.hasFocus() and units.text() == typed and "border" in units.styleSheet()
    assert document.undo_stack.count() == undo_steps

    type_into(qtbot, units, "64", Qt.Key.Key_Tab)
    assert units.text() == "64" and units.styleSheet() == "" and message.text() == ""
    assert document.design.node(dense).params["units"] == 64
    assert document.undo_stack.count() == undo_steps + 1
    type_into(qtbot, units, "64")  # the same value again is no edit
    assert document.undo_stack.count() == undo_steps + 1


def test_escape_brings_back_the_committed_value_and_arrows_step(qtbot, document, dense_units):
    editor, units, dense = dense_units
    qtbot.mouseClick(units, Qt.MouseButton.LeftButton)
    units.selectAll()
    qtbot.keyClicks(units, "0")
    assert "border" in units.styleSheet()
    qtbot.keyClick(units, Qt.Key.Key_Escape)
    assert units.text() == "20" and units.styleSheet() == "" and editor.fields["units"].is_valid()
    undo_steps = document.undo_stack.count()
    qtbot.keyClick(units, Qt.Key.Key_Up)
    qtbot.keyClick(units, Qt.Key.Key_Up)
    assert units.text() == "22" and document.design.node(dense).params["units"] == 22
    assert document.undo_stack.count() == undo_steps + 1  # steps of one setting merge
    document.undo_stack.undo()
    assert units.text() == "20"


def test_text_fields_are_checked_as_you_type(qtbot) -> None:
    document = Document()
    document.reset(*template("mnist_mlp").make())
    editor = PropertyEditor(document)
    qtbot.addWidget(editor)
    document.selection.set([document.stack_order()[0]])
    shape = editor.findChild(QLineEdit, "param_shape")
    assert shape.text() == "784"
    shape.setFocus()
    shape.selectAll()
    QTest.keyClicks(shape, "28, a")
    assert "whole numbers" in shape.toolTip()
    assert "border" in shape.styleSheet()
    shape.selectAll()
    QTest.keyClicks(shape, "28, 28, 1")
    QTest.keyClick(shape, Qt.Key.Key_Return)
    assert document.design.node(document.stack_order()[0]).params["shape"] == (28, 28, 1)
    settle(qtbot, document)
    dense = document.stack_order()[1]
    issue = document.build_result.issues_for(dense)[0]
    assert "Flatten" in issue.hint


def test_compile_panel_changes_loss_optimizer_and_hyper_parameters(qtbot, document) -> None:
    panel = CompilePanel(document)
    qtbot.addWidget(panel)
    assert panel.loss_combo.currentText() == "hinge"
    panel.optimizer_combo.setCurrentText("sgd")
    panel.optimizer_combo.activated.emit(panel.optimizer_combo.currentIndex())
    assert document.compile_settings.optimizer == "sgd"
    momentum = panel.findChild(QLineEdit, "hyper_momentum")
    nesterov = panel.findChild(QCheckBox, "hyper_nesterov")
    type_into(qtbot, momentum, "0.9")
    nesterov.setChecked(True)
    optimizer = document.compile_settings.make_optimizer()
    assert optimizer.momentum == pytest.approx(0.9) and optimizer.nesterov is True
    assert document.undo_stack.undoText() == "Set nesterov"
    type_into(qtbot, momentum, "-1")
    assert panel.message.text() == "Momentum: must be at least 0; received -1."
    assert document.compile_settings.make_optimizer().momentum == pytest.approx(0.9)
    panel.findChild(QCheckBox, "metric_mae").setChecked(True)
    assert document.compile_settings.metrics == ["accuracy", "mae"]
    document.undo_stack.undo()
    assert document.compile_settings.metrics == ["accuracy"]
    assert not panel.findChild(QCheckBox, "metric_mae").isChecked()


def test_compile_panel_refuses_an_infinite_learning_rate(qtbot, document) -> None:
    panel = CompilePanel(document)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    rate = panel.findChild(QLineEdit, "hyper_learning_rate")
    undo_steps = document.undo_stack.count()
    type_into(qtbot, rate, "1e309", Qt.Key.Key_Tab)
    reason = "Learning rate: expected a finite number, received '1e309'."
    assert rate.text() == "1e309" and "border" in rate.styleSheet()
    assert rate.toolTip() == reason and panel.message.text() == reason
    assert not panel.is_valid()
    assert document.undo_stack.count() == undo_steps
    assert "learning_rate" not in document.compile_settings.optimizer_params
    type_into(qtbot, rate, "0.01")
    assert rate.text() == "0.01" and rate.styleSheet() == "" and panel.message.text() == ""
    assert document.compile_settings.optimizer_params["learning_rate"] == pytest.approx(0.01)
    assert document.undo_stack.count() == undo_steps + 1
    assert document.undo_stack.undoText() == "Set learning rate"
    type_into(qtbot, rate, "2")  # learning rates have no upper limit; betas stop at 1
    beta = panel.findChild(QLineEdit, "hyper_beta_1")
    type_into(qtbot, beta, "1.5")
    assert panel.message.text() == "Beta 1: must be at most 1; received 1.5."
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert beta.text() == "0.9" and rate.text() == "0.001" and panel.is_valid()
    assert document.compile_settings.optimizer_params == {}


def test_compile_panel_fits_a_narrow_dock(qtbot, document) -> None:
    panel = CompilePanel(document)
    qtbot.addWidget(panel)
    panel.resize(290, 700)
    panel.show()
    qtbot.waitExposed(panel)
    for name in OPTIMIZERS:  # every optimizer's settings, adam's are the most
        panel.optimizer_combo.setCurrentText(name)
        panel.optimizer_combo.activated.emit(panel.optimizer_combo.currentIndex())
        assert panel.minimumSizeHint().width() <= 290, name
    button = panel.reset_button
    assert button.width() >= button.sizeHint().width()  # "Reset to defaults", not "Reset to defaul"
    assert button.mapTo(panel, button.rect().bottomRight()).x() < panel.width()


def test_compile_panel_warns_about_softmax_with_hinge(qtbot) -> None:
    document = Document()
    document.reset(*template("lab_mlp").make())
    panel = CompilePanel(document)
    qtbot.addWidget(panel)
    assert panel.warning.text() == ""
    panel.loss_combo.setCurrentText("hinge")
    panel.loss_combo.activated.emit(panel.loss_combo.currentIndex())
    assert "softmax" in panel.warning.text() and "hinge" in panel.warning.text()


def test_summary_panel_is_the_engine_summary(qtbot, document) -> None:
    panel = SummaryPanel(document)
    qtbot.addWidget(panel)
    model = panel.model
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "(None, 20)" and model.index(0, 2).data() == "120"
    assert "141" in panel.totals.text()
    document.insert_in_stack("Dense", 2, {"units": 4})
    settle(qtbot, document)
    assert model.rowCount() == 3
    assert f"{document.build_result.model.count_params():,}" in panel.totals.text()


def test_summary_model_passes_qt_model_tester(qtbot, qtmodeltester, document) -> None:
    panel = SummaryPanel(document)
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)


def test_panels_render(qtbot, document, tmp_path: Path) -> None:
    document.selection.set([document.stack_order()[1]])
    for widget in (PropertyEditor(document), CompilePanel(document), SummaryPanel(document)):
        qtbot.addWidget(widget)
        widget.resize(320, 480)
        widget.show()
        path = tmp_path / f"{widget.objectName()}.png"
        assert widget.grab().save(str(path)) and path.stat().st_size > 1000
