"""Batches gathered ahead on a worker thread are the batches a direct gather gives."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import Sequential, layers
from designer.engine.models import prefetch
from designer.engine.utils import set_random_seed


def _arrays(n: int = 1000):
    rng = np.random.default_rng(0)
    return [rng.standard_normal((n, 300)).astype(np.float32), None,
            rng.integers(0, 9, n), rng.random(n).astype(np.float32)]


def test_prefetched_batches_equal_direct_gathers_including_the_last_short_one():
    arrays = _arrays()
    order = np.random.default_rng(1).permutation(1000)
    selectors = [order[s : s + 300] for s in range(0, 1000, 300)]  # 300, 300, 300, 100
    seen = []
    for batch, rows in zip(prefetch.shuffled_batches(arrays, selectors), selectors, strict=True):
        assert batch[1] is None
        for got, source in zip(batch, arrays, strict=True):
            if source is not None:
                np.testing.assert_array_equal(got, source[rows])
        seen.append(batch[0])
    assert [len(b) for b in seen] == [300, 300, 300, 100]
    assert np.shares_memory(seen[0], seen[2])  # two buffer sets, reused alternately


def test_leaving_early_waits_for_the_copy_in_flight(monkeypatch):
    arrays = _arrays()
    selectors = [np.arange(s, s + 250) for s in range(0, 1000, 250)]
    batches = prefetch.shuffled_batches(arrays, selectors)
    first = next(batches)
    np.testing.assert_array_equal(first[0], arrays[0][:250])
    batches.close()  # as `fit` does when a callback stops training


@pytest.mark.parametrize("min_bytes", [0, 1 << 40])
def test_fit_is_identical_with_and_without_prefetching(monkeypatch, min_bytes):
    def train():
        set_random_seed(3)
        rng = np.random.default_rng(0)
        x = rng.standard_normal((640, 64)).astype(np.float32)
        y = rng.integers(0, 4, 640)
        model = Sequential([layers.Dense(16, input_dim=64, activation="relu"),
                            layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, batch_size=64, epochs=2, verbose=0)
        return model.get_weights(), history.history

    monkeypatch.setattr(prefetch, "MIN_PREFETCH_BYTES", 1 << 40)
    reference = train()
    monkeypatch.setattr(prefetch, "MIN_PREFETCH_BYTES", min_bytes)
    weights, history = train()
    assert history == reference[1]
    for a, b in zip(weights, reference[0], strict=True):
        np.testing.assert_array_equal(a, b)
