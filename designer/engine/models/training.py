"""compile / fit / evaluate / predict: Keras' training API over the model's graph.

One training step = forward (training=True) → each output's loss and its gradient
(`Loss.value_and_grad`) → backward through the graph into the flat gradient buffer
→ one `optimizer.apply_flat` → metrics on the step's predictions. Everything that can
be done once per call (checks, conversions, resolving metrics) happens outside the
batch loop.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import numpy as np

from designer.engine import losses as losses_module
from designer.engine import memory
from designer.engine import metrics as metrics_module
from designer.engine import optimizers as optimizers_module
from designer.engine.callbacks import CallbackList
from designer.engine.models import data_adapter as adapter
from designer.engine.models.parameters import ParameterPack

INFERENCE_ROWS = 256  # most rows per forward pass in `predict`


class Trainer:
    """Mixin for `Model`: needs `graph`, `input_names`, `output_names`, `_input_shapes()`."""

    compiled = False
    optimizer: Any = None
    stop_training = False
    history: Any = None
    _pack: ParameterPack | None = None

    # -- compile -------------------------------------------------------------------
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: Any = "auto",
        **kwargs: Any,
    ) -> None:
        """Choose the optimizer, the loss (per output) and the metrics to report."""
        unknown = set(kwargs) - {"sample_weight_mode", "target_tensors"}
        if unknown:
            raise TypeError(f"Invalid keyword arguments for compile(): {sorted(unknown)}")
        self._ensure_graph_for("compile")
        names = self.output_names
        optimizer = optimizers_module.get(optimizer)
        loss_list = self._per_output(loss, "loss", allow_none=True)
        resolved_losses = [None if item is None else losses_module.get(item) for item in loss_list]
        weights = (
            self._per_output(loss_weights, "loss_weights") if loss_weights is not None else None
        )
        metric_lists = [
            [(m, False) for m in plain] + [(m, True) for m in weighted]
            for plain, weighted in zip(
                self._metric_specs(metrics), self._metric_specs(weighted_metrics), strict=True
            )
        ]
        # Resolve everything before changing state, so a bad name changes nothing.
        self.optimizer = optimizer
        self.loss = loss
        self._losses = resolved_losses
        self._loss_weights = [1.0] * len(names) if weights is None else [float(w) for w in weights]
        self._metric_identifiers = metric_lists
        self._metrics: list[list[Any]] | None = None
        self.compiled = True

    def _per_output(self, value: Any, what: str, allow_none: bool = False) -> list[Any]:
        names = self.output_names
        if isinstance(value, dict):
            unknown = set(value) - set(names)
            if unknown:
                raise ValueError(
                    f"Unknown output names in `{what}`: {sorted(unknown)}. "
                    f"The model's outputs are {names}."
                )
            return [value.get(n) for n in names]
        if isinstance(value, (list, tuple)) and len(names) > 1:
            if len(value) != len(names):
                raise ValueError(
                    f"`{what}` has {len(value)} entries but the model has {len(names)} "
                    f"outputs {names}."
                )
            return list(value)
        return [value] * len(names)

    def _metric_specs(self, metrics: Any) -> list[list[Any]]:
        names = self.output_names
        if metrics is None:
            return [[] for _ in names]
        if isinstance(metrics, dict):
            return [adapter.as_list(metrics.get(n)) for n in names]
        metrics = adapter.as_list(metrics)
        if len(names) > 1 and metrics and all(isinstance(m, (list, tuple)) for m in metrics):
            return [list(m) for m in metrics]
        return [list(metrics) for _ in names]

    def _resolved_metrics(self, ys: list[np.ndarray], preds_shapes: list[tuple]) -> list[list[Any]]:
        """Metric objects per output, made once the target shapes are known.

        As in Keras 3, `metrics` ignore sample weights and `weighted_metrics` use them;
        each metric carries that choice as `_uses_sample_weight`.
        """
        if self._metrics is None:
            resolved: list[list[Any]] = []
            for i in range(len(self.output_names)):
                output_metrics = []
                names = set()
                for identifier, weighted in self._metric_identifiers[i]:
                    metric = metrics_module.resolve_metric(
                        identifier, self._losses[i], ys[i].shape, preds_shapes[i]
                    )
                    metric._uses_sample_weight = weighted
                    if metric.name in names:
                        metric.name = f"weighted_{metric.name}"
                    names.add(metric.name)
                    output_metrics.append(metric)
                resolved.append(output_metrics)
            self._metrics = resolved
        return self._metrics

    # -- data ------------------------------------------------------------------------
    def _prepare_x(self, x: Any, what: str = "x") -> list[np.ndarray]:
        xs = adapter.to_arrays(x, self.input_names, "input")
        adapter.check_not_empty(xs, what)
        if not self._has_graph():
            self._build_from_data(xs[0].shape)
        adapter.check_input_shapes(xs, self._input_shapes(), self.input_names, self.name)
        return xs

    def _prepare_xy(
        self,
        x: Any,
        y: Any,
        sample_weight: Any = None,
        class_weight: Any = None,
        what: str = "x",
    ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray | None]]:
        if x is None:
            raise ValueError("No input data: pass `x` (the inputs) and `y` (the targets).")
        if y is None:
            raise ValueError(
                "No target data: pass `y` (one target per input row) to train or evaluate."
            )
        xs = self._prepare_x(x, what)
        ys = adapter.to_arrays(y, self.output_names, "target")
        sws: list[np.ndarray | None] = [None] * len(ys)
        if sample_weight is not None:
            sws = [
                None if s is None else a
                for s, a in zip(
                    adapter.as_list(sample_weight) if len(ys) > 1 else [sample_weight],
                    adapter.to_arrays(sample_weight, self.output_names, "sample_weight"),
                    strict=False,
                )
            ]
        if class_weight:
            if len(ys) > 1:
                raise ValueError("`class_weight` is only supported for models with one output.")
            cw = adapter.class_weights_to_sample_weights(ys[0], class_weight)
            sws[0] = cw if sws[0] is None else sws[0] * cw
        adapter.check_same_length(
            {"x": xs, "y": ys, "sample_weight": [s for s in sws if s is not None]}
        )
        adapter.check_finite(xs, "input")
        adapter.check_finite(ys, "target")
        return xs, ys, sws

    def _ensure_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(
                f"You must call `compile()` before using the model for `{what}()`: it sets the "
                "optimizer and the loss."
            )
        if all(loss is None for loss in self._losses):
            raise ValueError(
                f"The model has no loss to optimize: pass `loss=` to `compile()` before `{what}()`."
            )

    # -- the steps -------------------------------------------------------------------
    def _trainable_pack(self) -> ParameterPack:
        variables = self.trainable_weights
        if self._pack is None or not self._pack.holds(variables):
            self._pack = ParameterPack(variables)
        return self._pack

    def _losses_and_grads(
        self, ys: list[np.ndarray], preds: list[np.ndarray], sws: list[Any]
    ) -> tuple[float, list[np.ndarray | None]]:
        total = 0.0
        grads: list[np.ndarray | None] = []
        for loss, weight, y, p, sw in zip(
            self._losses, self._loss_weights, ys, preds, sws, strict=True
        ):
            if loss is None:
                grads.append(None)
                continue
            value, grad = loss.value_and_grad(y, p, sw)
            total += weight * float(value)
            grads.append(grad if weight == 1.0 else grad * np.float32(weight))
        return total, grads

    def _prepare_step_state(self) -> None:
        """Look up, once per call of fit/evaluate/..., what every step needs."""
        memory.keep_freed_memory()
        self._active_pack = self._trainable_pack()
        self._active_regularized = [v for v in self.weights if v.regularizer is not None]

    def _regularization(self, pack: ParameterPack | None) -> float:
        penalty = 0.0
        for variable in self._active_regularized:
            penalty += float(variable.regularizer(variable.value))
            if pack is not None and variable.trainable:
                pack.add_grad(variable, variable.regularizer.gradient(variable.value))
        return penalty

    def _train_step(
        self, xs: list[np.ndarray], ys: list[np.ndarray], sws: list[Any], metrics: list[list[Any]]
    ) -> float:
        pack = self._active_pack
        preds, contexts = self.graph.forward(xs, training=True, keep_context=True)
        loss, output_grads = self._losses_and_grads(ys, preds, sws)
        pack.zero_grads()
        try:
            self.graph.backward(contexts, output_grads, pack.add_grad)
        finally:
            pack.finish_grads()
        loss += self._regularization(pack)
        self.optimizer.apply_flat(pack.grads, pack.values, pack.segments)
        for output_metrics, y, p, sw in zip(metrics, ys, preds, sws, strict=True):
            for metric in output_metrics:
                metric.update_state(y, p, sw if metric._uses_sample_weight else None)
        return loss

    def _test_step(
        self, xs: list[np.ndarray], ys: list[np.ndarray], sws: list[Any], metrics: list[list[Any]]
    ) -> float:
        preds, _ = self.graph.forward(xs, training=False)
        loss = 0.0
        for loss_fn, weight, y, p, sw in zip(
            self._losses, self._loss_weights, ys, preds, sws, strict=True
        ):
            if loss_fn is not None:
                loss += weight * float(loss_fn(y, p, sample_weight=sw))
        loss += self._regularization(None)
        for output_metrics, y, p, sw in zip(metrics, ys, preds, sws, strict=True):
            for metric in output_metrics:
                metric.update_state(y, p, sw if metric._uses_sample_weight else None)
        return loss

    def _metric_logs(self, metrics: list[list[Any]], loss_mean: float, prefix: str = "") -> dict:
        logs: dict[str, float] = {f"{prefix}loss": loss_mean}
        several = len(self.output_names) > 1
        for name, output_metrics in zip(self.output_names, metrics, strict=True):
            for metric in output_metrics:
                key = f"{name}_{metric.name}" if several else metric.name
                logs[f"{prefix}{key}"] = float(metric.result())
        return logs

    @staticmethod
    def _reset(metrics: list[list[Any]]) -> None:
        for output_metrics in metrics:
            for metric in output_metrics:
                metric.reset_state()

    def _pred_shapes(self) -> list[tuple]:
        return [tuple(t.shape) for t in self.graph.outputs]

    # -- fit -------------------------------------------------------------------------
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: Any = "auto",
        callbacks: Any = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
        **kwargs: Any,
    ) -> Any:
        """Train for `epochs` epochs; returns the `History` (keys as Keras: loss, val_loss...)."""
        if "nb_epoch" in kwargs:  # Keras 1
            epochs = kwargs.pop("nb_epoch")
        if kwargs:
            raise TypeError(f"Invalid keyword arguments for fit(): {sorted(kwargs)}")
        self._ensure_compiled("fit")
        batch_size = _check_batch_size(batch_size)
        xs, ys, sws = self._prepare_xy(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            val = self._validation_arrays(validation_data)
        elif validation_split:
            (xs, ys, sws_split), (vx, vy, vsw) = adapter.split_validation(
                [xs, ys, [s if s is not None else np.ones(len(xs[0]), np.float32) for s in sws]],
                validation_split,
            )
            val = (vx, vy, [s if sw is not None else None for s, sw in zip(vsw, sws, strict=True)])
            sws = [s if sw is not None else None for s, sw in zip(sws_split, sws, strict=True)]
        n = len(xs[0])
        metrics = self._resolved_metrics(ys, self._pred_shapes())
        steps = -(-n // batch_size)
        verbose = 1 if verbose == "auto" else int(verbose)
        callback_list = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=steps,
        )
        self.stop_training = False
        self._prepare_step_state()
        callback_list.on_train_begin()
        # After on_train_begin: a callback (the progress bar) may start listening there.
        wants_logs = bool(callback_list.wants_train_batch_logs)
        logs: dict[str, float] = {}
        for epoch in range(initial_epoch, epochs):
            self._reset(metrics)
            callback_list.on_epoch_begin(epoch)
            order = np.random.permutation(n) if shuffle else None
            seen = 0
            loss_sum = 0.0
            for step, rows in enumerate(adapter.batches(n, batch_size, order)):
                callback_list.on_train_batch_begin(step)
                bx = [a[rows] for a in xs]
                by = [a[rows] for a in ys]
                bw = [None if s is None else s[rows] for s in sws]
                count = len(by[0])
                loss = self._train_step(bx, by, bw, metrics)
                seen += count
                loss_sum += loss * count
                # Per-batch logs only when someone listens (progress bar, GUI bridge, ...).
                batch_logs = self._metric_logs(metrics, loss_sum / seen) if wants_logs else None
                callback_list.on_train_batch_end(step, batch_logs)
                if self.stop_training:
                    break
            epoch_logs = self._metric_logs(metrics, loss_sum / max(seen, 1))
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_arrays(
                    *val, validation_batch_size or batch_size, callbacks=None
                )
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            logs = epoch_logs
            if self.stop_training:
                break
        callback_list.on_train_end(logs)
        return self.history

    def _validation_arrays(self, data: Any) -> tuple[list, list, list]:
        if not isinstance(data, (list, tuple)) or len(data) not in (2, 3):
            raise ValueError(
                "`validation_data` must be a tuple (x_val, y_val) or (x_val, y_val, "
                f"sample_weight). Received: {type(data).__name__}"
            )
        return self._prepare_xy(*data[:3], what="validation_data")

    # -- evaluate / predict --------------------------------------------------------
    def _evaluate_arrays(
        self, xs: list, ys: list, sws: list, batch_size: int, callbacks: Any = None
    ) -> dict[str, float]:
        metrics = self._fresh_metrics(ys)
        n = len(xs[0])
        total = 0.0
        for rows in adapter.batches(n, batch_size, None):
            by = [a[rows] for a in ys]
            loss = self._test_step(
                [a[rows] for a in xs], by, [None if s is None else s[rows] for s in sws], metrics
            )
            total += loss * len(by[0])
        return self._metric_logs(metrics, total / max(n, 1))

    def _fresh_metrics(self, ys: list[np.ndarray]) -> list[list[Any]]:
        """Separate metric objects for evaluation, so training's running values are kept."""
        trained = self._resolved_metrics(ys, self._pred_shapes())
        fresh = [[_clone_metric(m) for m in output_metrics] for output_metrics in trained]
        return fresh

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: Any = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Any = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> Any:
        """The loss (and metrics) on data: a scalar, or `[loss, *metrics]` as Keras returns."""
        self._ensure_compiled("evaluate")
        batch_size = _check_batch_size(batch_size)
        xs, ys, sws = self._prepare_xy(x, y, sample_weight)
        started = time.perf_counter()
        self._prepare_step_state()
        logs = self._evaluate_arrays(xs, ys, sws, batch_size)
        verbose = 1 if verbose == "auto" else int(verbose)
        if verbose:
            elapsed = time.perf_counter() - started
            steps_done = -(-len(xs[0]) // batch_size)
            text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
            print(f"{steps_done}/{steps_done} - {elapsed:.0f}s - {text}")
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: Any = "auto",
        steps: int | None = None,
        callbacks: Any = None,
    ) -> Any:
        """Outputs for `x` in inference mode (dropout off), batch by batch."""
        batch_size = _check_batch_size(batch_size)
        xs = self._prepare_x(x)
        adapter.check_finite(xs, "input")
        n = len(xs[0])
        chunks: list[list[np.ndarray]] = [[] for _ in self.output_names]
        # Each sample's output is independent of its batch, so large batches run as
        # cache-sized slices: a 1000-image conv batch spills 60 MB of im2col columns and
        # 74 MB of feature maps out of the caches; 256 rows at a time is 20% faster.
        for rows in adapter.batches(n, min(batch_size, INFERENCE_ROWS), None):
            outputs, _ = self.graph.forward([a[rows] for a in xs], training=False)
            for store, out in zip(chunks, outputs, strict=True):
                store.append(out)
        results = [np.concatenate(c) if len(c) > 1 else c[0] for c in chunks]
        return results[0] if len(results) == 1 else results

    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: Any = None,
        return_dict: bool = False,
    ) -> Any:
        """One optimizer step on exactly this batch."""
        self._ensure_compiled("train_on_batch")
        xs, ys, sws = self._prepare_xy(x, y, sample_weight, class_weight)
        metrics = self._resolved_metrics(ys, self._pred_shapes())
        self._reset(metrics)
        self._prepare_step_state()
        loss = self._train_step(xs, ys, sws, metrics)
        return self._batch_result(self._metric_logs(metrics, loss), return_dict)

    def test_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ) -> Any:
        self._ensure_compiled("test_on_batch")
        xs, ys, sws = self._prepare_xy(x, y, sample_weight)
        metrics = self._fresh_metrics(ys)
        self._prepare_step_state()
        loss = self._test_step(xs, ys, sws, metrics)
        return self._batch_result(self._metric_logs(metrics, loss), return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        outputs, _ = self.graph.forward(self._prepare_x(x), training=False)
        return outputs[0] if len(outputs) == 1 else outputs

    @staticmethod
    def _batch_result(logs: dict[str, float], return_dict: bool) -> Any:
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values


def _check_batch_size(batch_size: Any) -> int:
    if batch_size is None:
        return 32
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size <= 0
    ):
        raise ValueError(
            f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}"
        )
    return int(batch_size)


def _clone_metric(metric: Any) -> Any:
    clone = copy.deepcopy(metric)
    clone.reset_state()
    return clone
