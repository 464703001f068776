"""Compiled kernels give the same float32 numbers as the NumPy code they replace."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import kernels, optimizers
from designer.engine.kernels import optimizer_kernels

pytestmark = pytest.mark.skipif(not kernels.enabled(), reason="Numba is not installed")


def _run_adam(monkeypatch, jit: str, amsgrad: bool, steps: int = 5) -> tuple[np.ndarray, ...]:
    monkeypatch.setenv("DESIGNER_JIT", jit)
    rng = np.random.default_rng(3)
    param = rng.standard_normal(5000).astype(np.float32)
    segments = [slice(0, 3000), slice(3000, 5000)]
    opt = optimizers.Adam(learning_rate=0.01, amsgrad=amsgrad)
    for _ in range(steps):
        grad = rng.standard_normal(5000).astype(np.float32)
        grad[::7] = 0.0
        opt.apply_flat(grad, param, segments)
    return (param, *(opt._slots[name] for name in opt.slot_names))


@pytest.mark.parametrize("amsgrad", [False, True])
def test_fused_adam_equals_numpy_reference(monkeypatch, amsgrad):
    fused = _run_adam(monkeypatch, "1", amsgrad)
    reference = _run_adam(monkeypatch, "0", amsgrad)
    for a, b in zip(fused, reference, strict=True):
        np.testing.assert_array_equal(a, b)  # bit for bit


def test_adam_kernel_is_used_for_float32_and_skipped_otherwise(monkeypatch):
    monkeypatch.setenv("DESIGNER_JIT", "1")
    g, p = np.ones(10, np.float32), np.ones(10, np.float32)
    m, v = np.zeros(10, np.float32), np.zeros(10, np.float32)
    assert optimizer_kernels.adam_update(g, p, m, v, None, 0.9, 0.999, 0.001, 1e-7)
    assert m[0] == np.float32(0.1)  # m += (g - m)(1 - b1)
    strided = np.ones(20, np.float32)[::2]
    assert not optimizer_kernels.adam_update(g, strided, m, v, None, 0.9, 0.999, 0.001, 1e-7)
    g64 = np.ones(10)
    assert not optimizer_kernels.adam_update(g64, g64, g64, g64, None, 0.9, 0.999, 0.001, 1e-7)


def test_kernels_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("DESIGNER_JIT", "0")
    assert not kernels.enabled()
    g, p, m, v = (np.ones(10, np.float32) for _ in range(4))
    assert not optimizer_kernels.adam_update(g, p, m, v, None, 0.9, 0.999, 0.001, 1e-7)


POOL_CASES = [
    # (layer, input shape, pool, strides, data_format)
    ("MaxPooling2D", (3, 8, 8, 4), (2, 2), None, "channels_last"),
    ("MaxPooling2D", (3, 4, 8, 8), (2, 2), None, "channels_first"),
    ("MaxPooling2D", (2, 9, 7, 3), (3, 2), (2, 1), "channels_last"),  # overlapping
    ("MaxPooling2D", (2, 3, 9, 7), (2, 2), (3, 3), "channels_first"),  # gaps, not covered
    ("MaxPooling1D", (2, 11, 5), (2,), None, "channels_last"),
    ("MaxPooling1D", (2, 5, 11), (3,), (2,), "channels_first"),
]


def _pool_run(monkeypatch, jit: str, case, x: np.ndarray, dy_seed: int = 5):
    from designer.engine import layers

    monkeypatch.setenv("DESIGNER_JIT", jit)
    name, _, pool, strides, data_format = case
    layer = getattr(layers, name)(pool_size=pool, strides=strides, data_format=data_format)
    y, ctx = layer.forward(x, training=True)
    dy = np.random.default_rng(dy_seed).standard_normal(y.shape).astype(np.float32)
    dx, _ = layer.backward(ctx, dy)
    return np.asarray(y), np.asarray(dx)


@pytest.mark.parametrize("case", POOL_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[4]}")
def test_max_pool_kernels_equal_numpy(monkeypatch, case):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(case[1]).astype(np.float32)
    x[x < 0] = 0.0  # ReLU-like ties: the first maximum must get the gradient, once
    (y, dx), (y_ref, dx_ref) = (_pool_run(monkeypatch, jit, case, x) for jit in "10")
    np.testing.assert_array_equal(y, y_ref)
    assert dx.shape == dx_ref.shape
    # Overlapping windows sum their gradients in another order: float32 round-off.
    np.testing.assert_allclose(dx, dx_ref, rtol=1e-6, atol=1e-7)


def test_max_pool_kernel_propagates_nan_as_numpy(monkeypatch):
    case = POOL_CASES[0]
    x = np.ones(case[1], np.float32)
    x[0, 1, 1, 0] = np.nan
    y, _ = _pool_run(monkeypatch, "1", case, x)
    assert np.isnan(y[0, 0, 0, 0]) and np.isfinite(np.delete(y.ravel(), 0)).all()


def test_max_pool_kernel_handles_views_of_other_layouts(monkeypatch):
    """A channels-first input that is a transposed view of channels-last memory."""
    case = POOL_CASES[1]
    rng = np.random.default_rng(2)
    nhwc = rng.standard_normal((3, 8, 8, 4)).astype(np.float32)
    x = nhwc.transpose(0, 3, 1, 2)
    fused = _pool_run(monkeypatch, "1", case, x)
    reference = _pool_run(monkeypatch, "0", case, np.ascontiguousarray(x))
    for a, b in zip(fused, reference, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fused_adam_flushes_subnormal_moments_to_zero(monkeypatch):
    """A momentum decaying below float32's smallest normal is stored as 0 (not slow)."""
    monkeypatch.setenv("DESIGNER_JIT", "1")
    g = np.zeros(3, np.float32)
    p = np.ones(3, np.float32)
    m = np.array([2e-38, 1.2e-38, np.nan], np.float32)
    v = np.full(3, 1e-3, np.float32)
    assert optimizer_kernels.adam_update(g, p, m, v, None, 0.9, 0.999, 0.001, 1e-7)
    assert m[0] == np.float32(2e-38) * np.float32(0.9)  # still normal: kept
    assert m[1] == 0.0  # 1.08e-38 would be subnormal
    assert np.isnan(m[2])


def _dropout_run(monkeypatch, jit: str, x: np.ndarray, noise_shape=None):
    from designer.engine import layers

    monkeypatch.setenv("DESIGNER_JIT", jit)
    layer = layers.Dropout(0.3, noise_shape=noise_shape, seed=7)
    y, ctx = layer.forward(x, training=True)
    dy = np.random.default_rng(8).standard_normal(x.shape).astype(np.float32)
    dx, _ = layer.backward(ctx, dy)
    return y, dx


@pytest.mark.parametrize("noise_shape", [None, (None, 1, 5)])
def test_dropout_kernel_equals_numpy(monkeypatch, noise_shape):
    x = np.random.default_rng(6).standard_normal((300, 4, 5)).astype(np.float32)
    (y, dx), (y_ref, dx_ref) = (_dropout_run(monkeypatch, jit, x, noise_shape) for jit in "10")
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(dx, dx_ref)
    kept = y != 0
    assert 0.6 < kept.mean() < 0.8  # rate 0.3
    np.testing.assert_allclose(y[kept], x[kept] / 0.7, rtol=1e-6)


def test_warm_up_readies_every_kernel():
    assert kernels.warm_up() == len(kernels._all_kernels()) >= 5


def test_a_numba_that_cannot_compile_falls_back_to_numpy(monkeypatch):
    import numba

    from designer.engine import Sequential, layers

    def broken_njit(*args, **kwargs):
        raise RuntimeError("LLVM is unhappy")

    monkeypatch.setattr(numba, "njit", broken_njit)
    monkeypatch.setattr(kernels, "_numba_checked", False)
    monkeypatch.setattr(kernels, "_numba", None)
    with pytest.warns(RuntimeWarning, match="NumPy code instead"):
        assert not kernels.enabled()
    model = Sequential([layers.Dense(2, input_dim=3)])
    model.compile("adam", "mse")
    model.fit(np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32), verbose=0)
    monkeypatch.undo()
    kernels._numba_checked = False  # find the real Numba again for the other tests
    assert kernels.enabled()
