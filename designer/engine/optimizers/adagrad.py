"""Adagrad, as Keras 3 (accumulator starts at 0.1; epsilon inside the square root)."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer


class Adagrad(Optimizer):
    """`acc += g²; w -= lr·g / sqrt(acc + eps)`."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            name=name,
            **kwargs,
        )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("accumulator", float(self.initial_accumulator_value))]

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        acc = slots["accumulator"]
        tmp = self._scratch(0, value.shape, value.dtype)
        np.multiply(gradient, gradient, out=tmp)
        acc += tmp
        np.add(acc, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(gradient, tmp, out=tmp)
        tmp *= learning_rate
        value -= tmp

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }
