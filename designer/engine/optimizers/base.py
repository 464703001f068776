"""The optimizer base: learning rate, clipping, weight decay and slot storage.

Each optimizer writes its math once, in `update_step(gradient, value, learning_rate,
slots)`, with in-place NumPy ops on preallocated scratch. Two entry points run it:

* `apply_gradients([(grad, variable), ...])` / `apply(grads, variables)`: Keras' API,
  one `update_step` per variable.
* `apply_flat(grad, param, segments)`: the training loop's fast path. `param` is one
  flat buffer holding every trainable weight (variables are views into it), so one
  `update_step` updates the whole model with a handful of vectorised ops.

Slots (momentums, velocities...) are always stored as flat arrays; per-variable slots
are views into them, so both entry points share state and give identical numbers.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from designer.engine import parallel
from designer.engine.optimizers import schedules as _schedules
from designer.engine.optimizers.clipping import clip_flat, clip_list, needs_clipping

__all__ = ["Optimizer"]


def _f32(x: float) -> float:
    """`x` rounded to float32, as Keras computes step scalars in the variable dtype."""
    return float(np.float32(x))


def _snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Optimizer:
    """Base class of all optimizers (Keras 3 API plus Keras 2's `lr=` and `decay=`)."""

    def __init__(
        self,
        learning_rate: Any,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        if "lr" in kwargs:  # Keras 1/2 spelling
            learning_rate = kwargs.pop("lr")
        decay = kwargs.pop("decay", None)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if use_ema:
            raise ValueError(
                "Argument `use_ema=True` is not supported by this engine. Received: use_ema=True"
            )
        if gradient_accumulation_steps:
            raise ValueError(
                "Argument `gradient_accumulation_steps` is not supported by this engine. "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
        self.name = name or _snake_case(self.__class__.__name__)
        self.weight_decay = None if weight_decay is None else float(weight_decay)
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = False
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = None
        self.decay = float(decay) if decay else 0.0
        self.iterations = 0
        self._learning_rate: Any = None
        self._set_learning_rate(learning_rate)
        self.built = False
        self._trainable_variables: list[Any] = []
        self._var_index: dict[int, int] = {}
        self._segments: list[slice] = []
        self._slots: dict[str, np.ndarray] = {}
        self._var_slots: list[dict[str, np.ndarray]] = []
        self._scratch_bufs: dict[tuple[int, int], np.ndarray] = {}
        self._chunk = threading.local()
        self._clip_buf: np.ndarray | None = None
        self._exclude_ids: set[int] = set()
        self._exclude_pattern: re.Pattern[str] | None = None
        self._constrained: list[Any] | None = None

    # ----------------------------------------------------------- learning rate
    def _set_learning_rate(self, value: Any) -> None:
        if isinstance(value, _schedules.LearningRateSchedule) or (
            callable(value) and not isinstance(value, (int, float, np.number))
        ):
            self._learning_rate = value
            return
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                f"value and returns the corresponding learning rate value). "
                f"Received instead: learning_rate={value!r}"
            )
        if isinstance(self._learning_rate, _schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument."
            )
        self._learning_rate = float(value)

    @property
    def learning_rate(self) -> float:
        """The base learning rate (a schedule's value at the current iteration)."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            return float(lr(self.iterations))
        if callable(lr):
            return float(lr())
        return lr

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self._set_learning_rate(value)

    lr = learning_rate  # Keras 2 alias

    def current_learning_rate(self) -> float:
        """The rate the next step uses: schedule, then Keras 2 `decay`, applied."""
        lr = self.learning_rate
        if self.decay:
            lr = lr / (1.0 + self.decay * self.iterations)
        return lr

    # --------------------------------------------------------------- slots
    def _slot_specs(self) -> list[tuple[str, float]]:
        """(name, initial value) of each per-weight slot; overridden per optimizer."""
        return []

    @property
    def slot_names(self) -> list[str]:
        return [name for name, _ in self._slot_specs()]

    def make_slots(self, shape: Sequence[int] | int, dtype: Any = "float32"
                   ) -> dict[str, np.ndarray]:
        """Fresh slot arrays of `shape` with their initial values."""
        return {name: np.full(shape, init, dtype=dtype) for name, init in self._slot_specs()}

    def _build_flat(self, size: int, dtype: np.dtype, segments: Sequence[slice]) -> None:
        self._slots = self.make_slots(size, dtype)
        self._segments = list(segments)
        self._reset_extra_state()
        if self._var_slots:  # views into the old slots: the variables no longer match
            self.built = False
            self._trainable_variables, self._var_index, self._var_slots = [], {}, []
            self._constrained = None

    def _reset_extra_state(self) -> None:
        """Per-optimizer scalar state (Nadam's momentum product) back to its start."""

    def _slots_match(self, size: int, dtype: np.dtype) -> bool:
        names = self.slot_names
        if set(names) != set(self._slots):
            return False
        return all(a.size == size and a.dtype == dtype for a in self._slots.values())

    def build(self, variables: Sequence[Any]) -> None:
        """Create the slots of `variables` (in this order, as the flat buffer lays them out)."""
        if self.built:
            return
        variables = list(variables)
        offsets = [int(x) for x in np.cumsum([0] + [v.value.size for v in variables])]
        segments = [slice(a, b) for a, b in itertools.pairwise(offsets)]
        dtype = variables[0].value.dtype if variables else np.dtype(np.float32)
        size = int(offsets[-1])
        if not self._slots_match(size, dtype):  # keep state restored by set_state
            self._build_flat(size, dtype, segments)
        self._segments = segments
        self._trainable_variables = variables
        self._var_index = {id(v): i for i, v in enumerate(variables)}
        self._var_slots = [
            {k: a[s].reshape(v.value.shape) for k, a in self._slots.items()}
            for v, s in zip(variables, segments, strict=True)
        ]
        self._constrained = None
        self.built = True

    @property
    def variables(self) -> list[np.ndarray]:
        """Optimizer state arrays, Keras' order: iterations, learning rate, then slots."""
        out = [np.array(self.iterations, dtype=np.int64),
               np.array(self.current_learning_rate(), dtype=np.float32)]
        if self._var_slots:
            out += [slots[name] for slots in self._var_slots for name in self.slot_names]
        else:
            out += [self._slots[name][s] for s in self._segments for name in self.slot_names
                    if name in self._slots]
        return out

    def get_state(self) -> dict[str, np.ndarray]:
        """Iterations and flat slots as plain arrays (for `np.savez`)."""
        state = {"iterations": np.array(self.iterations, dtype=np.int64)}
        state.update({f"slot:{k}": v.copy() for k, v in self._slots.items()})
        state.update({f"extra:{k}": np.array(v) for k, v in self._extra_state().items()})
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore what `get_state` returned (slots are kept if sizes match the model)."""
        self.iterations = int(np.asarray(state["iterations"]))
        slots = {k[5:]: np.array(v) for k, v in state.items() if k.startswith("slot:")}
        if slots and set(slots) != set(self.slot_names):
            raise ValueError(
                f"Cannot restore the state of optimizer '{self.name}': expected slots "
                f"{self.slot_names}, received {sorted(slots)}."
            )
        if self._slots and slots:
            for name, value in slots.items():
                if value.shape != self._slots[name].shape:
                    raise ValueError(
                        f"Cannot restore slot '{name}' of optimizer '{self.name}': expected "
                        f"shape {self._slots[name].shape}, received shape {value.shape}."
                    )
                self._slots[name][...] = value  # keeps per-variable views valid
        elif slots:
            self._slots = slots
        self._set_extra_state({k[6:]: v for k, v in state.items() if k.startswith("extra:")})

    def _extra_state(self) -> dict[str, float]:
        return {}

    def _set_extra_state(self, state: dict[str, Any]) -> None:
        """Restore what `_extra_state` returned."""

    # --------------------------------------------------------------- scratch
    def _scratch(self, index: int, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """A reusable work array (no allocation once the largest size has been seen)."""
        size = math.prod(shape)
        # One set per chunk: apply_flat may run update_step on several chunks at once.
        key = (getattr(self._chunk, "index", 0), index)
        buf = self._scratch_bufs.get(key)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self._scratch_bufs[key] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)

    # --------------------------------------------------------------- step hooks
    def _begin_step(self) -> None:
        """Once per step before any `update_step` (Nadam advances its momentum product)."""

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        """Update `value` (and `slots`) in place; `self.iterations` is the step count so far."""
        raise NotImplementedError

    def scale_loss(self, loss: Any) -> Any:
        """Multiply the loss by `loss_scale_factor` (gradients are divided back)."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """Keras hook for EMA; nothing to do here."""

    # --------------------------------------------------------------- weight decay
    def exclude_from_weight_decay(self, var_list: Iterable[Any] | None = None,
                                  var_names: Iterable[str] | None = None) -> None:
        """Exclude variables (or any whose name contains one of `var_names`) from decay."""
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the optimizer "
                "is built."
            )
        self._exclude_ids = {id(v) for v in var_list or ()}
        names = [re.escape(n) for n in var_names or ()]
        self._exclude_pattern = re.compile("|".join(names)) if names else None

    def _use_weight_decay(self, variable: Any) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        pattern = self._exclude_pattern
        return pattern is None or pattern.search(getattr(variable, "name", "")) is None

    # --------------------------------------------------------------- Keras API
    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]]) -> int:
        """Apply `[(gradient, variable), ...]`; returns the iteration count."""
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs, strict=True)
            self.apply(list(grads), list(variables))
        return self.iterations

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[Any] | None = None
              ) -> None:
        """Update `trainable_variables` (default: those the optimizer was built with)."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"Received {len(grads)} gradients for {len(trainable_variables)} variables; "
                "expected one gradient per variable."
            )
        self.build(trainable_variables)
        for v in trainable_variables:
            if id(v) not in self._var_index:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the "
                    "variables it was originally built with. When working with a new set of "
                    "variables, you should recreate a new optimizer instance."
                )
        pairs = [(g, v) for g, v in zip(grads, trainable_variables, strict=True) if g is not None]
        if len(pairs) < len(trainable_variables):
            missing = [v.path for g, v in zip(grads, trainable_variables, strict=True) if g is None]
            if not pairs:
                raise ValueError("No gradients provided for any variable.")
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss.",
                stacklevel=2,
            )
        arrays = []
        for g, v in pairs:
            g = np.asarray(g, dtype=v.value.dtype)
            if g.shape != v.value.shape:
                raise ValueError(
                    f"Gradient for variable `{v.path}` has shape {g.shape}; expected the "
                    f"variable's shape {v.value.shape}."
                )
            arrays.append(g)
        arrays = clip_list(arrays, self.clipnorm, self.global_clipnorm, self.clipvalue,
                           self.loss_scale_factor)
        lr = self.current_learning_rate()
        if self.weight_decay:
            factor = 1.0 - self.weight_decay * lr
            for _, v in pairs:
                if self._use_weight_decay(v):
                    v.value *= factor
        self._begin_step()
        for g, (_, v) in zip(arrays, pairs, strict=True):
            self.update_step(g, v.value, lr, self._var_slots[self._var_index[id(v)]])
        self._apply_constraints([v for _, v in pairs])
        self.iterations += 1

    def _apply_constraints(self, variables: Sequence[Any]) -> None:
        for v in variables:
            constraint = getattr(v, "constraint", None)
            if constraint is not None:
                v.assign(constraint(v.value))

    # --------------------------------------------------------------- fast path
    def apply_flat(self, grad: np.ndarray, param: np.ndarray, segments: Sequence[slice],
                   variables: Sequence[Any] | None = None) -> None:
        """One step on the flat parameter buffer; `segments` are the per-variable slices.

        `variables` (default: those given to `build`) are only needed for weight-decay
        exclusions and constraints.
        """
        size, dtype = param.size, param.dtype
        if not self._slots_match(size, dtype):
            self._build_flat(size, dtype, segments)
        self._segments = segments  # type: ignore[assignment]
        g = self._clip_flat(grad, segments)
        lr = self.current_learning_rate()
        if variables is None and len(self._trainable_variables) == len(segments):
            variables = self._trainable_variables
        if self.weight_decay:
            factor = 1.0 - self.weight_decay * lr
            if variables is None or not (self._exclude_ids or self._exclude_pattern):
                param *= factor
            else:
                for s, v in zip(segments, variables, strict=True):
                    if self._use_weight_decay(v):
                        param[s] *= factor
        self._begin_step()
        self._update_in_chunks(g, param, lr)
        if variables is not None:
            if self._constrained is None:
                self._constrained = [v for v in variables
                                     if getattr(v, "constraint", None) is not None]
            if self._constrained:
                self._apply_constraints(self._constrained)
        self.iterations += 1

    def _update_in_chunks(self, grad: np.ndarray, param: np.ndarray, lr: float) -> None:
        """`update_step` over the flat buffer, split across cores when it is large.

        Every optimizer's update is element-wise, so chunks are independent; each chunk
        uses its own scratch arrays.
        """

        def work(index: int, start: int, stop: int) -> None:
            self._chunk.index = index
            part = slice(start, stop)
            slots = {name: slot[part] for name, slot in self._slots.items()}
            self.update_step(grad[part], param[part], lr, slots)

        parallel.for_each_chunk(work, param.size)

    def _clip_flat(self, grad: np.ndarray, segments: Sequence[slice]) -> np.ndarray:
        if not needs_clipping(self.clipnorm, self.global_clipnorm, self.clipvalue,
                              self.loss_scale_factor):
            return grad  # the common case: no copy at all
        buf = self._clip_buf
        if buf is None or buf.shape != grad.shape or buf.dtype != grad.dtype:
            buf = self._clip_buf = np.empty_like(grad)
        return clip_flat(grad, segments, buf, self.clipnorm, self.global_clipnorm,
                         self.clipvalue, self.loss_scale_factor)

    # --------------------------------------------------------------- config
    def get_config(self) -> dict[str, Any]:
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        elif callable(lr):
            lr = float(lr())
        config = {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
                    ) -> Optimizer:
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"],
                                                             custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} name={self.name} learning_rate={self.learning_rate}>"


OptimizerFactory = Callable[..., Optimizer]
