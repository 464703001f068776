"""Adadelta, as Keras 3 (which, unlike the paper, still multiplies by a learning rate)."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer


class Adadelta(Optimizer):
    """`Eg = rho·Eg + (1-rho)·g²; d = -sqrt(Ed + eps)/sqrt(Eg + eps)·g;`
    `Ed = rho·Ed + (1-rho)·d²; w += lr·d`.
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
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
        self.rho = rho
        self.epsilon = epsilon

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("accumulated_grad", 0.0), ("accumulated_delta_var", 0.0)]

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        rho, eps = self.rho, self.epsilon
        acc_grad, acc_delta = slots["accumulated_grad"], slots["accumulated_delta_var"]
        neg_delta = self._scratch(0, value.shape, value.dtype)
        tmp = self._scratch(1, value.shape, value.dtype)
        acc_grad *= rho
        np.multiply(gradient, gradient, out=tmp)
        tmp *= 1.0 - rho
        acc_grad += tmp
        np.add(acc_delta, eps, out=neg_delta)
        np.sqrt(neg_delta, out=neg_delta)
        neg_delta *= gradient
        np.add(acc_grad, eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        neg_delta /= tmp  # -delta = sqrt(Ed + eps)·g / sqrt(Eg + eps)
        acc_delta *= rho
        np.multiply(neg_delta, neg_delta, out=tmp)
        tmp *= 1.0 - rho
        acc_delta += tmp
        neg_delta *= learning_rate
        value -= neg_delta

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
