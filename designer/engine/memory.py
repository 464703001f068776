"""Keep freed memory in the process, so training steps do not fault pages back in.

By default glibc maps each allocation above 128 KB-32 MB fresh from the system when
its heap has no room, and hands the top of the heap back whenever a few hundred KB
are free. A training step frees its batch-sized arrays at the end and allocates them
again at the next, so each step pays a page fault per 4 KB touched: about 5,000 per
step of the tutorial CNN (12 of its 33 ms on a VM, where a fault costs ~2.5 us). The
engine asks glibc to serve everything below 32 MB from its heap, to keep up to 128 MB
of it when freed, and to grow it 64 MB at a time: no faults after the first step.
It applies to the whole process; `DESIGNER_KEEP_FREED_MEMORY=0` turns it off.
Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys

# glibc's mallopt parameters, and what the engine sets them to.
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
SETTINGS = {
    M_MMAP_THRESHOLD: 32 * 1024 * 1024,  # glibc's largest allowed value
    M_TRIM_THRESHOLD: 128 * 1024 * 1024,
    M_TOP_PAD: 64 * 1024 * 1024,
}

_done = False


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed heap memory (once per process); True when it was set."""
    global _done
    if _done:
        return True
    _done = True
    if os.environ.get("DESIGNER_KEEP_FREED_MEMORY", "1").strip() == "0":
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # musl or another C library
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return all([bool(mallopt(param, value)) for param, value in SETTINGS.items()])
