"""Run element-wise NumPy work on every core by splitting arrays into contiguous chunks.

NumPy's element-wise loops use one core; its ufuncs release the GIL, so two threads
working on two halves of a large buffer (the optimizer's flat parameters, a conv
layer's feature maps) finish in about half the time. Small arrays stay on the
calling thread: starting work on the pool costs a few microseconds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

# Below this many elements per chunk, the hand-off costs more than it saves.
MIN_CHUNK = 1 << 18

_pool: ThreadPoolExecutor | None = None


def worker_count() -> int:
    """Cores to use: `DESIGNER_THREADS` if set, else the CPUs this process may run on."""
    configured = os.environ.get("DESIGNER_THREADS")
    if configured:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def get_pool() -> ThreadPoolExecutor:
    """The engine's worker threads (one per core), started on first use."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=worker_count(), thread_name_prefix="engine")
    return _pool


def chunk_bounds(size: int, min_chunk: int = MIN_CHUNK) -> list[tuple[int, int]]:
    """Contiguous [start, stop) ranges covering `size`, one per worker when worth it."""
    parts = min(worker_count(), max(1, size // min_chunk))
    step = -(-size // parts)
    return [(start, min(start + step, size)) for start in range(0, size, step)] or [(0, 0)]


def for_each_chunk(
    work: Callable[[int, int, int], None], size: int, min_chunk: int = MIN_CHUNK
) -> None:
    """Call `work(chunk_index, start, stop)` over chunks of `range(size)`, in parallel.

    The chunk index lets `work` pick per-chunk scratch buffers. Exceptions propagate.
    """
    bounds = chunk_bounds(size, min_chunk)
    if len(bounds) == 1:
        work(0, *bounds[0])
        return
    pool = get_pool()
    futures = [pool.submit(work, i, a, b) for i, (a, b) in enumerate(bounds[1:], start=1)]
    work(0, *bounds[0])
    for future in futures:
        future.result()
