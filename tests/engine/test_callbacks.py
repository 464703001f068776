"""Callbacks against a small fake model, driven the way Keras 3's fit drives them."""

from __future__ import annotations

import csv
import math
from typing import Any

import numpy as np
import pytest

from designer.engine import callbacks as C
from designer.engine.callbacks import progbar as progbar_module
from designer.engine.optimizers import SGD


class FakeModel:
    """The duck type callbacks talk to (a real optimizer for the learning rate)."""

    def __init__(self, lr: float = 0.1) -> None:
        self.stop_training = False
        self.weights = [np.zeros(2, np.float32)]
        self.optimizer = SGD(lr)
        self.saved: list[tuple[str, str]] = []
        self.history: Any = None

    def get_weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.weights]

    def set_weights(self, weights: list[np.ndarray]) -> None:
        self.weights = [np.array(w) for w in weights]

    def save(self, filepath: str) -> None:
        self.saved.append(("model", filepath))

    def save_weights(self, filepath: str) -> None:
        self.saved.append(("weights", filepath))


def fit(callbacks: list[C.Callback], monitored: list[float], key: str = "val_loss",
        steps: int = 1, model: FakeModel | None = None, verbose: int = 0) -> dict[str, Any]:
    """Keras 3's fit protocol; the weights hold the epoch number during that epoch."""
    model = model or FakeModel()
    cl = C.CallbackList(callbacks, add_history=True, add_progbar=verbose > 0, model=model,
                        verbose=verbose, epochs=len(monitored), steps=steps)
    cl.on_train_begin()
    lrs, epoch = [], 0
    for epoch, value in enumerate(monitored):
        cl.on_epoch_begin(epoch)
        model.weights = [np.full(2, float(epoch), np.float32)]
        for step in range(steps):
            cl.on_train_batch_begin(step)
            cl.on_train_batch_end(step, {"loss": np.float32(1.0)})
            if model.stop_training:
                break
        cl.on_epoch_end(epoch, {"loss": 1.0, key: value})
        lrs.append(model.optimizer.learning_rate)
        if model.stop_training:
            break
    cl.on_train_end()
    return {"last_epoch": epoch, "w": float(model.weights[0][0]), "lrs": lrs,
            "saved": [path for _, path in model.saved], "model": model}


SEQ = [1.0, 0.8, 0.9, 0.85, 0.7, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81]
# (last epoch run, weights left (= an epoch number)) from Keras 3.15 on the same driver.
EARLY_STOPPING_KERAS = [
    ({}, 2, 2.0),
    ({"patience": 2}, 3, 3.0),
    ({"patience": 2, "restore_best_weights": True}, 3, 1.0),
    ({"patience": 20, "restore_best_weights": True}, 11, 4.0),  # restored without stopping
    ({"patience": 2, "baseline": 0.5, "restore_best_weights": True}, 2, 1.0),
    ({"patience": 1, "min_delta": 0.15}, 2, 2.0),
    ({"patience": 1, "start_from_epoch": 4}, 5, 5.0),
]


@pytest.mark.parametrize(("kwargs", "last_epoch", "weights"), EARLY_STOPPING_KERAS)
def test_early_stopping_matches_keras(kwargs: dict[str, Any], last_epoch: int,
                                      weights: float) -> None:
    result = fit([C.EarlyStopping(**kwargs)], SEQ)
    assert (result["last_epoch"], result["w"]) == (last_epoch, weights)


def test_early_stopping_on_accuracy_in_auto_mode_maximises() -> None:
    result = fit([C.EarlyStopping(monitor="val_accuracy", patience=1)],
                 [0.5, 0.6, 0.55, 0.65, 0.64, 0.63, 0.62], key="val_accuracy")
    assert result["last_epoch"] == 2  # Keras with mode="max" stops at the same epoch


def test_early_stopping_auto_mode_reads_metric_direction() -> None:
    class Metric:
        name, _direction = "custom_score", "up"

    model = FakeModel()
    model.metrics = [Metric()]  # type: ignore[attr-defined]
    stopper = C.EarlyStopping(monitor="custom_score")
    fit([stopper], [1.0, 2.0], key="custom_score", model=model)
    assert stopper.best == 2.0
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        fit([C.EarlyStopping(monitor="wobble")], [1.0], key="wobble")


def test_early_stopping_warns_when_metric_missing() -> None:
    with pytest.warns(UserWarning, match="`val_loss` which is not available. Available "
                                         "metrics are: loss,val_acc"):
        result = fit([C.EarlyStopping()], [0.5, 0.4], key="val_acc")
    assert result["last_epoch"] == 1


def test_early_stopping_verbose_messages(capsys: pytest.CaptureFixture[str]) -> None:
    fit([C.EarlyStopping(patience=1, restore_best_weights=True, verbose=1)], SEQ)
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 2." in out


def test_reduce_lr_on_plateau_matches_keras() -> None:
    result = fit([C.ReduceLROnPlateau(patience=2, factor=0.5)], SEQ)
    assert result["lrs"] == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.00625, 0.00625])
    history = result["model"].history.history
    # Logged before that epoch's reduction, as Keras does.
    assert history["learning_rate"][:5] == pytest.approx([0.1, 0.1, 0.1, 0.1, 0.05])
    result = fit([C.ReduceLROnPlateau(patience=1, factor=0.5, cooldown=2, min_lr=0.02)], SEQ)
    assert result["lrs"] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02, 0.02, 0.02])


def test_reduce_lr_on_plateau_checks_and_messages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match=r"factor >= 1\.0"):
        C.ReduceLROnPlateau(factor=2.0)
    fit([C.ReduceLROnPlateau(patience=1, factor=0.5, verbose=1)], [1.0, 1.0])
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05." in capsys.readouterr().out
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss`"):
        fit([C.ReduceLROnPlateau()], [1.0], key="other")


def test_terminate_on_nan() -> None:
    model = FakeModel()
    cl = C.CallbackList([C.TerminateOnNaN()], model=model)
    cl.on_train_batch_end(0, {"loss": 0.5})
    assert not model.stop_training
    cl.on_train_batch_end(1, {"loss": np.float32("nan")})
    assert model.stop_training
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 3"):
        C.CallbackList([C.TerminateOnNaN(raise_error=True)], model=FakeModel()).on_train_batch_end(
            3, {"loss": math.inf})


def test_csv_logger(tmp_path: Any) -> None:
    path = tmp_path / "log.csv"
    fit([C.CSVLogger(path)], [0.5, 0.25], key="acc")
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["epoch", "acc", "loss", "val_acc", "val_loss"],
                    ["0", "0.5", "1.0", "NA", "NA"], ["1", "0.25", "1.0", "NA", "NA"]]
    fit([C.CSVLogger(path, separator=";", append=True)], [0.125], key="acc")
    lines = path.read_text().splitlines()
    assert len(lines) == 4  # no second header
    assert lines[-1] == "0;0.125;1.0;NA;NA"


def test_learning_rate_scheduler_old_and_new_signatures(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    result = fit([C.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))], [1, 1, 1])
    assert result["lrs"] == pytest.approx([0.1, 0.05, 0.1 / 3])
    assert result["model"].history.history["learning_rate"] == pytest.approx(result["lrs"])

    def halve(epoch: int, lr: float) -> float:
        return lr if epoch == 0 else lr * 0.5

    result = fit([C.LearningRateScheduler(halve, verbose=1)], [1, 1, 1])
    assert result["lrs"] == pytest.approx([0.1, 0.05, 0.025])
    assert "Epoch 3: LearningRateScheduler setting learning rate to 0.025." in (
        capsys.readouterr().out)
    with pytest.raises(ValueError, match="should be a float"):
        fit([C.LearningRateScheduler(lambda epoch: "fast")], [1])


def test_model_checkpoint_matches_keras() -> None:
    best = fit([C.ModelCheckpoint("m{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)],
               SEQ[:6])
    assert best["saved"] == ["m01-1.00.keras", "m02-0.80.keras", "m05-0.70.keras"]
    every = fit([C.ModelCheckpoint("w.{epoch}.weights.h5", save_weights_only=True)], SEQ[:3])
    assert every["model"].saved == [("weights", f"w.{i}.weights.h5") for i in (1, 2, 3)]
    threshold = fit([C.ModelCheckpoint("m.keras", save_best_only=True,
                                       initial_value_threshold=0.75)], SEQ[:6])
    assert threshold["saved"] == ["m.keras"]


def test_model_checkpoint_batch_frequency_dirs_and_errors(tmp_path: Any) -> None:
    target = tmp_path / "sub" / "e{epoch}b{batch}.keras"
    result = fit([C.ModelCheckpoint(target, save_freq=3)], [1.0, 1.0], steps=4)
    assert [p.rsplit("/", 1)[1] for p in result["saved"]] == ["e1b3.keras", "e2b2.keras"]
    assert (tmp_path / "sub").is_dir()
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        fit([C.ModelCheckpoint("{val_acc}.keras")], [1.0])
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        C.ModelCheckpoint("m.keras", save_freq="batch")


def test_history_and_model_history() -> None:
    result = fit([], [0.5, 0.4])
    history = result["model"].history
    assert isinstance(history, C.History)
    assert history.epoch == [0, 1]
    assert history.history == {"loss": [1.0, 1.0], "val_loss": [0.5, 0.4]}


def test_lambda_callback_and_legacy_batch_hook() -> None:
    seen: list[Any] = []

    class Legacy(C.Callback):
        def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
            seen.append(("legacy", batch))

    lam = C.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(("epoch", epoch)),
                           on_train_batch_end=lambda batch, logs: seen.append(("batch", batch)),
                           on_test_end=lambda logs: seen.append("test"))
    fit([Legacy(), lam], [1.0], steps=2)
    C.CallbackList([lam]).on_test_end()
    assert seen == [("legacy", 0), ("batch", 0), ("legacy", 1), ("batch", 1), ("epoch", 0),
                    "test"]


def test_callback_list_skips_callbacks_without_batch_hooks() -> None:
    class EpochOnly(C.Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            pass

    cl = C.CallbackList([EpochOnly(), C.EarlyStopping()], add_history=True, add_progbar=True,
                        verbose=2, epochs=1, steps=4)
    assert not cl.wants_train_batch_logs  # verbose=2 bar needs no per-batch call
    cl.set_params({"verbose": 1, "epochs": 1, "steps": 4})
    assert cl.wants_train_batch_logs


def test_callback_list_wiring() -> None:
    history = C.History()
    model = FakeModel()
    cl = C.CallbackList([[history], C.EarlyStopping()], add_history=True, model=model,
                        verbose=0, epochs=3, steps=2)
    assert sum(isinstance(cb, C.History) for cb in cl.callbacks) == 1
    assert model.history is history
    assert all(cb.model is model for cb in cl.callbacks)
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 2}
    with pytest.raises(TypeError, match="Expected a `Callback` instance"):
        C.CallbackList(["early"])  # type: ignore[list-item]
    logs: dict[str, Any] = {}
    cl.append(C.LambdaCallback(on_train_batch_end=lambda batch, got: logs.update(got)))
    cl.on_train_batch_end(0, {"loss": np.float32(0.5), "nested": {"acc": np.array(1)}})
    assert logs == {"acc": 1.0, "loss": 0.5}
    assert all(type(v) is float for v in logs.values())


class FakeClock:
    """Replaces `time` in the progbar module: each reading is 2 ms after the last."""

    def __init__(self) -> None:
        self.now = 1000.0

    def time(self) -> float:
        self.now += 0.002
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(progbar_module, "time", fake)
    return fake


def run_progbar_fit(verbose: int, epochs: int = 2, steps: int = 8) -> None:
    cl = C.CallbackList([], add_progbar=True, verbose=verbose, epochs=epochs, steps=steps)
    cl.on_train_begin()
    for epoch in range(epochs):
        cl.on_epoch_begin(epoch)
        for step in range(steps):
            cl.on_train_batch_begin(step)
            cl.on_train_batch_end(step, {"loss": 0.6931, "accuracy": 0.5})
        cl.on_epoch_end(epoch, {"loss": 0.6931, "accuracy": 0.5})
    cl.on_train_end()


def test_progbar_logger_verbose_1(capsys: pytest.CaptureFixture[str], clock: FakeClock) -> None:
    run_progbar_fit(verbose=1)
    out = capsys.readouterr().out
    bar_start = "1/8 ━━" + "─" * 18 + " 0s 2ms/step - accuracy: 0.5000 - loss: 0.6931"
    final = "8/8 " + "━" * 20 + " 0s 2ms/step - accuracy: 0.5000 - loss: 0.6931"
    epoch = f"\r{bar_start}\r{final}\n"  # later batches fall inside the 0.05 s throttle
    assert out == f"Epoch 1/2\n{epoch}Epoch 2/2\n{epoch}"


def test_progbar_logger_verbose_2_and_0(capsys: pytest.CaptureFixture[str],
                                        clock: FakeClock) -> None:
    run_progbar_fit(verbose=2)
    # verbose=2 skips per-batch work, so the clock is read only at epoch start and end:
    # 2 ms over 8 steps.
    line = "8/8 - 0s - 250us/step - accuracy: 0.5000 - loss: 0.6931\n"
    assert capsys.readouterr().out == f"Epoch 1/2\n{line}Epoch 2/2\n{line}"
    run_progbar_fit(verbose=0)
    assert capsys.readouterr().out == ""
    run_progbar_fit(verbose=2, epochs=1)  # no "Epoch 1/1" header for a single epoch
    assert capsys.readouterr().out == line


def test_progbar_averages_and_unknown_target(capsys: pytest.CaptureFixture[str],
                                             clock: FakeClock) -> None:
    bar = C.Progbar(target=10, verbose=1, interval=0.0)
    bar.add(2, [("loss", 1.0)])
    bar.add(1, [("loss", 3.0)])  # averaged over steps: (2*1 + 1*3) / 3
    out = capsys.readouterr().out
    assert "2/10" in out and "loss: 1.0000" in out
    assert "3/10" in out and "loss: 1.6667" in out
    unknown = C.Progbar(target=None, verbose=1, interval=0.0, stateful_metrics=["acc"])
    unknown.update(3, {"acc": 0.25})
    unknown.update(4, {"acc": 0.75})  # stateful: shown as given
    out = capsys.readouterr().out
    assert "      3/Unknown" in out and out.rstrip().endswith("acc: 0.7500")
    small = C.Progbar(target=2, verbose=2)
    small.update(2, [("loss", 1e-5)])
    assert capsys.readouterr().out.endswith("loss: 1.0000e-05\n")
