"""All trainable weights of a model packed back to back in one float32 buffer.

Each `Variable.value` becomes a view into `ParameterPack.values`, and the matching
gradient view lives in `ParameterPack.grads`. The optimizer then updates every weight
with a handful of vectorised operations on one array per step, which is what keeps
small models (the tutorials' 5-20-1 network) fast in Python.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from designer.engine.variables import Variable


class ParameterPack:
    """Flat storage for `variables`; their values move into it (copied once)."""

    def __init__(self, variables: Sequence[Variable]) -> None:
        self.variables = list(variables)
        total = sum(v.size for v in self.variables)
        self.values = np.empty(total, dtype=np.float32)
        self.grads = np.zeros(total, dtype=np.float32)
        self.segments: list[slice] = []
        self._grad_views: dict[int, np.ndarray] = {}
        offset = 0
        for variable in self.variables:
            segment = slice(offset, offset + variable.size)
            offset += variable.size
            view = self.values[segment].reshape(variable.shape)
            view[...] = variable.value
            variable.value = view
            self._grad_views[id(variable)] = self.grads[segment].reshape(variable.shape)
            self.segments.append(segment)

    def holds(self, variables: Sequence[Variable]) -> bool:
        """Whether this pack still stores exactly these variables (same order, still views)."""
        return len(variables) == len(self.variables) and all(
            a is b and a.value.base is self.values
            for a, b in zip(variables, self.variables, strict=True)
        )

    def zero_grads(self) -> None:
        self.grads.fill(0.0)

    def add_grad(self, variable: Variable, grad: np.ndarray) -> None:
        self._grad_views[id(variable)] += grad

    def grad_of(self, variable: Variable) -> np.ndarray:
        return self._grad_views[id(variable)]
