"""The hand-written NumPy loop that the benchmark compares the engine with does learn.

Its timings back claims about what NumPy itself can reach, so it must be a real
training loop of the same model, not just a timing skeleton.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _numpy_loop_class():
    spec = importlib.util.spec_from_file_location("numpy_loop", BENCH / "numpy_loop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.NumpyLoop


def test_reference_numpy_loop_learns_a_separable_task():
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((10, 784)).astype(np.float32)
    y = rng.integers(0, 10, 3000)
    x = centers[y] + 0.5 * rng.standard_normal((3000, 784)).astype(np.float32)
    loop = _numpy_loop_class()(x[:2500], y[:2500], hidden=32, batch=128)
    before = loop.accuracy(x[2500:], y[2500:])
    for _ in range(2):
        assert loop.epoch() > 0
    assert before < 0.5 < 0.95 < loop.accuracy(x[2500:], y[2500:])
