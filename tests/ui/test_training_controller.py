"""Training on the worker thread, driven as the train panel drives it."""

from __future__ import annotations

import numpy as np
import pytest

from designer.spec.templates import template
from designer.training import TrainingConfig
from designer.ui.document import Document
from designer.ui.training.controller import TrainingController, TrainingError


def sum_data(n: int = 250, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, 5)).astype(np.float32)
    return x, ((x.sum(axis=1) > 2.5) * 2 - 1).astype(np.float32)


@pytest.fixture
def setup(qtbot):
    document = Document()
    document.reset(*template("sum_classifier").make())
    controller = TrainingController(document)
    yield document, controller
    controller.shutdown()


def test_a_run_trains_reports_each_epoch_and_returns_weights(qtbot, setup) -> None:
    document, controller = setup
    before = [w.copy() for w in document.build_result.model.get_weights()]
    epochs: list[int] = []
    controller.epoch_ended.connect(lambda epoch, logs: epochs.append(epoch))
    x, y = sum_data(500)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as finished:
        controller.start(x, y, TrainingConfig(epochs=150, batch_size=32))
        assert controller.running and document.locked_reason
    run = finished.args[0]
    assert epochs == list(range(150))
    assert run.status == "finished" and len(run.history["loss"]) == 150
    assert run.history["val_accuracy"][-1] > 0.9
    assert not controller.running and document.locked_reason == ""
    after = document.build_result.model.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(before, after, strict=True))


def test_pause_stops_epochs_and_resume_continues(qtbot, setup) -> None:
    _, controller = setup
    epochs: list[int] = []
    controller.epoch_ended.connect(lambda epoch, logs: epochs.append(epoch))
    x, y = sum_data(2000)
    controller.start(x, y, TrainingConfig(epochs=400, batch_size=16))
    qtbot.waitUntil(lambda: len(epochs) >= 2, timeout=30_000)
    controller.pause()
    qtbot.wait(300)
    count = len(epochs)
    qtbot.wait(500)
    assert len(epochs) <= count + 1  # at most the epoch that was finishing
    paused_at = len(epochs)
    controller.resume()
    qtbot.waitUntil(lambda: len(epochs) > paused_at + 1, timeout=30_000)
    with qtbot.waitSignal(controller.finished, timeout=30_000) as finished:
        controller.stop()
    assert finished.args[0].status == "stopped"
    assert len(epochs) < 400


def test_stop_keeps_weights_and_continue_resumes_epoch_numbers(qtbot, setup) -> None:
    document, controller = setup
    x, y = sum_data(2000)
    epochs: list[int] = []
    controller.epoch_ended.connect(lambda epoch, logs: epochs.append(epoch))
    controller.start(x, y, TrainingConfig(epochs=500, batch_size=16))
    qtbot.waitUntil(lambda: len(epochs) >= 3, timeout=30_000)
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.stop()
    done = controller.next_epoch
    assert done >= 3
    trained = [w.copy() for w in document.build_result.model.get_weights()]
    epochs.clear()
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.start(x, y, TrainingConfig(epochs=2, batch_size=64), continue_training=True)
    assert epochs == [done, done + 1]
    assert any(
        not np.allclose(a, b)
        for a, b in zip(trained, document.build_result.model.get_weights(), strict=True)
    )


def test_nan_run_stops_with_a_message_and_keeps_good_weights(qtbot, setup) -> None:
    document, controller = setup
    document.set_compile(
        type(document.compile_settings)("sgd", {"learning_rate": 1e6}, "mean_squared_error", [])
    )
    document.set_param(document.stack_order()[-1], "activation", "linear")
    x, y = sum_data()
    x = x * 1e6
    with qtbot.waitSignal(controller.finished, timeout=30_000) as finished:
        controller.start(x, y, TrainingConfig(epochs=50, batch_size=32, validation_split=0.0))
    run = finished.args[0]
    assert run.status == "nan" and "NaN" in run.message
    for weights in document.weights.values():
        assert all(np.isfinite(w).all() for w in weights)


def test_cannot_start_without_data_or_with_a_broken_design(qtbot, setup) -> None:
    document, controller = setup
    with pytest.raises(TrainingError, match="no data"):
        controller.start(None, None, TrainingConfig())
    with pytest.raises(TrainingError, match="Epochs"):
        controller.start(*sum_data(), TrainingConfig(epochs=0))
    document.insert_in_stack("Reshape", 1, {"target_shape": (7,)})
    with pytest.raises(TrainingError, match="cannot be built"):
        controller.start(*sum_data(), TrainingConfig())


def test_errors_in_the_worker_reach_the_window(qtbot, setup) -> None:
    document, controller = setup
    x, _ = sum_data()
    with qtbot.waitSignal(controller.failed, timeout=30_000) as failed:
        controller.start(x, np.full((250, 3), 5, np.float32), TrainingConfig(epochs=2))
    assert "Training failed" in failed.args[0] and "Traceback" in failed.args[1]
    assert not controller.running and document.locked_reason == ""


def test_shutdown_during_training_leaves_no_running_thread(qtbot, setup) -> None:
    _, controller = setup
    x, y = sum_data(5000)
    controller.start(x, y, TrainingConfig(epochs=1000, batch_size=8))
    qtbot.wait(200)
    thread = controller._thread
    assert controller.shutdown(timeout_ms=20_000)
    assert not thread.isRunning() if thread is not None else True
    assert not controller.running


def test_live_weight_snapshots_arrive_during_a_run(qtbot, setup) -> None:
    document, controller = setup
    controller.set_live_weights(True)
    snapshots: list[dict] = []
    controller.weights_snapshot.connect(snapshots.append)
    x, y = sum_data(4000)
    controller.start(x, y, TrainingConfig(epochs=200, batch_size=8))
    qtbot.waitUntil(lambda: len(snapshots) >= 2, timeout=30_000)
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.stop()
    first = snapshots[0]
    assert set(first) == set(document.weights)
    assert [w.shape for w in next(iter(first.values()))] == [
        w.shape for w in document.weights[next(iter(first))]
    ]


def test_a_frozen_layer_keeps_its_weights_through_training(qtbot, setup) -> None:
    document, controller = setup
    hidden = document.stack_order()[1]
    document.set_trainable(hidden, False)
    assert document.undo_stack.undoText() == "Freeze Dense"
    frozen = [w.copy() for w in document.weights[hidden]]
    output_before = [w.copy() for w in document.weights[document.stack_order()[2]]]
    x, y = sum_data()
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.start(x, y, TrainingConfig(epochs=3, batch_size=32))
    for a, b in zip(frozen, document.weights[hidden], strict=True):
        np.testing.assert_array_equal(a, b)
    changed = document.weights[document.stack_order()[2]]
    assert any(not np.array_equal(a, b) for a, b in zip(output_before, changed, strict=True))
    from designer.spec.serialize import design_from_dict, design_to_dict

    assert not design_from_dict(design_to_dict(document.design)).node(hidden).trainable
