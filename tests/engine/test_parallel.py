"""Chunked element-wise work gives exactly the single-threaded result."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import optimizers, parallel


def test_chunks_cover_the_range_once() -> None:
    seen = np.zeros(1000, dtype=int)

    def work(index: int, start: int, stop: int) -> None:
        seen[start:stop] += 1

    parallel.for_each_chunk(work, 1000, min_chunk=10)
    assert np.all(seen == 1)


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop", "nadam", "adamax", "adagrad"])
def test_optimizer_step_in_chunks_equals_one_chunk(name: str, monkeypatch) -> None:
    rng = np.random.default_rng(0)
    param = rng.normal(size=5000).astype(np.float32)
    grads = [rng.normal(size=5000).astype(np.float32) for _ in range(3)]
    segments = [slice(0, 3000), slice(3000, 5000)]
    results = []
    for min_chunk in (1 << 30, 100):
        monkeypatch.setattr(parallel, "MIN_CHUNK", min_chunk)
        monkeypatch.setattr(parallel, "worker_count", lambda: 2)
        opt = optimizers.get(name)
        values = param.copy()
        for grad in grads:
            opt.apply_flat(grad, values, segments)
        results.append(values)
    np.testing.assert_array_equal(results[0], results[1])
