"""Keep freed memory in the process, so training steps do not fault pages back in.

glibc hands the top of its heap back to the system whenever more than 128 KB of it is
free. A training step frees its batch-sized arrays at the end and allocates them again
at the next step, so each step pays a page fault per 4 KB: on the 784-256-10 MLP that
was 133 faults per step and a quarter of the epoch (on a VM, where a fault costs a
couple of microseconds). Asking glibc to keep 64 MB of slack (`M_TOP_PAD`) removes
them. It applies to the whole process; `DESIGNER_KEEP_FREED_MEMORY=0` turns it off.
Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys

M_TOP_PAD = -2  # glibc's mallopt parameter number
TOP_PAD_BYTES = 64 * 1024 * 1024

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
    return bool(mallopt(M_TOP_PAD, TOP_PAD_BYTES))
