"""Compiled element-wise loops for the engine's hottest passes.

NumPy runs one pass over memory per operation, on one core: Adam's update is ten
passes over every weight, which for the 784-256-10 MLP costs more per step than
half of its matrix products. Numba compiles the same arithmetic, written as a plain
Python loop, into one fused pass that releases the GIL (so `parallel.for_each_chunk`
can run halves on two cores). Each kernel module keeps the NumPy version next to
the loop: it is the readable reference, the path taken when Numba is missing or
cannot compile here or `DESIGNER_JIT=0`, and tests check that both give the same
float32 numbers.

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
    """Numba, once it has compiled a small loop here; None if it cannot (NumPy then)."""
    global _numba, _numba_checked
    if not _numba_checked:
        with _lock:
            if not _numba_checked:
                _numba, _numba_checked = _working_numba(), True
    return _numba


def _working_numba() -> Any:
    try:
        import numba
    except ImportError:  # optional at run time: the NumPy paths take over
        return None
    try:  # a broken install (say, a NumPy newer than it supports) must not stop training
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", numba.NumbaWarning)
            numba.njit(cache=True, nogil=True, error_model="numpy")(_smoke_loop)(1.0)
    except Exception as error:  # any failure at all means: use the NumPy code
        warnings.warn(
            f"Numba cannot compile here ({type(error).__name__}: {error}); the engine uses "
            "its NumPy code instead, which is slower.",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    return numba


def _smoke_loop(x):  # pragma: no cover - compiled
    total = x
    for i in range(3):
        total += i
    return total


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


def warm_up() -> int:
    """Compile (or load from the disk cache) every kernel for the layouts training uses.

    `scripts/setup.sh` runs it once, so the first training in the app does not pause
    to compile. Returns how many kernels are ready (0 without Numba).
    """
    import numpy as np

    from designer.engine import Sequential, layers, optimizers

    if not enabled():
        return 0
    rng = np.random.default_rng(0)
    for data_format, amsgrad in (("channels_last", False), ("channels_first", True)):
        shape = (6, 6, 2) if data_format == "channels_last" else (2, 6, 6)
        model = Sequential([
            layers.Conv2D(3, 3, activation="relu", data_format=data_format, input_shape=shape),
            layers.MaxPooling2D(2, data_format=data_format),
            layers.Dropout(0.5),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizers.Adam(amsgrad=amsgrad), "sparse_categorical_crossentropy")
        model.train_on_batch(rng.random((4, *shape), dtype=np.float32), np.array([0, 1, 0, 1]))
    return sum(isinstance(k, Kernel) and k._compiled is not None for k in _all_kernels())


def _all_kernels() -> list[Kernel]:
    from designer.engine.kernels import elementwise_kernels, optimizer_kernels, pooling_kernels

    modules = (elementwise_kernels, optimizer_kernels, pooling_kernels)
    return [k for m in modules for k in vars(m).values() if isinstance(k, Kernel)]

