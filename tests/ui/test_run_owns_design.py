"""Trust during and around training runs, driven as a person would: shortcuts during a
run, closing or opening during a run, undo of deletes, and recovery copies."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from designer.project import load_project
from designer.ui.main_window import MainWindow

LEFT = Qt.MouseButton.LeftButton


def big_sum_data(n: int = 2_000, seed: int = 0) -> SimpleNamespace:
    """Short epochs (the first ends quickly); the run's many epochs outlast the test."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5)).astype(np.float32)
    y = ((x.sum(axis=1) > 2.5) * 2 - 1).astype(np.float32)
    return SimpleNamespace(x_train=x, y_train=y, x_val=None, y_val=None)


def open_template(window: MainWindow, qtbot, key: str = "sum_classifier") -> None:
    window.findChild(type(window.train_action), f"template_{key}").trigger()
    qtbot.waitUntil(lambda: window.document.build_result.ok)


def start_long_run(window: MainWindow, qtbot) -> None:
    window.document.set_data(big_sum_data())
    panel = window.training_panel
    panel.settings.set_config(panel.settings.config().__class__(epochs=100_000, batch_size=8))
    qtbot.waitUntil(panel.start_button.isEnabled)
    with qtbot.waitSignal(window.training_controller.epoch_ended, timeout=20_000):
        qtbot.mouseClick(panel.start_button, LEFT)
    assert window.training_controller.running


def press(qtbot, window: MainWindow, sequence: str) -> None:
    window.activateWindow()
    window.design_area.setFocus()
    keys = QKeySequence(sequence)
    combo = keys[0]
    qtbot.keyClick(window.design_area, combo.key(), combo.keyboardModifiers())


def snapshot(window: MainWindow) -> dict[str, list[np.ndarray]]:
    window.document.build_result  # noqa: B018
    return {k: [a.copy() for a in v] for k, v in window.document.weights.items()}


def assert_same_weights(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for node in a:
        assert len(a[node]) == len(b[node])
        for x, y in zip(a[node], b[node], strict=True):
            np.testing.assert_array_equal(x, y)


@pytest.fixture
def running(main_window: MainWindow, qtbot):
    open_template(main_window, qtbot)
    start_long_run(main_window, qtbot)
    yield main_window
    main_window.ask_stop_run = lambda action: True
    assert main_window.training_controller.shutdown()


def test_undo_and_redo_are_off_during_a_run_and_ctrl_z_changes_nothing(running, qtbot):
    window = running
    document = window.document
    assert not window.undo_action.isEnabled() and not window.redo_action.isEnabled()
    assert "Training is running" in window.undo_action.toolTip()
    before = (dict(document.design.nodes), document.undo_stack.index())
    press(qtbot, window, "Ctrl+Z")
    press(qtbot, window, "Ctrl+Shift+Z")
    press(qtbot, window, "Ctrl+Y")
    assert (dict(document.design.nodes), document.undo_stack.index()) == before
    with pytest.raises(Exception, match="Training is running"):
        document.undo()
    # Stop: the run ends cleanly, its weights arrive as one undoable step.
    with qtbot.waitSignal(window.training_controller.finished, timeout=20_000) as done:
        qtbot.mouseClick(window.training_panel.stop_button, LEFT)
    assert done.args[0].status == "stopped"
    assert not window.training_controller.running
    assert window.undo_action.isEnabled()
    assert document.undo_stack.undoText() == "Apply Run 1"
    assert window.isWindowModified()


def test_closing_during_a_run_asks_and_cancel_keeps_it_running(running, qtbot):
    window = running
    asked = []
    window.ask_stop_run = lambda action: asked.append(action) or False
    assert not window.close()
    assert asked == ["Closing"]
    assert window.isVisible() and window.training_controller.running
    window.ask_stop_run = lambda action: True


def test_closing_during_a_run_can_stop_and_keep_the_weights(running, qtbot):
    window = running
    before = snapshot(window)
    window.ask_stop_run = lambda action: True
    unsaved = []
    window.projects.ask_unsaved = lambda: unsaved.append(1) or QMessageBox.StandardButton.Cancel
    assert not window.close()  # the run stopped, then "save changes?" was cancelled
    assert not window.training_controller.running
    assert unsaved == [1]
    after = snapshot(window)
    assert any(
        not np.array_equal(x, y) for n in before for x, y in zip(before[n], after[n], strict=True)
    ), "the trained weights were kept"
    assert window.training_controller.runs[-1].status == "stopped"
    window.projects.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def test_new_and_open_during_a_run_ask_first(running, qtbot, tmp_path):
    window = running
    asked = []
    window.ask_stop_run = lambda action: asked.append(action) or False
    design = dict(window.document.design.nodes)
    window.findChild(type(window.train_action), "newAction").trigger()
    window.projects.open(str(tmp_path / "other.ndproj"))
    assert asked == ["New", "Open"]
    assert dict(window.document.design.nodes) == design
    assert window.training_controller.running
    window.ask_stop_run = lambda action: True


def test_undo_of_delete_brings_back_the_layers_and_their_neighbours_weights(main_window, qtbot):
    window = main_window
    open_template(window, qtbot, "lab_mlp")
    document = window.document
    order = document.stack_order()
    # Give every layer weights of its own, as a paste in the inspector would.
    rng = np.random.default_rng(7)
    for node in order:
        arrays = document.weights.get(node)
        if arrays:
            document.edit_weights(
                node, [rng.standard_normal(a.shape).astype(a.dtype) for a in arrays]
            )
    edited = snapshot(window)
    dense = next(n for n in order if document.design.node(n).type == "Dense")
    window.design_area.show_graph()
    document.selection.set([dense])
    delete = window.design_area.graph_view.delete_action
    qtbot.waitUntil(delete.isEnabled)
    delete.trigger()
    qtbot.waitUntil(lambda: dense not in document.design.nodes)
    after_delete = snapshot(window)
    press(qtbot, window, "Ctrl+Z")
    qtbot.waitUntil(lambda: dense in document.design.nodes)
    assert_same_weights(snapshot(window), edited)
    press(qtbot, window, "Ctrl+Y")
    qtbot.waitUntil(lambda: dense not in document.design.nodes)
    assert_same_weights(snapshot(window), after_delete)
    press(qtbot, window, "Ctrl+Z")
    assert_same_weights(snapshot(window), edited)


def test_changing_an_initializer_redraws_that_weight_in_one_undoable_edit(main_window, qtbot):
    window = main_window
    open_template(window, qtbot, "sum_classifier")
    document = window.document
    dense = next(n for n in document.stack_order() if document.design.node(n).type == "Dense")
    before = snapshot(window)
    document.set_param(dense, "kernel_initializer", "zeros")
    qtbot.waitUntil(lambda: "Re-drew the kernel" in window.statusBar().currentMessage())
    kernel, bias = snapshot(window)[dense]
    assert not kernel.any(), "the kernel was re-drawn with zeros"
    np.testing.assert_array_equal(bias, before[dense][1])
    assert document.undo_stack.undoText().startswith("Set kernel initializer")
    document.undo()
    assert_same_weights(snapshot(window), before)
    assert document.design.node(dense).params.get("kernel_initializer", "glorot_uniform") != "zeros"


def test_each_redo_key_is_bound_once_and_works(main_window, qtbot):
    window = main_window
    keys = [k.toString() for k in window.redo_action.shortcuts()]
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys
    assert len(keys) == len(set(keys))
    every = [
        k.toString()
        for action in window.findChildren(type(window.train_action))
        for k in action.shortcuts()
    ]
    for key in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"):
        assert every.count(key) == 1, key
    open_template(window, qtbot)
    document = window.document
    document.insert_in_stack("Dropout", 2)
    count = len(document.design.nodes)
    for redo_key in ("Ctrl+Shift+Z", "Ctrl+Y"):
        press(qtbot, window, "Ctrl+Z")
        assert len(document.design.nodes) == count - 1
        press(qtbot, window, redo_key)
        assert len(document.design.nodes) == count, redo_key


def test_a_recovery_copy_is_written_seconds_after_a_change(main_window, qtbot):
    window = main_window
    open_template(window, qtbot)
    window.document.insert_in_stack("Dropout", 2)
    project_file, marker = window.projects.recovery_paths()
    qtbot.waitUntil(lambda: marker.exists(), timeout=10_000)
    recovered = load_project(project_file)
    assert [n.type for n in recovered.design.nodes.values()].count("Dropout") == 1
    assert json.loads(marker.read_text())["original"] is None


def test_a_run_caught_by_a_crash_comes_back_interrupted_and_can_be_deleted(
    running, qtbot, settings_file
):
    from PySide6.QtCore import QSettings

    window = running
    with qtbot.waitSignal(window.training_controller.epoch_ended, timeout=20_000):
        pass
    assert window.projects.autosave()  # the recovery copy a crash would leave behind
    window.projects.saver.wait()
    assert window.projects.pending_recovery() is not None
    # The next session (the first one "crashed": its window never closed).
    after = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(after)
    after.projects.show_error = lambda title, text: None
    after.projects.ask_unsaved = lambda: QMessageBox.StandardButton.Discard
    assert after.projects.recover()
    run = after.training_controller.runs[-1]
    assert run.status == "interrupted" and run.epochs, "what it logged is kept"
    runs_list = after.training_panel.runs_list
    runs_list.tree.setCurrentItem(runs_list.item_for(run))
    assert runs_list.delete_button.isEnabled()
    qtbot.mouseClick(runs_list.delete_button, LEFT)
    assert run not in after.training_controller.runs
    assert after.isWindowModified()
    after.training_controller.shutdown()
