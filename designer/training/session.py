"""One `fit` call with the panel's callbacks: the code both the GUI and the CLI run."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine import callbacks as engine_callbacks
from designer.training.config import TrainingConfig


class ModelSetupError(ValueError):
    """A design, weights or compile settings that cannot make a trainable model."""


def build_trainable_model(
    design: Any, weights: dict[str, list], settings: Any, seed: int | None = None
) -> tuple[Any, dict[str, Any]]:
    """A fresh compiled engine model of `design` carrying `weights` (node id → arrays),
    and each node's layer (first use of a shared layer only), to send weights back.

    `seed` (the run's seed) fixes the initial values of layers without saved weights,
    so that the same project and seed train to the same numbers. The GUI's training
    runs and the command line both start here.
    """
    from designer.spec.build import build_design

    if seed is not None:
        from designer.engine.utils import set_random_seed

        set_random_seed(seed)
    result = build_design(design)
    if not result.ok:
        raise ModelSetupError(f"The design cannot be built: {result.issues[0].text()}")
    layer_of_node: dict[str, Any] = {}
    for node_id, info in result.nodes.items():
        if info.layer is None or any(info.layer is v for v in layer_of_node.values()):
            continue
        layer_of_node[node_id] = info.layer
        kept = weights.get(node_id)
        if kept is not None:
            try:
                info.layer.set_weights(kept)
            except ValueError as error:
                raise ModelSetupError(
                    f"Saved weights do not fit layer {node_id}: {error}"
                ) from None
    try:
        settings.compile(result.model)
    except (ValueError, TypeError) as error:
        raise ModelSetupError(f"The compile settings do not work: {error}") from None
    return result.model, layer_of_node


class NaNStop(engine_callbacks.Callback):
    """Stops at the first NaN/inf batch loss and restores the last good weights.

    Keras' TerminateOnNaN stops but keeps the broken weights; the app keeps the
    weights from the last finite epoch so the model stays usable.
    """

    def __init__(self) -> None:
        super().__init__()
        self.triggered_at: tuple[int, int] | None = None
        self._good: list[np.ndarray] | None = None
        self._epoch = 0

    def on_train_begin(self, logs=None):
        self._good = self.model.get_weights()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not np.isfinite(loss):
            self.triggered_at = (self._epoch, batch)
            self.model.stop_training = True
            if self._good is not None:
                self.model.set_weights(self._good)

    def on_epoch_end(self, epoch, logs=None):
        if self.triggered_at is None and np.isfinite((logs or {}).get("loss", 0.0)):
            self._good = self.model.get_weights()


def build_callbacks(config: TrainingConfig, has_validation: bool) -> list[Any]:
    """The engine callbacks the settings ask for (monitors fall back to training loss)."""
    result: list[Any] = []
    monitor = config.early_stopping_monitor
    if not has_validation and monitor.startswith("val_"):
        monitor = monitor[4:]
    if config.early_stopping:
        result.append(
            engine_callbacks.EarlyStopping(
                monitor=monitor,
                patience=config.early_stopping_patience,
                restore_best_weights=config.restore_best_weights,
            )
        )
    if config.reduce_lr_on_plateau:
        result.append(
            engine_callbacks.ReduceLROnPlateau(
                monitor=monitor,
                factor=config.reduce_lr_factor,
                patience=config.reduce_lr_patience,
            )
        )
    if config.stop_on_nan:
        result.append(NaNStop())
    return result


def fit_model(
    model: Any,
    x: Any,
    y: Any,
    config: TrainingConfig,
    validation_data: tuple[Any, Any] | None = None,
    initial_epoch: int = 0,
    extra_callbacks: list[Any] | None = None,
    verbose: int = 0,
) -> tuple[Any, list[Any]]:
    """Train `model` (compiled) with `config`; returns the History and the callbacks used."""
    if config.seed is not None:
        from designer.engine.utils import set_random_seed

        set_random_seed(config.seed + initial_epoch)
    callbacks = build_callbacks(
        config, has_validation=validation_data is not None or config.validation_split > 0
    )
    history = model.fit(
        x,
        y,
        batch_size=config.batch_size,
        epochs=initial_epoch + config.epochs,
        initial_epoch=initial_epoch,
        shuffle=config.shuffle,
        validation_data=validation_data,
        validation_split=0.0 if validation_data is not None else config.validation_split,
        callbacks=[*callbacks, *(extra_callbacks or [])],
        verbose=verbose,
    )
    return history, callbacks
