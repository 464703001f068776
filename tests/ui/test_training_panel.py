"""The training panel as a person uses it: settings, Start/Pause/Stop, plots, runs, exports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from designer.spec.compile_settings import CompileSettings
from designer.spec.templates import template
from designer.ui.document import Document
from designer.ui.training import install_training
from designer.ui.training.controller import TrainingController, TrainingError
from designer.ui.training.panel import TrainingPanel
from designer.ui.training.plots import BATCH_KEY
from designer.ui.training.start_check import NO_DATA

LEFT = Qt.MouseButton.LeftButton


def sum_data(n: int = 250, seed: int = 0, scale: float = 1.0) -> SimpleNamespace:
    """The first tutorial's data: is the sum of five numbers above 2.5 (labels ±1)?"""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5)).astype(np.float32)
    y = ((x.sum(axis=1) > 2.5) * 2 - 1).astype(np.float32)
    return SimpleNamespace(x_train=x * scale, y_train=y, x_val=None, y_val=None)


@pytest.fixture
def panel(qtbot) -> Iterator[TrainingPanel]:
    document = Document()
    document.reset(*template("sum_classifier").make())
    controller = TrainingController(document)
    panel = TrainingPanel(document, controller)
    qtbot.addWidget(panel)
    panel.resize(1200, 300)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    controller.shutdown()


def type_value(qtbot, field: QLineEdit, value: int | str, key=Qt.Key.Key_Return) -> None:
    """Click into a settings field, type over its text and press Enter, as a person would."""
    qtbot.mouseClick(field, LEFT)
    field.selectAll()
    if str(value):
        qtbot.keyClicks(field, str(value))
    else:
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, key)
    assert field.text() == str(value)


def tick(qtbot, box) -> None:
    """Click a check box on its indicator (a wide box ignores clicks right of its text)."""
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def train(qtbot, panel: TrainingPanel, button=None, timeout: int = 30_000):
    """Click Start (or `button`) and wait for the run to end; returns its RunRecord."""
    with qtbot.waitSignal(panel.controller.finished, timeout=timeout) as finished:
        qtbot.mouseClick(button or panel.start_button, LEFT)
    return finished.args[0]


def curve_x(panel: TrainingPanel, run, key: str) -> np.ndarray:
    x, _ = panel.plots.curve(run, key).getOriginalDataset()
    return x


def test_start_waits_for_data_and_a_design_that_builds(qtbot, panel: TrainingPanel) -> None:
    assert not panel.start_button.isEnabled() and not panel.continue_button.isEnabled()
    assert panel.reason_label.isVisible() and NO_DATA in panel.reason_label.text()
    panel.document.insert_in_stack("Reshape", 1, {"target_shape": (7,)})
    qtbot.waitUntil(lambda: "cannot be built" in panel.reason_label.text())
    assert "Traceback" not in panel.reason_label.text()
    panel.document.undo_stack.undo()
    panel.document.set_data(sum_data())
    qtbot.waitUntil(panel.start_button.isEnabled)
    assert not panel.reason_label.isVisible() and panel.progress.isVisible()
    assert not panel.continue_button.isEnabled()  # nothing trained yet to continue
    assert "20 % of the training rows" in panel.settings.validation_note.text()
    panel.document.set_data(SimpleNamespace(**{**vars(sum_data()), "x_val": np.zeros((9, 5))}))
    assert "own validation set (9 samples)" in panel.settings.validation_note.text()
    assert not panel.settings.validation.isEnabled()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0", "Epochs: expected a positive integer, received 0."),
        ("many", "Epochs: expected a whole number, received 'many'."),
        ("2.5", "Epochs: expected a whole number, received '2.5'."),
    ],
)
def test_start_refuses_an_epochs_field_that_is_not_a_number(
    qtbot, panel: TrainingPanel, typed: str, reason: str
) -> None:
    settings = panel.settings
    panel.document.set_data(sum_data())
    qtbot.waitUntil(panel.start_button.isEnabled)
    started: list = []
    panel.controller.started.connect(started.append)
    type_value(qtbot, settings.epochs, typed, Qt.Key.Key_Tab)
    assert settings.epochs.text() == typed and "border" in settings.epochs.styleSheet()
    assert settings.epochs.toolTip() == reason
    assert settings.general_problem.isVisible() and settings.general_problem.text() == reason
    assert settings.problems() == [reason] and not settings.is_valid()
    assert panel.config().epochs == 20  # the config holds only usable values
    # Start is off and says why, beside the progress bar and on the button.
    assert not panel.start_button.isEnabled()
    assert reason in panel.reason_label.text() and panel.start_button.toolTip() == reason
    qtbot.mouseClick(panel.start_button, LEFT)
    assert not started and not panel.controller.running

    type_value(qtbot, settings.epochs, "3")
    assert settings.epochs.styleSheet() == "" and not settings.general_problem.isVisible()
    assert settings.is_valid() and panel.config().epochs == 3
    assert panel.start_button.isEnabled()


def test_start_is_off_when_the_data_does_not_fit_and_one_click_fixes_the_input(
    qtbot, panel: TrainingPanel
) -> None:
    document = panel.document
    data = sum_data()
    data.x_train = np.hstack([data.x_train, data.x_train[:, :2]])  # 7 features, Input takes 5
    document.set_data(data)
    qtbot.waitUntil(lambda: "does not fit" in panel.reason_label.text())
    assert not panel.start_button.isEnabled()
    assert "expects inputs of shape (5,)" in panel.reason_label.text()
    fix = panel.progress_view.fix_button
    assert fix.isVisible() and fix.text() == "Set the Input's shape to 7"
    steps = document.undo_stack.count()
    qtbot.mouseClick(fix, LEFT)
    qtbot.waitUntil(panel.start_button.isEnabled)
    first = document.stack_order()[0]
    assert document.design.node(first).params["shape"] == (7,)
    assert document.undo_stack.count() == steps + 1  # one undoable edit
    assert not fix.isVisible()


def test_settings_fields_check_their_limits_and_percent(qtbot, panel: TrainingPanel) -> None:
    settings = panel.settings
    type_value(qtbot, settings.validation, "95", Qt.Key.Key_Tab)
    assert settings.problems() == ["Validation %: must be at most 90; received 95."]
    assert panel.config().validation_split == 0.2
    qtbot.mouseClick(settings.validation, LEFT)
    qtbot.keyClick(settings.validation, Qt.Key.Key_Escape)
    assert settings.validation.text() == "20" and settings.is_valid()
    type_value(qtbot, settings.validation, "12.5")
    assert panel.config().validation_split == 0.125
    assert "last 12.5 % of the training rows" in settings.validation_note.text()
    settings.setCurrentIndex(1)
    tick(qtbot, settings.reduce_lr)
    type_value(qtbot, settings.lr_factor, "1.5")
    assert settings.problems() == ["Learning-rate factor: must be at most 0.99; received 1.5."]
    assert settings.callbacks_problem.text() == settings.problems()[0]
    tick(qtbot, settings.reduce_lr)  # a switched-off callback's fields do not count
    assert settings.is_valid() and not settings.callbacks_problem.isVisible()
    assert settings.lr_factor.text() == "1.5"
    tick(qtbot, settings.reduce_lr)
    assert not settings.is_valid() and settings.callbacks_problem.isVisible()
    type_value(qtbot, settings.lr_factor, "0.25")
    assert settings.is_valid() and panel.config().reduce_lr_factor == 0.25
    settings.setCurrentIndex(0)
    type_value(qtbot, settings.batch_size, "64", Qt.Key.Key_Tab)
    qtbot.keyClick(settings.batch_size, Qt.Key.Key_Up)
    assert settings.batch_size.text() == "65" and panel.config().batch_size == 65


def test_a_run_draws_one_point_per_epoch_and_learns(qtbot, panel: TrainingPanel) -> None:
    test = sum_data(100, seed=1)
    panel.document.set_data(
        SimpleNamespace(**vars(sum_data()), x_test=test.x_train, y_test=test.y_train)
    )
    type_value(qtbot, panel.settings.epochs, 120)
    type_value(qtbot, panel.settings.batch_size, 16)
    assert panel.config().epochs == 120 and panel.config().validation_split == 0.2
    run = train(qtbot, panel)
    epochs = np.arange(1, 121)
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        assert np.array_equal(curve_x(panel, run, key), epochs), key
    assert panel.plots.plot_names() == ["loss", "accuracy"]
    assert len(panel.plots.plot("loss").listDataItems()) == 4  # 3 curves + hover marker
    batches = curve_x(panel, run, BATCH_KEY)
    assert len(batches) >= 1 and np.all(np.diff(batches) >= 0)
    assert max(run.history["accuracy"]) > 0.9
    assert panel.progress.value() == panel.progress.maximum()
    assert panel.progress_label.text().startswith("Epoch 120/120 · ")
    assert panel.status_label.text().startswith("✓ Finished: 120 epochs")
    loss, accuracy = run.test_logs["loss"], run.test_logs["accuracy"]
    assert panel.test_label.text() == f"Test: loss {loss:.4g} · accuracy {accuracy:.4g}"
    row = panel.runs_list.item_for(run)
    assert [row.text(i) for i in range(3)] == ["Run 1", "finished", "120"]
    assert panel.continue_button.isEnabled() and panel.start_button.isEnabled()


def test_callbacks_build_the_config_and_early_stopping_ends_the_run(
    qtbot, panel: TrainingPanel
) -> None:
    settings = panel.settings
    settings.setCurrentIndex(1)
    assert not settings.monitor.isEnabled() and settings.stop_on_nan.isChecked()
    tick(qtbot, settings.early_stopping)
    assert settings.monitor.isEnabled() and settings.es_patience.isEnabled()
    monitors = [settings.monitor.itemText(i) for i in range(settings.monitor.count())]
    assert monitors == ["val_loss", "loss", "val_accuracy", "accuracy"]
    settings.monitor.setCurrentText("val_accuracy")
    type_value(qtbot, settings.es_patience, 2)
    tick(qtbot, settings.reduce_lr)
    settings.setCurrentIndex(0)
    type_value(qtbot, settings.seed, "")
    assert settings.seed.placeholderText() == "random" and settings.seed.styleSheet() == ""
    config = panel.config()
    assert (config.early_stopping, config.early_stopping_monitor) == (True, "val_accuracy")
    assert config.early_stopping_patience == 2 and config.reduce_lr_on_plateau
    assert config.seed is None and config.check() == []
    panel.set_config(type(config).from_dict(config.to_dict()))
    assert panel.config() == config

    type_value(qtbot, settings.seed, 0)
    panel.document.set_data(sum_data())
    type_value(qtbot, settings.epochs, 200)
    run = train(qtbot, panel)
    assert run.status == "finished" and len(run.epochs) < 200
    assert panel.status_label.text().startswith("✓ Early stopping ended the run after")
    assert panel.runs_list.item_for(run).text(1) == "early stop"
    assert "learning_rate" in run.history and "learning_rate" in panel.plots.plot_names()


def test_pause_holds_the_epochs_and_resume_goes_on(qtbot, panel: TrainingPanel) -> None:
    panel.document.set_data(sum_data(2000))
    type_value(qtbot, panel.settings.epochs, 5000)  # long: the GUI may lag the worker
    type_value(qtbot, panel.settings.batch_size, 16)
    epochs: list[int] = []
    panel.controller.epoch_ended.connect(lambda epoch, logs: epochs.append(epoch))
    qtbot.mouseClick(panel.start_button, LEFT)
    assert not panel.start_button.isEnabled() and not panel.settings.general.isEnabled()
    qtbot.waitUntil(lambda: len(epochs) >= 2, timeout=30_000)
    qtbot.mouseClick(panel.pause_button, LEFT)
    assert panel.pause_button.text() == "Resume"
    qtbot.wait(300)
    count = len(epochs)
    qtbot.wait(500)
    assert len(epochs) <= count + 1
    assert panel.progress_label.text().startswith("Paused · ")
    paused_at = len(epochs)
    qtbot.mouseClick(panel.pause_button, LEFT)
    assert panel.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: len(epochs) > paused_at + 1, timeout=30_000)
    assert "elapsed · ETA" in panel.progress_label.text()
    run = train(qtbot, panel, panel.stop_button)
    assert run.status == "stopped" and len(run.epochs) < 5000
    assert panel.status_label.text().startswith("■ Stopped after")


def test_stop_keeps_the_weights_and_continue_numbers_on(qtbot, panel: TrainingPanel) -> None:
    document = panel.document
    document.set_data(sum_data(2000))
    before = {n: [w.copy() for w in ws] for n, ws in document.weights.items()}
    type_value(qtbot, panel.settings.epochs, 5000)
    type_value(qtbot, panel.settings.batch_size, 16)
    epochs: list[int] = []
    panel.controller.epoch_ended.connect(lambda epoch, logs: epochs.append(epoch))
    qtbot.mouseClick(panel.start_button, LEFT)
    qtbot.waitUntil(lambda: len(epochs) >= 3, timeout=30_000)
    first = train(qtbot, panel, panel.stop_button)
    assert first.status == "stopped" and 3 <= len(first.epochs) < 5000
    assert any(
        not np.allclose(a, b)
        for node, ws in before.items()
        for a, b in zip(ws, document.weights[node], strict=True)
    )
    done = panel.controller.next_epoch
    type_value(qtbot, panel.settings.epochs, 2)
    second = train(qtbot, panel, panel.continue_button)
    assert np.array_equal(curve_x(panel, second, "loss"), [done + 1, done + 2])
    assert panel.progress_label.text().startswith(f"Epoch {done + 2}/{done + 2}")


def test_a_diverging_run_ends_with_its_nan_message(qtbot, panel: TrainingPanel) -> None:
    document = panel.document
    document.set_compile(CompileSettings("sgd", {"learning_rate": 1e6}, "mean_squared_error", []))
    document.set_param(document.stack_order()[-1], "activation", "linear")
    document.set_data(sum_data(scale=1e6))
    type_value(qtbot, panel.settings.validation, 0)
    assert "No validation" in panel.settings.validation_note.text()
    run = train(qtbot, panel)
    assert run.status == "nan"
    assert panel.status_label.text().startswith("⚠ NaN: The loss became NaN")
    assert panel.runs_list.item_for(run).text(1) == "NaN"
    assert all(np.isfinite(w).all() for ws in document.weights.values() for w in ws)


def test_earlier_runs_fade_and_the_list_hides_renames_and_deletes(
    qtbot, panel: TrainingPanel
) -> None:
    panel.document.set_data(sum_data())
    type_value(qtbot, panel.settings.epochs, 5)
    first = train(qtbot, panel)
    second = train(qtbot, panel)
    old, new = panel.plots.curve(first, "loss"), panel.plots.curve(second, "loss")
    assert old.opts["pen"].color().alphaF() < 0.5 < new.opts["pen"].color().alphaF()
    assert panel.plots.run_color(first) != panel.plots.run_color(second)
    panel.settings.setCurrentWidget(panel.runs_list)
    tree = panel.runs_list.tree
    row = panel.runs_list.item_for(first)
    rect = tree.visualItemRect(row)
    qtbot.mouseClick(tree.viewport(), LEFT, pos=QPoint(rect.left() + 12, rect.center().y()))
    assert row.checkState(0) == Qt.CheckState.Unchecked
    assert not first.visible and not old.isVisible() and new.isVisible()

    tree.setCurrentItem(row)
    qtbot.mouseClick(panel.runs_list.delete_button, LEFT)
    assert panel.controller.runs == [second] and panel.runs_list.item_for(first) is None
    assert panel.plots.curve(first, "loss") is None
    assert old not in panel.plots.plot("loss").listDataItems()
    third = train(qtbot, panel)
    assert third.name == "Run 3"  # never a second "Run 2" after a delete

    row2 = panel.runs_list.item_for(second)
    tree.setCurrentItem(row2)
    tree.editItem(row2, 0)
    editor = tree.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Adam, 5 epochs")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop pass
    qtbot.waitUntil(lambda: second.name == "Adam, 5 epochs")
    assert row2.text(0) == "Adam, 5 epochs"


def test_exports_write_the_history_and_the_plots(
    qtbot, panel: TrainingPanel, tmp_path: Path, monkeypatch
) -> None:
    panel.document.set_data(sum_data())
    type_value(qtbot, panel.settings.epochs, 4)
    run = train(qtbot, panel)
    runs = panel.runs_list
    target = tmp_path / "history.csv"
    monkeypatch.setattr(runs, "ask_csv_path", lambda run: str(target))
    qtbot.mouseClick(runs.csv_button, LEFT)
    lines = target.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss"
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3", "4"]
    assert target.read_text() == run.to_csv().replace("\r\n", "\n")
    for name, magic in (("plot.png", b"\x89PNG"), ("plot.svg", b"<?xml")):
        path = tmp_path / name
        monkeypatch.setattr(runs, "ask_plot_path", lambda path=path: str(path))
        qtbot.mouseClick(runs.plot_button, LEFT)
        assert path.stat().st_size > 1000 and path.read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "plot.png", "plot.svg"]
    assert runs.message.text() == "Saved plot.svg."


def test_failures_are_shown_in_the_panel_and_in_a_dialog(
    qtbot, panel: TrainingPanel, monkeypatch
) -> None:
    data = sum_data()
    data.y_train = np.full((250, 3), 5, np.float32)
    panel.document.set_data(data)
    with qtbot.waitSignal(panel.controller.failed, timeout=30_000):
        qtbot.mouseClick(panel.start_button, LEFT)
    assert panel.status_label.text().startswith("✖ Training failed")
    box = panel.error_box
    assert box.isVisible() and "Traceback" in box.detailedText()
    box.close()
    assert panel.start_button.isEnabled()

    def refuse(*args, **kwargs):
        raise TrainingError("A training run is already going.")

    monkeypatch.setattr(panel.controller, "start", refuse)
    qtbot.mouseClick(panel.start_button, LEFT)
    assert panel.status_label.text() == "A training run is already going."


def test_hover_reads_values_and_log_scale(qtbot, panel: TrainingPanel) -> None:
    panel.document.set_data(sum_data())
    type_value(qtbot, panel.settings.epochs, 30)
    run = train(qtbot, panel)
    plot = panel.plots.plot("loss")
    qtbot.mouseClick(panel.plots.log_check, LEFT)
    assert plot.ctrl.logYCheck.isChecked()
    value = run.history["loss"][9]
    qtbot.wait(50)  # let the view settle on the log axis
    scene = plot.vb.mapViewToScene(QPointF(10.0, np.log10(value)))
    canvas = panel.plots.canvas
    QTest.mouseMove(canvas.viewport(), canvas.mapFromScene(scene))
    qtbot.waitUntil(panel.plots.readout.isVisible)
    assert panel.plots.readout.text() == f"Run 1 · training loss · epoch 10: {value:.4g}"


def test_reset_weights_is_an_undoable_edit(qtbot, panel: TrainingPanel) -> None:
    document = panel.document
    document.set_data(sum_data())
    type_value(qtbot, panel.settings.epochs, 3)
    train(qtbot, panel)
    trained = {n: [w.copy() for w in ws] for n, ws in document.weights.items()}
    qtbot.mouseClick(panel.reset_button, LEFT)
    assert document.undo_stack.undoText() == "Reset weights"
    node = next(n for n, ws in trained.items() if ws)  # a Dense layer
    assert not np.allclose(document.weights[node][0], trained[node][0])
    document.undo_stack.undo()
    assert np.allclose(document.weights[node][0], trained[node][0])


def test_renders_wide_and_tall(qtbot, panel: TrainingPanel, tmp_path: Path) -> None:
    panel.document.set_data(sum_data())
    type_value(qtbot, panel.settings.epochs, 10)
    train(qtbot, panel)
    assert panel.splitter.orientation() == Qt.Orientation.Horizontal
    wide = tmp_path / "wide.png"
    assert panel.grab().save(str(wide)) and wide.stat().st_size > 5000
    panel.resize(700, 700)  # narrower than the wide layout: it stacks up and can narrow
    qtbot.waitUntil(lambda: panel.minimumSizeHint().width() <= 420)
    qtbot.wait(20)  # the new minimum size reaches the window with the next layout pass
    panel.resize(420, 700)
    assert panel.splitter.orientation() == Qt.Orientation.Vertical
    assert panel.width() <= 420  # five buttons and the plots fit a side panel
    tall = tmp_path / "tall.png"
    assert panel.grab().save(str(tall)) and tall.stat().st_size > 5000


def test_install_training_docks_the_panel(qtbot, main_window) -> None:
    panel = install_training(main_window)
    try:
        assert main_window.docks["training"].widget() is panel
        assert panel.controller is main_window.training_controller
        assert panel.objectName() == "trainingPanel" and panel.accessibleName() == "Training"
    finally:
        panel.controller.shutdown()
