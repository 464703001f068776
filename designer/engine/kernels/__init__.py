"""Compiled element-wise loops for the engine's hottest passes.

NumPy runs one pass over memory per operation, on one core: Adam's update is ten
passes over every weight, which for the 784-256-10 MLP costs more per step than
half of its matrix products. Numba compiles the same arithmetic, written as a plain
Python loop, into one fused pass that releases the GIL (so `parallel.for_each_chunk`
can run halves on two cores). Each kernel module keeps the NumPy version next to
the loop: it is the readable reference, the path taken when Numba is missing or
`DESIGNER_JIT=0`, and tests check that both give the same float32 numbers.

Kernels compile on first use (about half a second each) and are cached on disk.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from typing import Any

_lock = threading.Lock()
_numba: Any = None
_numba_checked = False


def enabled() -> bool:
    """Whether compiled kernels are used: Numba importable and `DESIGNER_JIT` not '0'."""
    if os.environ.get("DESIGNER_JIT", "1").strip() == "0":
        return False
    return _load_numba() is not None


def _load_numba() -> Any:
    global _numba, _numba_checked
    if not _numba_checked:
        with _lock:
            if not _numba_checked:
                try:
                    import numba
                except ImportError:  # optional at run time: NumPy paths take over
                    numba = None
                _numba, _numba_checked = numba, True
    return _numba


class Kernel:
    """A loop compiled by Numba on its first call (nogil, NumPy's error model)."""

    def __init__(self, loop: Callable[..., Any]) -> None:
        self.loop = loop
        self.__doc__ = loop.__doc__
        self.__name__ = loop.__name__
        self._compiled: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compile()
        return compiled(*args)

    def _compile(self) -> Callable[..., Any]:
        numba = _load_numba()
        if numba is None:
            raise RuntimeError("Numba is not installed; call the NumPy path instead.")
        with _lock:
            if self._compiled is None:
                with warnings.catch_warnings():
                    # An unwritable cache directory only costs a recompile next time.
                    warnings.simplefilter("ignore", numba.NumbaWarning)
                    self._compiled = numba.njit(
                        cache=True, nogil=True, error_model="numpy", boundscheck=False
                    )(self.loop)
        return self._compiled


def kernel(loop: Callable[..., Any]) -> Kernel:
    """Decorator: compile `loop` with Numba when first called."""
    return Kernel(loop)
