"""Element-wise passes that NumPy would run as several: dropout's mask-and-scale.

Dropout multiplies by its keep mask and then by 1 / (1 - rate), forward and
backward; in NumPy that is a comparison, a multiply and a scale, each a pass over
the batch (plus a boolean temporary). One loop does it reading the random bits
directly, with the same float32 operations in the same order.
"""

from __future__ import annotations

import numpy as np

from designer.engine import parallel
from designer.engine.kernels import enabled, kernel


@kernel
def _keep_and_scale(values, bits, threshold, scale, out):  # pragma: no cover - compiled
    zero = scale - scale
    one = zero + 1
    for i in range(values.size):
        out[i] = values[i] * (one if bits[i] >= threshold else zero) * scale


def keep_and_scale(values: np.ndarray, bits: np.ndarray, threshold: np.uint16,
                   scale: np.ndarray) -> np.ndarray | None:
    """`values * (bits >= threshold) * scale` in one pass; None when it cannot run here.

    Needs float32 `values` and uint16 `bits` of the same shape, both C-contiguous.
    """
    if not (enabled() and values.dtype == np.float32 and values.shape == bits.shape
            and values.flags.c_contiguous and bits.flags.c_contiguous):
        return None
    out = np.empty(values.shape, np.float32)
    flat_values, flat_bits, flat_out = values.reshape(-1), bits.reshape(-1), out.reshape(-1)
    scale32 = np.float32(scale)

    def work(_: int, start: int, stop: int) -> None:
        part = slice(start, stop)
        _keep_and_scale(flat_values[part], flat_bits[part], threshold, scale32, flat_out[part])

    parallel.for_each_chunk(work, flat_values.size)
    return out
