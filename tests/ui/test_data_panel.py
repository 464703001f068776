"""The Data panel, used as a person would: choose, load, prepare, check, use."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from designer.data import loaders
from designer.data.dataset_summary import summarize
from designer.data.errors import LoadCancelled
from designer.project import Project
from designer.spec.templates import template
from designer.ui.data import DataPanel
from designer.ui.data.csv_form import CsvForm
from designer.ui.data.file_forms import NpzForm
from designer.ui.data.preview_table_model import ArrayTableModel
from designer.ui.data.source_forms import FashionForm, GeneratorForm, SampleForm
from designer.ui.document import Document

RAGGED_CSV = "a,b,label\n1,2,0\n3,4,1\n5,6,7,0\n7,8,1\n"


@pytest.fixture
def document(qtbot) -> Document:
    document = Document()
    document.reset(*template("sum_classifier").make())
    return document


@pytest.fixture
def panel(qtbot, document: Document) -> DataPanel:
    panel = DataPanel(document)
    qtbot.addWidget(panel)
    panel.resize(1200, 300)
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.shutdown()


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def load(qtbot, panel: DataPanel) -> None:
    """Press Load/Generate and wait for the worker thread's result."""
    with qtbot.waitSignal(panel.dataset_loaded, timeout=10_000):
        click(qtbot, panel.load_button)


def type_into(qtbot, field: QLineEdit, text: str, key=Qt.Key.Key_Return) -> None:
    """Click into a field, type over its text and press Enter (or Tab), as a person would."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, key)
    assert field.text() == text  # what was typed stays, usable or not


def choose_sample(qtbot, panel: DataPanel, name: str) -> None:
    form = panel.source_picker.choose("Sample")
    assert isinstance(form, SampleForm)
    form.combo.setCurrentIndex(form.combo.findData(name))
    load(qtbot, panel)


def settle(qtbot, document: Document) -> None:
    """Let the document rebuild and the panel re-check (both are queued)."""
    qtbot.waitUntil(lambda: document._build is not None and not document._build_timer.isActive())
    qtbot.wait(1)


def fix_button(panel: DataPanel, text: str):
    for row in panel.preview.checks.rows:
        for button in row.buttons:
            if button.text() == text:
                return button
    raise AssertionError(f"no fix {text!r} in {panel.preview.checks.messages()}")


def test_tutorial_generator_preview_then_use_this_data(qtbot, panel, document) -> None:
    form = panel.source_picker.form
    assert isinstance(form, GeneratorForm)
    assert form.combo.currentText() == "Sum above a threshold (tutorial)"
    assert panel.load_button.text() == "Generate"
    assert not panel.use_button.isEnabled()
    load(qtbot, panel)
    facts = panel.preview.overview.facts.text()
    assert "(250, 5)" in facts and "float32" in facts
    expected = [(c.name, str(c.train)) for c in summarize(panel.dataset).classes]
    assert panel.preview.overview.class_rows() == expected
    assert [name for name, _ in expected] == ["-1", "+1"]
    assert "not in use" in panel.status_row.label.text()
    assert document.data is None

    with qtbot.waitSignal(document.data_changed):
        click(qtbot, panel.use_button)
    assert document.data.x_train.shape == (200, 5)  # the last 20 % validate
    assert document.data.x_val.shape == (50, 5)
    assert "In use for training" in panel.status_row.label.text()
    assert not panel.use_button.isEnabled()
    assert "fits the design" in panel.preview.checks.summary.text()


def test_generator_form_is_built_from_the_parameter_specs(qtbot, panel) -> None:
    form = panel.source_picker.form
    assert set(form.fields) == {"n", "d", "threshold", "labels", "noise", "seed"}
    labels = form.fields["labels"].widget
    labels.setCurrentIndex(labels.findText("0 / 1"))
    type_into(qtbot, form.fields["n"].widget, "100")
    type_into(qtbot, form.fields["d"].widget, "2")
    load(qtbot, panel)
    assert panel.dataset.x_train.shape == (100, 2)
    assert set(np.unique(panel.dataset.y_train)) <= {0, 1}
    assert panel.preview.tabText(2) == "Scatter"
    assert panel.preview.scatter.points() == 100
    form.combo.setCurrentIndex(form.combo.findData("moons"))
    assert "threshold" not in form.fields and "noise" in form.fields
    form.combo.setCurrentIndex(form.combo.findData("threshold_sum"))
    assert form.fields["n"].value() == 100  # remembered per generator


def test_generate_refuses_a_parameter_that_is_not_usable(qtbot, panel) -> None:
    form = panel.source_picker.form
    n = form.findChild(QLineEdit, "gen_n")
    assert n is form.fields["n"].widget and n.text() == "250"
    type_into(qtbot, n, "0", Qt.Key.Key_Tab)
    reason = "Samples: expected a positive integer, received 0."
    assert "border" in n.styleSheet() and n.toolTip() == reason
    assert form.message.isVisible() and form.message.text() == reason
    assert form.problem() == reason and panel.load_button.toolTip() == reason
    click(qtbot, panel.load_button)
    assert panel.dataset is None and reason in panel.banner.text.text()
    assert not panel.busy
    type_into(qtbot, n, "1e309")
    assert form.message.text() == "Samples: expected a whole number, received '1e309'."
    type_into(qtbot, n, "60")
    assert form.problem() == "" and not form.message.isVisible() and n.styleSheet() == ""
    load(qtbot, panel)
    assert panel.dataset.x_train.shape == (60, 5)


def test_advice_buttons_reshape_and_one_hot_digits_for_a_softmax_design(
    qtbot, panel, document
) -> None:
    design, settings = template("lab_mlp").make()
    document.reset(design, settings)
    document.set_param(document.stack_order()[0], "shape", (64,))
    settle(qtbot, document)
    choose_sample(qtbot, panel, "digits")
    click(qtbot, panel.use_button)
    panel.preview.setCurrentWidget(panel.preview.checks)
    assert panel.preview.tabText(3).startswith("Checks ✖")

    click(qtbot, fix_button(panel, "Reshape samples to 64"))
    assert panel.prep_form.preparation().sample_shape == (64,)
    messages = panel.preview.checks.messages()
    assert any("one-hot" in m for m in messages)
    assert not any("expects inputs of shape" in m for m in messages)

    click(qtbot, fix_button(panel, "One-hot encode labels"))
    assert panel.prep_form.labels.currentData() == "one_hot"
    assert not any("one-hot" in m for m in panel.preview.checks.messages())
    # The data in use followed its preparation.
    assert document.data.x_train.shape == (1437, 64)
    assert document.data.y_train.shape == (1437, 10)
    click(qtbot, fix_button(panel, "Scale inputs ÷ 255"))
    assert panel.preview.checks.rows == []
    assert "fits the design" in panel.preview.checks.summary.text()
    assert panel.preview.tabText(3) == "Checks"


def test_loss_and_units_fixes_are_undoable_design_edits(qtbot, panel, document) -> None:
    document.set_param(document.stack_order()[0], "shape", (4,))
    settle(qtbot, document)
    choose_sample(qtbot, panel, "iris")  # 3 classes on a 1-unit tanh/hinge design
    panel.preview.setCurrentWidget(panel.preview.checks)
    click(qtbot, fix_button(panel, "Use loss sparse_categorical_crossentropy"))
    assert document.compile_settings.loss == "sparse_categorical_crossentropy"
    assert document.undo_stack.undoText() == "Set loss to sparse_categorical_crossentropy"
    qtbot.waitUntil(lambda: any("3 classes" in m for m in panel.preview.checks.messages()))

    click(qtbot, fix_button(panel, "Set output units to 3"))
    output = document.stack_order()[-1]
    assert document.design.node(output).params["units"] == 3
    assert document.undo_stack.undoText() == "Set units of Dense"
    settle(qtbot, document)
    qtbot.waitUntil(lambda: not panel.preview.checks.rows)
    document.undo_stack.undo()
    settle(qtbot, document)
    qtbot.waitUntil(lambda: bool(panel.preview.checks.rows))


def test_csv_with_a_ragged_row_names_the_row_and_keeps_the_data(
    qtbot, panel, document, tmp_path
) -> None:
    load(qtbot, panel)
    click(qtbot, panel.use_button)
    old_data, old_dataset = document.data, panel.dataset
    path = tmp_path / "ragged.csv"
    path.write_text(RAGGED_CSV, encoding="utf-8")
    panel.ask_open_path = lambda caption, file_filter: str(path)
    file_form = panel.source_picker.choose("File")
    csv_form = file_form.choose("CSV table")
    assert isinstance(csv_form, CsvForm)
    click(qtbot, csv_form.file.button)
    assert [csv_form.target.itemText(i) for i in range(3)] == ["a", "b", "label"]
    assert csv_form.target.currentText() == "label"
    assert "3 columns" in csv_form.info.text()
    assert panel.load_button.text() == "Load"
    with qtbot.waitSignal(panel.runner.failed, timeout=10_000):
        click(qtbot, panel.load_button)
    assert panel.banner.isVisible()
    assert "ragged.csv" in panel.banner.text.text() and "row 4" in panel.banner.text.text()
    assert document.data is old_data and panel.dataset is old_dataset
    assert "(250, 5)" in panel.preview.overview.facts.text()


def test_csv_target_and_feature_columns_come_from_the_file(qtbot, panel, tmp_path) -> None:
    path = tmp_path / "flowers.csv"
    path.write_text(
        "size;colour;weight\n1.0;red;3\n2.0;blue;4\n3.0;red;5\n4.0;blue;6\n", encoding="utf-8"
    )
    panel.ask_open_path = lambda caption, file_filter: str(path)
    csv_form = panel.source_picker.choose("File").choose("CSV table")
    click(qtbot, csv_form.file.button)
    assert "semicolon" in csv_form.info.text()
    csv_form.target.setCurrentIndex(csv_form.target.findData("colour"))
    colour = csv_form.features.item(1)
    assert not colour.flags() & Qt.ItemFlag.ItemIsEnabled  # the target is no feature
    csv_form.features.item(2).setCheckState(Qt.CheckState.Unchecked)
    load(qtbot, panel)
    assert panel.dataset.feature_names == ("size",)
    assert panel.dataset.class_names == ("blue", "red")
    assert panel.dataset.source.options["target_column"] == "colour"


def test_cancelling_a_slow_load_returns_to_the_previous_state(
    qtbot, panel, document, monkeypatch
) -> None:
    load(qtbot, panel)
    click(qtbot, panel.use_button)
    before = (panel.dataset, panel.prepared, document.data)
    polls = []

    def slow_loader(kind, options, progress=None, cancelled=None):
        for step in range(500):
            polls.append(step)
            if cancelled():
                raise LoadCancelled("Loading was cancelled.")
            progress(step / 500)
            time.sleep(0.01)
        raise AssertionError("the load was not cancelled")

    monkeypatch.setattr(loaders, "load_kind", slow_loader)
    panel.source_picker.choose("Sample")
    click(qtbot, panel.load_button)
    assert panel.busy
    assert panel.status_row.busy
    assert not panel.load_button.isEnabled()
    qtbot.waitUntil(lambda: panel.status_row.progress.value() > 0)  # the window kept painting
    click(qtbot, panel.status_row.cancel_button)
    assert not panel.busy
    assert (panel.dataset, panel.prepared, document.data) == before
    assert not panel.banner.isVisible()
    assert not panel.status_row.busy
    assert panel.load_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.runner._threads, timeout=5_000)  # the thread ended
    assert len(polls) < 500


def test_cancelling_a_slow_preparation_shows_the_settings_of_the_data_shown(
    qtbot, panel, monkeypatch
) -> None:
    from designer.ui.data import tasks

    choose_sample(qtbot, panel, "iris")
    monkeypatch.setattr(tasks, "SYNC_PREPARE_BYTES", 0)
    original = tasks.prepare_outcome

    def slow_prepare(*args):
        time.sleep(0.3)
        return original(*args)

    monkeypatch.setattr(tasks, "prepare_outcome", slow_prepare)
    scaling = panel.prep_form.scaling
    scaling.setCurrentIndex(scaling.findData("standardize"))
    scaling.activated.emit(scaling.currentIndex())
    assert panel.busy
    click(qtbot, panel.status_row.cancel_button)
    assert scaling.currentData() == "none" == panel.prepared.preparation.scaling
    qtbot.waitUntil(lambda: not panel.runner._threads, timeout=5_000)
    assert panel.prepared.preparation.scaling == "none"  # the late result was ignored


def test_an_unexpected_loader_error_shows_details_in_a_dialog(qtbot, panel, monkeypatch) -> None:
    def broken_loader(kind, options, progress=None, cancelled=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loaders, "load_kind", broken_loader)
    with qtbot.waitSignal(panel.runner.failed, timeout=10_000):
        click(qtbot, panel.load_button)
    assert "disk on fire" in panel.banner.text.text()
    assert "RuntimeError" in panel.error_box.detailedText()
    panel.error_box.close()
    assert panel.dataset is None and panel.load_button.isEnabled()


def test_iris_shows_scatter_by_class_and_the_first_rows(qtbot, panel) -> None:
    choose_sample(qtbot, panel, "iris")
    assert panel.preview.tabText(2) == "Scatter"
    scatter = panel.preview.scatter
    assert [item.name() for item in scatter.items] == ["setosa", "versicolor", "virginica"]
    assert scatter.points() == 150
    assert scatter.x_combo.currentText() == "sepal_length"
    scatter.y_combo.setCurrentIndex(scatter.y_combo.findText("petal_width"))
    scatter.y_combo.activated.emit(scatter.y_combo.currentIndex())
    assert scatter.plot.getAxis("left").labelText == "petal_width"
    model = panel.preview.model
    assert model.rowCount() == 150 and model.columnCount() == 5
    assert model.headerData(0, Qt.Orientation.Horizontal) == "sepal_length"
    assert model.index(0, 4).data() == "setosa"
    assert model.index(0, 0).data() == "5.1"
    panel.preview.table_source.setCurrentIndex(1)
    panel.preview.table_source.activated.emit(1)
    assert model.rowCount() == 120  # the prepared training rows


def test_digits_show_an_image_grid(qtbot, panel) -> None:
    choose_sample(qtbot, panel, "digits")
    assert panel.preview.tabText(2) == "Images"
    panel.preview.setCurrentIndex(2)
    grid = panel.preview.images
    assert len(grid.images) == 32
    assert grid.labels[:3] == ["0", "1", "2"]
    assert "32 of 1,797" in panel.preview.images_caption.text()
    grid.repaint()
    assert grid.shown > 0


@pytest.mark.parametrize("case", ["tabular", "images_one_hot", "empty"])
def test_array_table_model_passes_the_model_tester(qtmodeltester, case) -> None:
    model = ArrayTableModel()
    if case == "tabular":
        x = np.arange(12, dtype=np.float32).reshape(4, 3) / 7
        model.set_arrays(x, np.array([0, 1, 2, 1]), ("a", "b", "c"), ("x", "y", "z"))
        assert model.index(1, 3).data() == "y"
    elif case == "images_one_hot":
        x = np.zeros((5, 2, 3, 1), dtype=np.uint8)
        model.set_arrays(x, np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 0]], (), ("a", "b"))
        assert model.columnCount() == 6 + 4
        assert model.headerData(0, Qt.Orientation.Horizontal) == "(0, 0, 0)"
        assert model.headerData(7, Qt.Orientation.Horizontal) == "b"
    else:
        model.set_arrays(None)
    qtmodeltester.check(model)


def test_npz_archive_in_mnist_layout_is_recognised(qtbot, panel, tmp_path) -> None:
    path = tmp_path / "mnist.npz"
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 255, (30, 6, 6), dtype=np.uint8),
        y_train=np.arange(30) % 3,
        x_test=rng.integers(0, 255, (9, 6, 6), dtype=np.uint8),
        y_test=np.arange(9) % 3,
    )
    panel.ask_open_path = lambda caption, file_filter: str(path)
    npz_form = panel.source_picker.choose("File").choose("NumPy .npz archive")
    assert isinstance(npz_form, NpzForm)
    click(qtbot, npz_form.file.button)
    assert "mnist.npz layout recognised" in npz_form.info.text()
    load(qtbot, panel)
    assert panel.dataset.has_test and panel.dataset.input_shape == (6, 6)
    validation = panel.prep_form.validation
    validation.setCurrentIndex(validation.findData("test"))
    validation.activated.emit(validation.currentIndex())
    assert panel.prepared.x_val.shape == (9, 6, 6)
    assert "Test set" in panel.preview.overview.facts.text()


def test_npy_files_typed_and_idx_files_browsed(qtbot, panel, tmp_path) -> None:
    from tests.data.test_idx_loader import write_pair

    np.save(tmp_path / "x.npy", np.ones((12, 3), dtype=np.float64))
    np.save(tmp_path / "y.npy", np.arange(12) % 2)
    file_form = panel.source_picker.choose("File")
    npy_form = file_form.choose("NumPy .npy files")
    assert "Choose the inputs (x) and targets (y)." in panel.load_button.toolTip()
    for key, name in (("x_path", "x.npy"), ("y_path", "y.npy")):
        edit = npy_form.rows[key].edit
        edit.setFocus()
        QTest.keyClicks(edit, str(tmp_path / name))
        QTest.keyClick(edit, Qt.Key.Key_Return)
    assert "Inputs (x): (12, 3) float64" in npy_form.info.text()
    load(qtbot, panel)
    assert panel.dataset.x_train.shape == (12, 3) and panel.dataset.x_train.dtype == np.float32

    images, labels = write_pair(tmp_path, 9)
    chosen = {"Images": images, "Labels": labels}
    panel.ask_open_path = lambda caption, file_filter: str(chosen[caption])
    idx_form = file_form.choose("IDX images + labels")
    for key in ("images", "labels"):
        click(qtbot, idx_form.rows[key].button)
    load(qtbot, panel)
    assert panel.dataset.input_shape == (6, 5)
    assert panel.preview.tabText(2) == "Images"


def test_big_data_is_prepared_on_the_worker_thread(qtbot, panel, monkeypatch) -> None:
    from designer.ui.data import tasks

    choose_sample(qtbot, panel, "digits")
    monkeypatch.setattr(tasks, "SYNC_PREPARE_BYTES", 0)
    scaling = panel.prep_form.scaling
    scaling.setCurrentIndex(scaling.findData("min_max"))
    scaling.activated.emit(scaling.currentIndex())
    assert panel.busy and panel.status_row.busy
    assert panel.status_row.progress.maximum() == 0  # a busy bar: no steps to report
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert float(panel.prepared.x_train.max()) == pytest.approx(1.0)
    assert "min_max" in panel.preview.overview.facts.text()


def test_reshape_is_typed_as_text_and_checked(qtbot, panel) -> None:
    choose_sample(qtbot, panel, "digits")
    panel.settings_tabs.setCurrentIndex(1)
    edit = panel.prep_form.shape.lineEdit()
    edit.selectAll()
    QTest.keyClicks(edit, "7, 7")
    assert "holds 49 values" in panel.prep_form.shape_error
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert panel.prepared.x_train.shape[1:] == (8, 8)  # nothing changed
    edit.selectAll()
    QTest.keyClicks(edit, "8, 8, 1")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert panel.prep_form.shape_error == ""
    assert panel.prepared.x_train.shape[1:] == (8, 8, 1)


def test_split_share_and_seed_are_typed_and_checked(qtbot, panel) -> None:
    choose_sample(qtbot, panel, "iris")  # 150 rows, the last 20 % validate
    panel.settings_tabs.setCurrentIndex(1)
    form = panel.prep_form
    assert len(panel.prepared.x_val) == 30 and form.split.text() == "20"
    type_into(qtbot, form.split, "95", Qt.Key.Key_Tab)
    reason = "Validation share: must be at most 90; received 95."
    assert "border" in form.split.styleSheet() and form.split.toolTip() == reason
    assert form.message.isVisible() and form.message.text() == reason
    assert form.problems() == [reason] and not form.is_valid()
    assert form.preparation().validation_split == 0.2 and len(panel.prepared.x_val) == 30
    qtbot.mouseClick(form.split, Qt.MouseButton.LeftButton)
    qtbot.keyClick(form.split, Qt.Key.Key_Escape)
    assert form.split.text() == "20" and form.is_valid() and not form.message.isVisible()
    type_into(qtbot, form.split, "40")
    assert len(panel.prepared.x_val) == 60 and form.split.styleSheet() == ""

    form.shuffle.setChecked(True)
    type_into(qtbot, form.seed, "-1")
    assert form.message.text() == "Shuffle seed: must be at least 0; received -1."
    assert form.preparation().seed == 0
    type_into(qtbot, form.seed, "7")
    assert form.preparation().seed == 7 and form.is_valid()
    assert "Rows shuffled with seed 7." in panel.prepared.notes  # the data follows


def test_rows_with_nan_or_inf_are_refused_until_dropped(qtbot, panel, tmp_path) -> None:
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    x[3, 0], x[11, 1] = np.nan, np.inf
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", np.arange(20) % 2)
    npy_form = panel.source_picker.choose("File").choose("NumPy .npy files")
    for key, name in (("x_path", "x.npy"), ("y_path", "y.npy")):
        edit = npy_form.rows[key].edit
        edit.setFocus()
        QTest.keyClicks(edit, str(tmp_path / name))
        QTest.keyClick(edit, Qt.Key.Key_Return)
    load(qtbot, panel)
    form = panel.prep_form
    assert panel.prepared is None and "2 rows contain NaN" in panel.banner.text.text()
    assert form.dropped_note.text() == "2 rows with NaN/inf: tick to drop them."
    panel.settings_tabs.setCurrentIndex(1)
    qtbot.mouseClick(form.drop_nonfinite, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert form.preparation().drop_nonfinite
    assert form.dropped_note.text() == "Dropped 2 rows with NaN/inf."
    assert panel.prepared.dropped_rows == 2 and len(panel.prepared.x_train) == 14  # 18 - 20 %
    assert np.isfinite(panel.prepared.x_train).all()


def test_fashion_mnist_missing_says_how_to_install_it(qtbot, panel, tmp_path) -> None:
    form = panel.source_picker.choose("Fashion-MNIST")
    assert isinstance(form, FashionForm)
    form.directory = tmp_path / "not-there"
    form.refresh()
    assert "sudo apt-get install dataset-fashion-mnist" in form.status.text()
    click(qtbot, panel.load_button)
    assert "sudo apt-get install dataset-fashion-mnist" in panel.banner.text.text()
    assert not panel.busy


def test_training_lock_disables_the_controls_and_says_why(qtbot, panel, document) -> None:
    load(qtbot, panel)
    document.set_locked("Training is running: stop or wait for it to change the design.")
    assert not panel.load_button.isEnabled()
    assert not panel.use_button.isEnabled()
    assert not panel.settings_tabs.isEnabled()
    assert panel.lock_banner.isVisible()
    assert "Training is running" in panel.lock_banner.text.text()
    document.set_locked("")
    assert panel.load_button.isEnabled() and panel.use_button.isEnabled()
    assert not panel.lock_banner.isVisible()


def test_project_capture_and_restore_bring_the_data_back(qtbot, panel, document) -> None:
    choose_sample(qtbot, panel, "iris")
    panel.prep_form.shuffle.setChecked(True)
    click(qtbot, panel.use_button)
    project = Project()
    panel.capture(project)
    assert project.data_source == {"kind": "sample", "options": {"name": "iris"}}
    assert project.preparation["shuffle"] is True

    other = Document()
    other.reset(*template("sum_classifier").make())
    restored = DataPanel(other)
    qtbot.addWidget(restored)
    with qtbot.waitSignal(restored.restore_finished, timeout=10_000) as finished:
        restored.restore(project)
    assert finished.args == [True]
    assert other.data.x_train.shape == (120, 4)
    assert restored.prep_form.shuffle.isChecked()
    assert restored.source_picker.form.combo.currentData() == "iris"
    restored.restore(Project())
    assert other.data is None
    restored.shutdown()


def test_panel_renders_to_png_wide_and_tall(qtbot, panel, tmp_path: Path) -> None:
    choose_sample(qtbot, panel, "iris")
    panel.preview.setCurrentIndex(2)
    wide = tmp_path / "data_wide.png"
    assert panel.grab().save(str(wide))
    panel.resize(380, 900)
    qtbot.wait(1)
    panel.resize(380, 900)
    qtbot.waitUntil(lambda: panel.splitter.orientation() == Qt.Orientation.Vertical)
    tall = tmp_path / "data_tall.png"
    assert panel.grab().save(str(tall))
    assert wide.stat().st_size > 10_000 and tall.stat().st_size > 10_000
