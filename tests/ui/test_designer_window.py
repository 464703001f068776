"""The designer in the main window, as a person meets it: templates, views, validity."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from designer.ui.design_area import GRAPH, STACK
from designer.ui.main_window import MainWindow


def settle(qtbot, window: MainWindow) -> None:
    document = window.document
    qtbot.waitUntil(lambda: not document._build_timer.isActive())
    QApplication.processEvents()


def trigger_template(window: MainWindow, key: str) -> None:
    menu = window.findChild(type(window.menus["File"]), "templatesMenu")
    action = next(a for a in menu.actions() if a.objectName() == f"template_{key}")
    action.trigger()


def test_template_opens_in_the_fitting_view_and_builds(main_window: MainWindow, qtbot) -> None:
    trigger_template(main_window, "mnist_cnn")
    settle(qtbot, main_window)
    assert main_window.design_area.tabs.currentIndex() == STACK
    result = main_window.document.build_result
    assert result.ok and result.model.count_params() == 592_074
    assert main_window.train_action.isEnabled()
    assert "592,074" in main_window.design_area.banner.text()
    trigger_template(main_window, "branching")
    settle(qtbot, main_window)
    assert main_window.design_area.tabs.currentIndex() == GRAPH
    assert "Functional" in main_window.validity_label.text()


def test_invalid_design_disables_train_with_the_reason(main_window: MainWindow, qtbot) -> None:
    trigger_template(main_window, "sum_classifier")
    settle(qtbot, main_window)
    document = main_window.document
    document.insert_in_stack("Reshape", 1, {"target_shape": (3, 4)})
    settle(qtbot, main_window)
    assert not main_window.train_action.isEnabled()
    assert "Cannot train" in main_window.train_action.statusTip()
    assert "target shape" in main_window.statusBar().currentMessage()
    undo = main_window.findChild(type(main_window.train_action), "undoAction")
    assert undo.text() == "&Undo Add Reshape"
    undo.trigger()
    settle(qtbot, main_window)
    assert main_window.train_action.isEnabled()


def test_selecting_a_layer_shows_it_in_the_property_editor(main_window: MainWindow, qtbot) -> None:
    trigger_template(main_window, "two_five_one")
    settle(qtbot, main_window)
    hidden = main_window.document.stack_order()[1]
    main_window.document.selection.set([hidden])
    assert main_window.property_editor.node_id == hidden
    assert main_window.property_editor.fields["units"].widget.text() == "5"


def test_window_screenshots_with_designs(main_window: MainWindow, qtbot, tmp_path: Path) -> None:
    main_window.resize(1280, 800)
    for key, view in (("mnist_cnn", STACK), ("mnist_cnn", GRAPH), ("branching", GRAPH)):
        trigger_template(main_window, key)
        settle(qtbot, main_window)
        main_window.design_area.tabs.setCurrentIndex(view)
        QApplication.processEvents()
        path = tmp_path / f"{key}_{view}.png"
        assert main_window.grab().save(str(path))
        assert path.stat().st_size > 20_000


def test_the_whole_journey_example_data_training_weights(main_window, qtbot, tmp_path) -> None:
    """Open the first tutorial as an example, generate its data, train, inspect, save."""
    window = main_window
    window.open_example("sum_classifier")
    settle(qtbot, window)
    data_panel = window.data_panel
    with qtbot.waitSignal(data_panel.dataset_loaded, timeout=20_000):
        data_panel.load()
    data_panel.use_data()
    qtbot.waitUntil(lambda: window.document.data is not None, timeout=10_000)
    assert window.document.data.x_train.shape[1] == 5
    panel = window.training_panel
    panel.set_config(type(panel.config())(epochs=40, batch_size=32))
    with qtbot.waitSignal(window.training_controller.finished, timeout=60_000) as finished:
        panel.start()
    run = finished.args[0]
    assert run.status == "finished" and len(run.history["loss"]) == 40
    assert window.projects.modified
    window.show_dock("weights")
    window.weights_panel.setCurrentIndex(0)
    QApplication.processEvents()
    path = tmp_path / "journey.png"
    window.resize(1280, 800)
    assert window.grab().save(str(path))
    window.projects.ask_save_path = lambda: str(tmp_path / "journey.ndproj")
    assert window.projects.save_as()
    from designer.project import load_project

    saved = load_project(tmp_path / "journey.ndproj")
    assert saved.data_source["kind"] == "generator" and len(saved.runs) == 1
    assert saved.next_epoch == 40


def test_welcome_page_offers_the_examples(main_window, qtbot) -> None:
    window = main_window
    assert window.design_area.welcome_shown
    window.design_area.welcome.example_buttons["two_five_one"].click()
    settle(qtbot, window)
    assert not window.design_area.welcome_shown
    assert window.document.build_result.model.count_params() == 21
    window.load_template("empty")
    assert window.design_area.welcome_shown
    window.design_area.welcome.findChild(
        type(window.design_area.welcome.example_buttons["two_five_one"]), "welcomeEmpty"
    ).click()
    assert not window.design_area.welcome_shown
