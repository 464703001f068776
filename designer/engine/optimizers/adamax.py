"""Adamax (Adam with the infinity norm), as Keras 3."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer, _f32


class Adamax(Optimizer):
    """`m += (g - m)(1 - b1); u = max(b2·u, |g|); w -= lr·m / ((1 - b1^t)(u + eps))`."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0), ("norm", 0.0)]

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        beta_1_power = _f32(_f32(self.beta_1) ** (self.iterations + 1))
        m, u = slots["momentum"], slots["norm"]
        tmp = self._scratch(0, value.shape, value.dtype)
        np.subtract(gradient, m, out=tmp)
        tmp *= 1.0 - self.beta_1
        m += tmp
        u *= self.beta_2
        np.abs(gradient, out=tmp)
        np.maximum(u, tmp, out=u)
        np.add(u, self.epsilon, out=tmp)
        np.divide(m, tmp, out=tmp)
        tmp *= learning_rate / (1.0 - beta_1_power)
        value -= tmp

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
