"""A minimal hand-written NumPy training loop for the MLPs: the floor for NumPy here.

The same model, data order, loss and optimizer as the engine's benchmark, with
nothing a framework adds: preallocated buffers, in-place operations, the fused
softmax cross-entropy gradient, and Adam as ten in-place passes over one flat buffer
(what plain NumPy allows). `bench/fashion_models.py --numpy-loop` times it beside the
engine, so the engine's overhead over hand-written code, and what NumPy itself
reaches against the GEMM-only bound on this machine, are both visible.
"""

from __future__ import annotations

import time

import numpy as np


class NumpyLoop:
    """Dense(hidden, relu) -> Dense(10, softmax), Adam(1e-3, eps 1e-7), batches of `batch`."""

    def __init__(self, x: np.ndarray, y: np.ndarray, hidden: int, batch: int, seed: int = 0):
        self.x, self.y, self.batch = x, y, batch
        rng = np.random.default_rng(seed)
        sizes = [(784, hidden), (hidden,), (hidden, 10), (10,)]
        total = sum(int(np.prod(s)) for s in sizes)
        self.params = np.zeros(total, np.float32)
        self.grads = np.zeros(total, np.float32)
        self.m, self.v, self.tmp = (np.zeros(total, np.float32) for _ in range(3))
        views, offset = [], 0
        for shape in sizes:
            n = int(np.prod(shape))
            views.append((self.params[offset : offset + n].reshape(shape),
                          self.grads[offset : offset + n].reshape(shape)))
            offset += n
        (self.w1, self.g1), (self.b1, self.gb1), (self.w2, self.g2), (self.b2, self.gb2) = views
        for w, (fan_in, fan_out) in ((self.w1, sizes[0]), (self.w2, sizes[2])):
            limit = np.sqrt(6.0 / (fan_in + fan_out))  # glorot_uniform, as Keras
            w[...] = rng.uniform(-limit, limit, w.shape)
        self.h = np.empty((batch, hidden), np.float32)
        self.z = np.empty((batch, 10), np.float32)
        self.dh = np.empty((batch, hidden), np.float32)
        self.ones = np.ones(batch, np.float32)
        self.t = 0

    def epoch(self) -> float:
        start = time.perf_counter()
        order = np.random.permutation(len(self.x))
        for s in range(0, len(order), self.batch):
            rows = order[s : s + self.batch]
            self._step(self.x[rows], self.y[rows])
        return time.perf_counter() - start

    def _step(self, xb: np.ndarray, yb: np.ndarray) -> None:
        n = len(xb)
        h, z, dh = self.h[:n], self.z[:n], self.dh[:n]
        np.matmul(xb, self.w1, out=h)
        h += self.b1
        np.maximum(h, 0, out=h)
        np.matmul(h, self.w2, out=z)
        z += self.b2
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        (z.argmax(axis=1) == yb).sum()  # accuracy, as fit reports it
        z[np.arange(n), yb] -= 1.0  # d(mean cross-entropy)/d(logits)
        z *= np.float32(1.0 / n)
        np.matmul(h.T, z, out=self.g2)
        np.sum(z, axis=0, out=self.gb2)
        np.matmul(z, self.w2.T, out=dh)
        dh *= h > 0
        np.matmul(xb.T, dh, out=self.g1)
        np.matmul(self.ones[:n], dh, out=self.gb1)
        self._adam()

    def _adam(self, lr: float = 1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-7):
        self.t += 1
        alpha = lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        g, m, v, tmp = self.grads, self.m, self.v, self.tmp
        np.subtract(g, m, out=tmp)
        tmp *= 1 - b1
        m += tmp
        np.multiply(g, g, out=tmp)
        tmp -= v
        tmp *= 1 - b2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += eps
        np.divide(m, tmp, out=tmp)
        tmp *= alpha
        self.params -= tmp

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        h = np.maximum(x @ self.w1 + self.b1, 0)
        return float(np.mean(np.argmax(h @ self.w2 + self.b2, axis=1) == y))
