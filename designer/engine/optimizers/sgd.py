"""Stochastic gradient descent with optional (Nesterov) momentum, as Keras 3."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine.optimizers.base import Optimizer


class SGD(Optimizer):
    """`m = momentum * m - lr * g; w += m` (Nesterov: `w += momentum * m - lr * g`).

    With `momentum=0` the update is plain `w -= lr * g` and no slot is kept.
    """

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not (
            0 <= momentum <= 1
        ):
            raise ValueError(
                f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}"
            )
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def _slot_specs(self) -> list[tuple[str, float]]:
        return [("momentum", 0.0)] if self.momentum != 0 else []

    def update_step(self, gradient: np.ndarray, value: np.ndarray, learning_rate: float,
                    slots: dict[str, np.ndarray]) -> None:
        step = self._scratch(0, value.shape, value.dtype)
        np.multiply(gradient, learning_rate, out=step)  # lr * g
        if self.momentum == 0:
            value -= step
            return
        m = slots["momentum"]
        m *= self.momentum
        m -= step
        if self.nesterov:
            value -= step
            np.multiply(m, self.momentum, out=step)
            value += step
        else:
            value += m

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
