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


def _faults_per_step(model, x, y, batch: int) -> float:
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm up
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / (len(x) // batch)


def test_cnn_training_steps_do_not_fault_pages_back_in():
    """The tutorial CNN's mix of 12-15 MB arrays made glibc trim and re-map every step."""
    assert memory.keep_freed_memory()
    rng = np.random.default_rng(0)
    x = rng.random((200 * 6, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, len(x))
    model = Sequential([
        layers.Conv2D(32, (5, 5), input_shape=(28, 28, 1), activation="relu"),
        layers.MaxPooling2D(2), layers.Dropout(0.2), layers.Flatten(),
        layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    # Without the setting: about 5,000 faults per step (500 with only a larger top pad).
    assert _faults_per_step(model, x, y, 200) < 100


def test_large_temporaries_are_reused_not_mapped_afresh():
    """A larger top pad alone stops glibc's adaptive threshold: each product was mapped
    afresh (1,161 faults for its 2.4 MB). The mmap threshold must be raised with it."""
    assert memory.keep_freed_memory()
    rng = np.random.default_rng(1)
    a, b = rng.random((200, 784), dtype=np.float32), rng.random((200, 784), dtype=np.float32)
    a.T @ b
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        a.T @ b  # a 2.4 MB result each time
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10 < 50
