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
        self._written: set[int] = set()
        self._step_open = False
        offset = 0
        for variable in self.variables:
            segment = slice(offset, offset + variable.size)
            offset += variable.size
            view = self.values[segment].reshape(variable.shape)
            view[...] = variable.value
            variable.value = view
            self._grad_views[id(variable)] = self.grads[segment].reshape(variable.shape)
            self.segments.append(segment)
            variable._grad_pack = self

    def holds(self, variables: Sequence[Variable]) -> bool:
        """Whether this pack still stores exactly these variables (same order, still views)."""
        return len(variables) == len(self.variables) and all(
            a is b and a.value.base is self.values
            for a, b in zip(variables, self.variables, strict=True)
        )

    def zero_grads(self) -> None:
        """Start a step: the first gradient written to a weight replaces the old one."""
        self._written.clear()
        self._step_open = True

    def claim_grad(self, variable: Variable) -> np.ndarray | None:
        """The gradient view of `variable` for a layer to write into, once per step."""
        key = id(variable)
        if not self._step_open or not variable.trainable or key in self._written:
            return None
        view = self._grad_views.get(key)
        if view is not None:
            self._written.add(key)
        return view

    def add_grad(self, variable: Variable, grad: np.ndarray) -> None:
        key = id(variable)
        if grad is self._grad_views.get(key):
            return  # the layer wrote it in place (claim_grad)
        if key in self._written:
            self._grad_views[key] += grad  # fan-out: a shared layer's second call
        else:
            self._grad_views[key][...] = grad
            self._written.add(key)

    def finish_grads(self) -> None:
        """Zero the gradients of weights that got none this step (an unused branch)."""
        self._step_open = False
        if len(self._written) != len(self.variables):
            for variable in self.variables:
                if id(variable) not in self._written:
                    self._grad_views[id(variable)].fill(0.0)

    def grad_of(self, variable: Variable) -> np.ndarray:
        return self._grad_views[id(variable)]
