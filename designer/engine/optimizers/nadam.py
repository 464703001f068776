"""Nadam (Adam with Nesterov momentum) in Keras 3's momentum-cache formulation."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer, _f32


class Nadam(Optimizer):
    """Adam moments with a momentum schedule `u_t = b1·(1 - 0.5·0.96^t)`:

    `m_hat = u_{t+1}·m / (1 - Πu_{1..t+1}) + (1 - u_t)·g / (1 - Πu_{1..t})`,
    `w -= lr·m_hat / (sqrt(v / (1 - b2^t)) + eps)`.
    The product Πu is one scalar per optimizer, advanced once per step.
    """

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
        self._u_product = 1.0

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0), ("velocity", 0.0)]

    def _reset_extra_state(self) -> None:
        self._u_product = 1.0

    def _extra_state(self) -> dict[str, float]:
        return {"u_product": self._u_product}

    def _set_extra_state(self, state: dict[str, Any]) -> None:
        if "u_product" in state:
            self._u_product = float(np.asarray(state["u_product"]))

    def _u(self, step: int) -> float:
        return _f32(_f32(self.beta_1) * (1.0 - 0.5 * _f32(_f32(0.96) ** step)))

    def _begin_step(self) -> None:
        self._u_product = _f32(self._u_product * self._u(self.iterations + 1))

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        t = self.iterations + 1
        u_t, u_t_1 = self._u(t), self._u(t + 1)
        u_product_t = self._u_product  # already includes u_t (see _begin_step)
        u_product_t_1 = _f32(u_product_t * u_t_1)
        beta_2_power = _f32(_f32(self.beta_2) ** t)
        m, v = slots["momentum"], slots["velocity"]
        m_hat = self._scratch(0, value.shape, value.dtype)
        tmp = self._scratch(1, value.shape, value.dtype)
        np.subtract(gradient, m, out=tmp)
        tmp *= 1.0 - self.beta_1
        m += tmp
        np.multiply(gradient, gradient, out=tmp)
        tmp -= v
        tmp *= 1.0 - self.beta_2
        v += tmp
        np.multiply(m, u_t_1 / (1.0 - u_product_t_1), out=m_hat)
        np.multiply(gradient, (1.0 - u_t) / (1.0 - u_product_t), out=tmp)
        m_hat += tmp
        np.divide(v, 1.0 - beta_2_power, out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.epsilon
        np.divide(m_hat, tmp, out=m_hat)
        m_hat *= learning_rate
        value -= m_hat

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }

