"""Projects in the window: save, reopen, title, unsaved changes, recovery, drops."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from designer.project import load_project
from designer.ui.main_window import MainWindow


def settle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.document._build_timer.isActive())
    QApplication.processEvents()


def test_save_then_reopen_gives_the_same_design_and_weights(main_window, qtbot, tmp_path):
    window = main_window
    window.load_template("branching")
    settle(qtbot, window)
    dense = next(n for n in window.document.design.nodes.values() if n.type == "Dense")
    window.document.set_param(dense.id, "units", 12)
    assert window.isWindowModified() and window.windowTitle().startswith("Untitled")
    path = tmp_path / "mine.ndproj"
    window.projects.ask_save_path = lambda: str(path)
    window.findChild(type(window.train_action), "saveAction").trigger()
    assert path.exists() and not window.isWindowModified()
    assert window.windowTitle().startswith("mine")
    weights = {k: [w.copy() for w in v] for k, v in window.document.weights.items()}

    window.load_template("empty")
    assert window.document.design.nodes == {}
    window.projects.open_path(path)
    settle(qtbot, window)
    assert window.document.design.node(dense.id).params["units"] == 12
    for node, arrays in weights.items():
        for a, b in zip(arrays, window.document.weights[node], strict=True):
            assert np.array_equal(a, b)
    model = window.document.build_result.model
    assert model.count_params() == sum(w.size for ws in weights.values() for w in ws)
    assert str(path.resolve()) in window.projects.recent()


def test_a_damaged_file_changes_nothing(main_window, qtbot, tmp_path):
    window = main_window
    window.load_template("sum_classifier")
    settle(qtbot, window)
    before = set(window.document.design.nodes)
    bad = tmp_path / "bad.ndproj"
    bad.write_bytes(b"PK\x03\x04 broken")
    assert not window.projects.open_path(bad)
    assert set(window.document.design.nodes) == before
    assert "not a Network Designer project" in window.statusBar().currentMessage()


def test_opening_a_file_with_one_bad_field_over_an_open_project_changes_nothing(
    main_window, qtbot, tmp_path
):
    """The reported case: a project whose training.epochs is a string, opened over work."""
    import json
    import zipfile

    window = main_window
    errors = []
    window.projects.show_error = lambda title, text: errors.append(text)
    # Another project, saved, then damaged in one field.
    window.load_template("two_five_one")
    other = tmp_path / "other.ndproj"
    window.projects.ask_save_path = lambda: str(other)
    assert window.projects.save_as()
    with zipfile.ZipFile(other) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    data = json.loads(entries["project.json"])
    data["training"]["epochs"] = "many"
    entries["project.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(other, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    # The user's own project, saved, then edited (unsaved, with undo history).
    window.load_template("sum_classifier")
    settle(qtbot, window)
    mine = tmp_path / "mine.ndproj"
    window.projects.ask_save_path = lambda: str(mine)
    assert window.projects.save_as()
    on_disk = mine.read_bytes()
    window.document.insert_in_stack("Dropout", 2)
    settle(qtbot, window)
    design = {n: (v.type, dict(v.params)) for n, v in window.document.design.nodes.items()}
    weights = {k: [a.copy() for a in v] for k, v in window.document.weights.items()}
    state = (window.windowTitle(), window.projects.path, window.isWindowModified())
    steps = (window.document.undo_stack.count(), window.document.undo_stack.index())
    asked = []
    window.projects.ask_unsaved = lambda: asked.append(1) or QMessageBox.StandardButton.Discard

    assert not window.projects.open(str(other))
    assert errors and 'training.epochs: expected a whole number, received "many"' in errors[-1]
    assert "QSpinBox" not in errors[-1] and "Traceback" not in errors[-1]
    assert not asked, "nothing was asked about a file that cannot be opened"
    assert {n: (v.type, dict(v.params)) for n, v in window.document.design.nodes.items()} == design
    for node, arrays in weights.items():
        for a, b in zip(arrays, window.document.weights[node], strict=True):
            np.testing.assert_array_equal(a, b)
    assert (window.windowTitle(), window.projects.path, window.isWindowModified()) == state
    assert (window.document.undo_stack.count(), window.document.undo_stack.index()) == steps
    # Ctrl+S still writes my design to my file, never the other one's.
    assert window.projects.save()
    assert load_project(mine).design.nodes.keys() == window.document.design.nodes.keys()
    assert mine.read_bytes() != on_disk


def test_unsaved_changes_are_asked_about_and_cancel_keeps_the_work(main_window, qtbot):
    window = main_window
    window.load_template("sum_classifier")
    window.document.insert_in_stack("Dense")
    asked = []

    def cancel():
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    window.projects.ask_unsaved = cancel
    window.load_template("empty")
    assert asked and len(window.document.design.nodes) == 4
    assert not window.close()  # closing asks too, and Cancel keeps the window
    window.projects.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def test_autosave_and_recovery_after_a_crash(main_window, qtbot, tmp_path, settings_file):
    window = main_window
    window.projects.discard_recovery()
    window.load_template("two_five_one")
    window.document.insert_in_stack("Dropout", 2)
    assert window.projects.autosave()
    # A crash: the window goes away without closing cleanly; a new session starts.
    from PySide6.QtCore import QSettings

    fresh = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(fresh)
    assert fresh.projects.pending_recovery() is not None
    assert fresh.projects.recover()
    types = [fresh.document.design.node(n).type for n in fresh.document.stack_order()]
    assert types == ["Input", "Dense", "Dropout", "Dense"]
    assert fresh.isWindowModified()
    assert fresh.projects.pending_recovery() is None
    fresh.projects.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def test_dropping_a_project_file_opens_it(main_window, qtbot, tmp_path):
    window = main_window
    window.load_template("mnist_cnn")
    path = tmp_path / "cnn.ndproj"
    window.projects.ask_save_path = lambda: str(path)
    assert window.projects.save_as()
    window.load_template("empty")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert len(window.document.design.nodes) == 7
    assert load_project(path).design.nodes.keys() == window.document.design.nodes.keys()


def test_examples_menu_opens_a_ready_project(main_window, qtbot):
    window = main_window
    menu = window.findChild(type(window.menus["File"]), "examplesMenu")
    action = next(a for a in menu.actions() if a.objectName() == "example_sum_classifier")
    action.trigger()
    settle(qtbot, window)
    assert window.document.build_result.ok
    assert window.document.compile_settings.loss == "hinge"


def test_export_scripts_and_keras_file_then_import_it(main_window, qtbot, tmp_path):
    window = main_window
    window.load_template("branching")
    settle(qtbot, window)
    answers = iter([str(tmp_path / "k.py"), str(tmp_path / "e.py"), str(tmp_path / "m.keras")])
    window.exchange.ask_save_path = lambda *args: next(answers)
    for name in ("exportKerasScript", "exportEngineScript", "exportKerasFile"):
        window.findChild(type(window.train_action), name).trigger()
    assert "import keras" in (tmp_path / "k.py").read_text()
    assert "from designer.engine import" in (tmp_path / "e.py").read_text()
    weights = {k: [w.copy() for w in v] for k, v in window.document.weights.items()}
    window.load_template("empty")
    window.exchange.ask_open_path = lambda *args: str(tmp_path / "m.keras")
    window.findChild(type(window.train_action), "importKerasFile").trigger()
    settle(qtbot, window)
    assert window.document.build_result.ok
    assert len(window.document.design.nodes) == 6
    total = sum(w.size for ws in weights.values() for w in ws)
    assert window.document.build_result.model.count_params() == total


SEED_000 = """import numpy as np
from keras.layers import Input, Dense
from keras.models import Model

data = np.random.rand(250,5)
labels = (np.sum(data, axis=1) > 2.5) * 2 - 1

inputs = Input(shape=(5,))
x = Dense(20, activation='tanh')(inputs)
predictions = Dense(1, activation='tanh')(x)

model = Model(input=inputs, output=predictions)
model.compile('adam', 'hinge', metrics=['accuracy'])
model.fit(data, labels, nb_epoch=150, validation_split=0.2)
"""


def test_pasting_a_tutorial_shows_its_network(main_window, qtbot, tmp_path):
    window = main_window
    dialog = window.import_code()
    dialog.editor.setPlainText(SEED_000 + "\nfor i in range(3):\n    model.add(Dense(4))\n")
    dialog.analyse()
    assert "3 layers" in dialog.summary.text() and "hinge" in dialog.summary.text()
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert any("line 16" in p for p in problems)
    path = tmp_path / "shot.png"
    dialog.grab().save(str(path))
    dialog.accept()
    settle(qtbot, window)
    types = [window.document.design.node(n).type for n in window.document.stack_order()]
    assert types == ["Input", "Dense", "Dense"]
    assert window.document.compile_settings.loss == "hinge"
    assert window.document.build_result.ok


def drop_files(window, paths) -> bool:
    """Drag files from a file manager onto the window and drop them; True if accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    window.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    window.dropEvent(drop)
    return True


def test_dropping_data_files_opens_them_in_the_data_panel(main_window, qtbot, tmp_path):
    window = main_window
    errors = []
    window.projects.show_error = lambda title, text: errors.append(text)
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "blobs.npz", x_train=rng.random((40, 3)), y_train=rng.integers(0, 2, 40))
    assert drop_files(window, [tmp_path / "blobs.npz"])
    panel = window.data_panel
    qtbot.waitUntil(lambda: panel.dataset is not None, timeout=10_000)
    assert panel.dataset.x_train.shape == (40, 3)
    assert window.docks["data"].isVisible()
    np.save(tmp_path / "x.npy", rng.random((30, 2)))
    np.save(tmp_path / "y.npy", rng.integers(0, 2, 30))
    assert drop_files(window, [tmp_path / "y.npy", tmp_path / "x.npy"])
    qtbot.waitUntil(lambda: panel.dataset.x_train.shape == (30, 2), timeout=10_000)
    assert errors == []


def test_dropping_a_file_we_cannot_open_says_what_is_accepted(main_window, qtbot, tmp_path):
    window = main_window
    errors = []
    window.projects.show_error = lambda title, text: errors.append(text)
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n")
    design = dict(window.document.design.nodes)
    assert drop_files(window, [picture])
    assert len(errors) == 1
    assert "photo.png" in errors[0] and ".csv" in errors[0] and ".ndproj" in errors[0]
    assert "photo.png" in window.statusBar().currentMessage()
    only_x = tmp_path / "x.npy"
    np.save(only_x, np.zeros((3, 2)))
    assert drop_files(window, [only_x])
    assert "labels" in errors[1]
    assert dict(window.document.design.nodes) == design


def test_dropping_a_keras_file_imports_it(main_window, qtbot, tmp_path):
    window = main_window
    window.load_template("sum_classifier")
    qtbot.waitUntil(lambda: window.document.build_result.ok)
    path = tmp_path / "model.keras"
    window.exchange.ask_save_path = lambda *args: str(path)
    assert window.exchange.export_keras()
    window.load_template("empty")
    assert drop_files(window, [path])
    qtbot.waitUntil(lambda: len(window.document.design.nodes) == 3)
    assert window.projects.path is None
