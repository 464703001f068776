"""The weight inspector and model insight, used as a person would (the weights tutorial)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from designer.data.prepare import PreparedData
from designer.insight.text import fmt
from designer.spec.compile_settings import CompileSettings
from designer.spec.templates import chain, template
from designer.training import TrainingConfig
from designer.ui.document import Document
from designer.ui.insight import WeightsPanel
from designer.ui.insight.array_model import ArrayTableModel
from designer.ui.insight.predict_tab import PredictionModel
from designer.ui.insight.results_tab import ConfusionModel
from designer.ui.training.controller import TrainingController
from tests.test_insight import HIDDEN, OUTPUT

X = np.array([0.3, 0.1], np.float32)
TUTORIAL_HIDDEN = ["-0.5112", "0.4034", "0.3715", "0.3063", "-0.1133"]


def settle(qtbot, document: Document) -> None:
    qtbot.waitUntil(lambda: document._build is not None and not document._build_timer.isActive())


def by_hand(x, hidden, output) -> np.ndarray:
    """The tutorial's computation: tanh(tanh(x·W1 + b1)·W2 + b2)."""
    h = np.tanh(np.asarray(x, np.float64) @ hidden[0] + hidden[1])
    return np.tanh(h @ output[0] + output[1])


def sum_data(n: int, seed: int = 0) -> PreparedData:
    rng = np.random.default_rng(seed)
    x = rng.random((n, 2), dtype=np.float32)
    y = ((x.sum(axis=1) > 0.5) * 2 - 1).astype(np.float32)
    split = int(n * 0.8)
    return PreparedData(x[:split], y[:split], x[split:], y[split:])


@pytest.fixture
def document(qtbot) -> Document:
    document = Document()
    document.reset(*template("two_five_one").make())
    settle(qtbot, document)
    hidden, output = document.stack_order()[1:]
    document.set_weights({hidden: HIDDEN, output: OUTPUT})
    return document


def make_panel(qtbot, document: Document, controller=None, size=(1200, 320)) -> WeightsPanel:
    panel = WeightsPanel(document, controller)
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def type_into_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Select a cell, type a number (typing starts the editor) and press Enter."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    QTest.keyClick(table, Qt.Key.Key_Minus if text.startswith("-") else text[0])
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    QTest.keyClicks(editor, text[1:])
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # commits queued


def paste_into(qtbot, table, text: str, row: int = 0, column: int = 0) -> None:
    QGuiApplication.clipboard().setText(text)
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    QTest.keySequence(table, QKeySequence.StandardKey.Paste)


def test_edit_a_weight_apply_predicts_as_by_hand_and_undo_restores(qtbot, document) -> None:
    panel = make_panel(qtbot, document)
    tab = panel.weights_tab
    assert tab.layer_combo.count() == 2 and "Dense" in tab.layer_combo.currentText()
    page = tab.page("kernel")
    assert page.model.data(page.model.index(0, 0)) == "-1.0824"
    type_into_cell(qtbot, page.table, 0, 0, "0.5")
    assert page.model.pending_count() == 1 and tab.apply_button.isEnabled()
    assert "1 edited value" in tab.status_label.text()
    assert document.undo_stack.count() == 0  # nothing applied yet
    QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)

    edited = [HIDDEN[0].copy(), HIDDEN[1]]
    edited[0][0, 0] = 0.5
    model = document.build_result.model
    predicted = model.predict(X[None], verbose=0)[0, 0]
    np.testing.assert_allclose(predicted, by_hand(X, edited, OUTPUT)[0], atol=1e-5)
    assert abs(predicted - 0.93015909) > 0.01
    assert document.undo_stack.undoText().startswith("Edit weights of dense")
    assert page.model.pending_count() == 0 and page.model.data(page.model.index(0, 0)) == "0.5000"
    assert tab.message.kind == "ok"

    document.undo_stack.undo()
    restored = document.build_result.model.predict(X[None], verbose=0)[0, 0]
    np.testing.assert_allclose(restored, 0.93015909, atol=1e-6)
    assert page.model.data(page.model.index(0, 0)) == "-1.0824"


def test_pasting_the_perfect_model_classifies_every_row(qtbot) -> None:
    document = Document()
    design = chain([("Input", {"shape": (2,)}), ("Dense", {"units": 1, "activation": "tanh"})])
    document.reset(design, CompileSettings("adam", {}, "hinge", ["accuracy"]))
    settle(qtbot, document)
    panel = make_panel(qtbot, document)
    tab = panel.weights_tab
    paste_into(qtbot, tab.page("kernel").table, "1\n1")
    tabs = tab.stack.currentWidget()
    tabs.setCurrentWidget(tab.page("bias"))
    paste_into(qtbot, tab.page("bias").table, "-0.5")
    assert tab.pending_count() == 3
    QTest.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)

    test = np.random.default_rng(1).random((200, 2)).astype(np.float32)
    predict = np.sign(document.build_result.model.predict(test, verbose=0).flatten())
    real = (np.sum(test, axis=1) > 0.5) * 2 - 1
    assert np.sum(predict == real) / 200.0 == 1.0
    dense = document.stack_order()[1]
    np.testing.assert_array_equal(document.weights[dense][0], [[1.0], [1.0]])


def test_trace_shows_the_tutorials_hand_computation(qtbot, document) -> None:
    panel = make_panel(qtbot, document)
    panel.setCurrentWidget(panel.trace_tab)
    edit = panel.trace_tab.picker.edit
    edit.setFocus()
    QTest.keyClicks(edit, "0.3, 0.1")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    text = panel.trace_tab.text()
    for number in [*TUTORIAL_HIDDEN, "-0.3814", "0.2132", "1.3855", "0.2741", "0.9302"]:
        assert number in text, number
    assert "tanh(z)" in text and "Prediction: 0.9302" in text
    QTest.keyClicks(edit, ", 5")  # three numbers for a two-number input
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert "needs 2 numbers" in panel.trace_tab.message.text()


def test_the_data_row_is_typed_and_checked_not_clamped(qtbot, document) -> None:
    document.set_data(sum_data(250))  # 200 training rows
    panel = make_panel(qtbot, document)
    panel.setCurrentWidget(panel.trace_tab)
    picker = panel.trace_tab.picker
    row = picker.findChild(QLineEdit, "traceRowField")
    assert row.text() == "0" and picker.row_count.text() == "of 200"
    first = picker.edit.text()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    row.selectAll()
    qtbot.keyClicks(row, "999")
    qtbot.keyClick(row, Qt.Key.Key_Return)
    assert row.text() == "999" and "border" in row.styleSheet()  # not row 199
    assert row.toolTip() == "Row: must be at most 199; received 999."
    assert picker.edit.text() == first  # still row 0
    row.selectAll()
    qtbot.keyClicks(row, "3")
    qtbot.keyClick(row, Qt.Key.Key_Return)
    assert picker.edit.text() == ", ".join(fmt(v) for v in document.data.x_train[3])
    assert row.styleSheet() == ""
    qtbot.keyClick(row, Qt.Key.Key_Up)
    assert row.text() == "4"
    assert picker.edit.text() == ", ".join(fmt(v) for v in document.data.x_train[4])


def test_bad_pastes_and_values_are_refused_and_nothing_changes(qtbot, document) -> None:
    panel = make_panel(qtbot, document)
    tab = panel.weights_tab
    table = tab.page("kernel").table
    before = [w.copy() for w in document.weights[tab.node_id]]
    for text, expected in (
        ("1 2 3\n4 5 6\n7 8 9", "shape (2, 5)"),
        ("1, x", "“x”"),
        ("[[1, 2], [3, 4]]", "shape (2, 5)"),
        ("__import__('os')", "“__import__('os')”"),
        ("[1, 2] + [3]", "NumPy array"),
    ):
        paste_into(qtbot, table, text)
        assert tab.message.kind == "error" and expected in tab.message.text(), tab.message.text()
        assert tab.pending_count() == 0
    type_into_cell(qtbot, table, 1, 1, "abc")
    assert "not a number" in tab.message.text() and tab.pending_count() == 0
    assert not tab.apply_button.isEnabled()
    for kept, now in zip(before, document.weights[tab.node_id], strict=True):
        np.testing.assert_array_equal(kept, now)
    assert document.undo_stack.count() == 0

    paste_into(qtbot, table, "array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], dtype=float32)")
    assert tab.pending_count() == 10
    QTest.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert tab.pending_count() == 0 and document.undo_stack.count() == 0


def test_array_models_pass_the_model_tester(qtmodeltester) -> None:
    for array in (
        np.arange(5, dtype=np.float32),
        np.arange(10, dtype=np.float32).reshape(2, 5),
        np.ones((3, 3, 2, 4), np.float32),
    ):
        model = ArrayTableModel("kernel", array)
        qtmodeltester.check(model)
        assert (model.rowCount(), model.columnCount()) == {1: (5, 1), 2: (2, 5), 4: (18, 4)}[
            array.ndim
        ]
    confusion = ConfusionModel()
    confusion.set_counts(np.array([[3, 1], [0, 2]]), ["a", "b"])
    qtmodeltester.check(confusion)
    predictions = PredictionModel()
    predictions.set_rows(
        ["0"], np.ones((1, 2)), np.ones((1, 1)), np.array([1]), np.ones((1,)), np.array([1]), []
    )
    qtmodeltester.check(predictions)


def test_boundary_for_2d_data_and_an_explanation_otherwise(qtbot, document) -> None:
    document.set_data(sum_data(100))
    panel = make_panel(qtbot, document)
    panel.setCurrentWidget(panel.boundary_tab)
    boundary = panel.boundary_tab
    assert boundary.explanation() == ""
    assert boundary.values.shape == (80, 80) and boundary.image.image is not None
    assert len(boundary.points.data) == 80  # the training rows
    assert "(blue side)" in boundary.legend.text()

    other = Document()
    other.reset(*template("sum_classifier").make())
    settle(qtbot, other)
    panel = make_panel(qtbot, other)
    panel.setCurrentWidget(panel.boundary_tab)
    assert "one input of 2 numbers" in panel.boundary_tab.explanation()


def test_results_count_a_small_case_and_list_the_worst_mistakes(qtbot, document) -> None:
    x = np.array([[0.3, 0.1], [0.9, 0.8], [0.0, 0.0], [0.05, 0.1], [0.6, 0.2]], np.float32)
    y = np.array([-1, 1, -1, -1, 1], np.float32)
    document.set_data(PreparedData(x, y))
    panel = make_panel(qtbot, document)
    panel.setCurrentWidget(panel.results_tab)
    results = panel.results_tab
    outputs = by_hand(x, HIDDEN, OUTPUT)[:, 0]
    predicted, true = (outputs > 0).astype(int), (y > 0).astype(int)
    expected = np.zeros((2, 2), int)
    np.add.at(expected, (true, predicted), 1)
    model = results.confusion
    shown = [[int(model.data(model.index(r, c))) for c in range(2)] for r in range(2)]
    assert shown == expected.tolist()
    right = int(np.trace(expected))
    assert f"{100 * right / 5:.1f}%" in results.summary.text()
    assert results.wrong_rows.rowCount() == 5 - right
    assert model.headerData(0, Qt.Orientation.Vertical) == "−1"


def test_predict_tab_shows_outputs_classes_and_right_or_wrong(qtbot, document) -> None:
    panel = make_panel(qtbot, document)
    panel.setCurrentWidget(panel.predict_tab)
    predict = panel.predict_tab
    QTest.keyClicks(predict.input_edit, "0.3, 0.1")
    QTest.mouseClick(predict.predict_button, Qt.MouseButton.LeftButton)
    model = predict.table_model
    assert model.data(model.index(0, 1)) == "0.9302" and model.data(model.index(0, 2)) == "+1"
    document.set_data(sum_data(50))
    predict.rows_edit.setText("0-9")
    QTest.mouseClick(predict.rows_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 10
    marks = [model.data(model.index(r, 4)) for r in range(10)]
    assert set(marks) <= {"✓", "✗"} and "of 10 right" in predict.summary.text()


def test_live_weights_while_training_and_edits_wait(qtbot, document) -> None:
    controller = TrainingController(document)
    panel = make_panel(qtbot, document, controller)
    assert controller.live_weights
    tab = panel.weights_tab
    page = tab.page("kernel")
    type_into_cell(qtbot, page.table, 1, 4, "2")  # a pending edit from before the run
    before = page.heatmap.image.image.copy()
    data = sum_data(2000)
    try:
        with qtbot.waitSignal(controller.weights_snapshot, timeout=10_000):
            controller.start(data.x_train, data.y_train, TrainingConfig(epochs=500, batch_size=8))
        qtbot.waitUntil(lambda: not np.allclose(page.heatmap.image.image, before), timeout=5000)
        assert "Training is running" in tab.status_label.text()
        assert not tab.apply_button.isEnabled() and not tab.reinit_button.isEnabled()
        assert not page.model.flags(page.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
        assert page.model.pending_count() == 1  # kept, waiting for the run to stop
    finally:
        if controller.running:
            with qtbot.waitSignal(controller.finished, timeout=20_000):
                controller.stop()
    assert tab.apply_button.isEnabled() and page.model.pending_count() == 1
    panel.hide()
    assert not controller.live_weights


def test_reinitialise_and_freeze_a_layer(qtbot, document) -> None:
    panel = make_panel(qtbot, document)
    tab = panel.weights_tab
    QTest.mouseClick(tab.reinit_button, Qt.MouseButton.LeftButton)
    assert document.undo_stack.undoText() == "Re-initialise layer"
    assert not np.allclose(document.weights[tab.node_id][0], HIDDEN[0])
    document.undo_stack.undo()
    np.testing.assert_allclose(document.weights[tab.node_id][0], HIDDEN[0])
    tab.trainable_check.click()
    assert document.build_result.nodes[tab.node_id].layer.trainable is False


def test_every_tab_renders_to_png(qtbot, document, tmp_path: Path) -> None:
    document.set_data(sum_data(60))
    panel = make_panel(qtbot, document)
    panel.trace_tab.picker.set_text("0.3, 0.1")
    for index in range(panel.count()):
        panel.setCurrentIndex(index)
        path = tmp_path / f"weights_{index}.png"
        assert panel.grab().save(str(path))
        assert path.stat().st_size > 2000
        assert panel.currentWidget().message.kind != "error", panel.tabText(index)


def test_conv_kernels_feature_maps_and_mistakes_as_pictures(qtbot) -> None:
    document = Document()
    document.reset(*template("mnist_cnn").make())
    settle(qtbot, document)
    rng = np.random.default_rng(0)
    x = rng.random((12, 28, 28, 1), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 12)]
    document.set_data(PreparedData(x, y))
    panel = make_panel(qtbot, document)
    tab = panel.weights_tab
    assert tab.layer_combo.currentText().startswith("conv2d")
    assert "· Conv2D" in tab.layer_combo.currentText()
    kernel = tab.page("kernel")
    assert (kernel.model.rowCount(), kernel.model.columnCount()) == (25, 32)
    assert "(5·5·1) × 32" in kernel.note.text()
    assert kernel.filters is not None and kernel.filters.count == 32
    assert tab.page("bias").filters is None

    panel.setCurrentWidget(panel.activations_tab)
    titles = [plot.titleLabel.text for plot in panel.activations_tab.plots()]
    assert len(titles) == 1 + 6 and titles[0].startswith("input")  # the image, then each layer
    assert "24 × 24 × 32" in titles[1]

    panel.setCurrentWidget(panel.results_tab)
    results = panel.results_tab
    assert results.wrong_stack.currentWidget() is results.wrong_images
    assert results.wrong_images.count() > 0 and "→" in results.wrong_images.item(0).text()


def test_pasted_text_is_parsed_or_refused_in_words_never_crashes() -> None:
    """Seeded random mutations of valid pastes: a float32 array or our ValueError."""
    import random

    from designer.ui.insight.paste import parse_pasted

    valid = ["[[1, 2], [3, 4]]", "1\t2\n3\t4", "array([0.5, -1.0], dtype=float32)", "7"]
    alphabet = "[](),.-+e\t\n 0123456789'\"xjnaif"
    rng = random.Random(14)
    for _ in range(600):
        text = list(rng.choice(valid))
        for _ in range(rng.randint(1, 4)):
            where = rng.randrange(len(text) + 1)
            kind = rng.random()
            if kind < 0.4:
                text.insert(where, rng.choice(alphabet))
            elif kind < 0.7 and text:
                del text[min(where, len(text) - 1)]
            else:
                text.insert(where, rng.choice(["1e400", "10" * 60, "'1'", "nan", "[" * 50]))
        try:
            values, _spreadsheet = parse_pasted("".join(text))
        except ValueError:
            continue
        assert values.dtype == np.float32 and np.isfinite(values).all()
