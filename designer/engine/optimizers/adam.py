"""Adam (Kingma & Ba), in Keras 3's form: epsilon added to sqrt(v), bias correction
folded into the step size."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from designer.engine.kernels.optimizer_kernels import adam_update
from designer.engine.optimizers.base import Optimizer, _f32


class Adam(Optimizer):
    """`m += (g - m)(1 - b1); v += (g² - v)(1 - b2);`
    `w -= lr·sqrt(1 - b2^t)/(1 - b1^t) · m / (sqrt(v) + eps)` (AMSGrad: max of v so far).
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        self.amsgrad = bool(amsgrad)

    def _slot_specs(self) -> list[tuple[str, float]]:
        specs = [("momentum", 0.0), ("velocity", 0.0)]
        return [*specs, ("velocity_hat", 0.0)] if self.amsgrad else specs

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        t = self.iterations + 1
        beta_1_power = _f32(_f32(self.beta_1) ** t)
        beta_2_power = _f32(_f32(self.beta_2) ** t)
        alpha = learning_rate * math.sqrt(1.0 - beta_2_power) / (1.0 - beta_1_power)
        m, v = slots["momentum"], slots["velocity"]
        v_hat = slots["velocity_hat"] if self.amsgrad else None
        if adam_update(gradient, value, m, v, v_hat, self.beta_1, self.beta_2, alpha,
                       self.epsilon):
            return
        # The NumPy reference of the fused kernel (same operations, same order).
        tmp = self._scratch(0, value.shape, value.dtype)
        np.subtract(gradient, m, out=tmp)
        tmp *= 1.0 - self.beta_1
        m += tmp
        np.multiply(gradient, gradient, out=tmp)
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp
        if v_hat is not None:
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        value -= tmp

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
