"""Learning-rate schedules: `schedule(step) -> float`, Keras 3 formulas.

An optimizer given a schedule evaluates it at its iteration count before each step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from designer.engine.registry import serialize_object

__all__ = [
    "CosineDecay",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]


def _check_decay_steps(decay_steps: Any, name: str = "decay_steps") -> None:
    if decay_steps <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={decay_steps}")


class LearningRateSchedule:
    """Base class: a serialisable `step -> learning rate` function."""

    def __call__(self, step: int) -> float:
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override "
            "`__call__(self, step)`."
        )

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override "
            "`get_config()` in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{self.__class__.__name__}({args})"


class _StepDecay(LearningRateSchedule):
    """Shared by the two decays of `initial_learning_rate` over `step / decay_steps`."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str | None = None) -> None:
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__  # Keras' default names are the class's

    def _progress(self, step: int) -> float:
        """step / decay_steps, floored when `staircase`."""
        p = float(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class ExponentialDecay(_StepDecay):
    """`initial * decay_rate ** (step / decay_steps)` (floored exponent if `staircase`)."""

    def __call__(self, step: int) -> float:
        return float(self.initial_learning_rate) * float(self.decay_rate) ** self._progress(step)


class InverseTimeDecay(_StepDecay):
    """`initial / (1 + decay_rate * step / decay_steps)` (floored if `staircase`)."""

    def __call__(self, step: int) -> float:
        progress = self._progress(step)
        return float(self.initial_learning_rate) / (1.0 + float(self.decay_rate) * progress)


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while step <= boundaries[0], `values[i]` while step <= boundaries[i]..."""

    def __init__(self, boundaries: Sequence[float], values: Sequence[float],
                 name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def __call__(self, step: int) -> float:
        for boundary, value in zip(self.boundaries, self.values, strict=False):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict[str, Any]:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From `initial` to `end_learning_rate` along `(1 - step/decay_steps) ** power`."""

    def __init__(self, initial_learning_rate: float, decay_steps: int,
                 end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                 name: str = "PolynomialDecay") -> None:
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step: int) -> float:
        step = float(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            multiplier = 1.0 if step == 0 else math.ceil(step / decay_steps)
            decay_steps *= multiplier
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        end = float(self.end_learning_rate)
        return (float(self.initial_learning_rate) - end) * (1.0 - p) ** self.power + end

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """Half a cosine from `initial` down to `alpha * initial`, after an optional linear
    warmup to `warmup_target` over `warmup_steps`."""

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None,
                 warmup_steps: int = 0) -> None:
        _check_decay_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step: float, decay_from: float) -> float:
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return decay_from * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: int) -> float:
        step = float(step)
        initial = float(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decay(min(step, float(self.decay_steps)), initial)
        warmup_steps = float(self.warmup_steps)
        step = min(step, self.decay_steps + warmup_steps)
        if step < warmup_steps:
            return (float(self.warmup_target) - initial) * step / warmup_steps + initial
        return self._decay(step - warmup_steps, float(self.warmup_target))

    def get_config(self) -> dict[str, Any]:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


ALL_OBJECTS_DICT: dict[str, type[LearningRateSchedule]] = {
    cls.__name__: cls
    for cls in (ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay,
                CosineDecay)
}


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
    return serialize_object(schedule, "keras.optimizers.schedules")


def deserialize(config: dict[str, Any], custom_objects: dict[str, Any] | None = None
                ) -> LearningRateSchedule:
    """Inverse of `serialize`."""
    name = config.get("class_name") if isinstance(config, dict) else None
    cls = (custom_objects or {}).get(name) or ALL_OBJECTS_DICT.get(name)
    if cls is None:
        raise ValueError(
            f"Could not interpret learning rate schedule identifier: {config!r}. "
            f"Valid names are: {', '.join(ALL_OBJECTS_DICT)}"
        )
    return cls.from_config(dict(config.get("config") or {}))
