"""Layers write weight gradients straight into the optimizer's buffer: same numbers."""

from __future__ import annotations

import numpy as np

from designer.engine import Input, Model, layers, optimizers
from designer.engine.models.parameters import ParameterPack


def _shared_dense_model() -> Model:
    a, b = Input((4,)), Input((4,))
    shared = layers.Dense(3, activation="tanh", name="shared")
    merged = layers.Add()([shared(a), shared(b)])  # one layer, two calls
    return Model([a, b], layers.Dense(2, name="head")(merged))


def test_training_step_gradients_equal_collected_gradients_with_shared_layer():
    model = _shared_dense_model()
    model.compile(optimizers.SGD(learning_rate=1.0), "mse")
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal((5, 4)).astype(np.float32) for _ in range(2)]
    y = rng.standard_normal((5, 2)).astype(np.float32)
    # The expected gradients: backward outside a training step (nothing written in place).
    preds, contexts = model.graph.forward(xs, training=True, keep_context=True)
    _, output_grads = model._losses_and_grads([y], preds, [None])
    collected: dict[int, np.ndarray] = {}

    def add(variable, grad):
        collected[id(variable)] = collected.get(id(variable), 0) + grad

    model.graph.backward(contexts, output_grads, add)
    before = [w.value.copy() for w in model.trainable_weights]
    model.train_on_batch(xs, y)  # SGD with lr 1: new = old - gradient
    for variable, old in zip(model.trainable_weights, before, strict=True):
        np.testing.assert_allclose(old - variable.value, collected[id(variable)],
                                   rtol=1e-5, atol=1e-6)


def test_gradient_buffer_only_inside_a_step_and_once():
    dense = layers.Dense(2)
    dense.build((None, 3))
    pack = ParameterPack(dense.trainable_weights)
    assert dense.kernel.gradient_buffer() is None  # no step open
    pack.zero_grads()
    first = dense.kernel.gradient_buffer()
    assert first is not None and np.shares_memory(first, pack.grads)
    assert dense.kernel.gradient_buffer() is None  # a second call must add instead
    pack.finish_grads()
    assert dense.bias.gradient_buffer() is None
    assert not pack.grad_of(dense.bias).any()  # never written: zeroed
