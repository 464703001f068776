"""RMSprop, as Keras 3 (epsilon inside the square root)."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer


class RMSprop(Optimizer):
    """`v = rho·v + (1 - rho)·g²; w -= lr·g / sqrt(v + eps)`.

    `centered` subtracts the squared running mean of g inside the root; `momentum`
    accumulates the increments before applying them.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
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
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = bool(centered)

    def _slot_specs(self) -> list[tuple[str, float]]:
        specs = [("velocity", 0.0)]
        if self.momentum > 0:
            specs.append(("momentum", 0.0))
        if self.centered:
            specs.append(("average_gradient", 0.0))
        return specs

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        rho = self.rho
        v = slots["velocity"]
        tmp = self._scratch(0, value.shape, value.dtype)
        v *= rho
        np.multiply(gradient, gradient, out=tmp)
        tmp *= 1.0 - rho
        v += tmp
        if self.centered:
            avg = slots["average_gradient"]
            avg *= rho
            np.multiply(gradient, 1.0 - rho, out=tmp)
            avg += tmp
            np.multiply(avg, avg, out=tmp)
            np.subtract(v, tmp, out=tmp)
            tmp += self.epsilon
        else:
            np.add(v, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(gradient, tmp, out=tmp)
        tmp *= learning_rate  # the increment lr·g / sqrt(denominator)
        if self.momentum > 0:
            mom = slots["momentum"]
            mom *= self.momentum
            mom += tmp
            value -= mom
        else:
            value -= tmp

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }
