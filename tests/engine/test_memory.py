"""Training keeps freed memory: no page faults per step once warmed up (glibc only)."""

from __future__ import annotations

import platform
import resource

import numpy as np
import pytest

from designer.engine import Sequential, layers, memory

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the setting exists only in glibc"
)


def test_training_steps_do_not_fault_pages_back_in():
    assert memory.keep_freed_memory()
    rng = np.random.default_rng(0)
    x = rng.random((128 * 40, 784), dtype=np.float32)
    y = rng.integers(0, 10, len(x))
    model = Sequential([layers.Dense(256, input_dim=784, activation="relu"),
                        layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)  # warm up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)
    faults_per_step = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 40
    # Without the setting glibc trims the heap after every step: ~130 faults per step.
    assert faults_per_step < 20
