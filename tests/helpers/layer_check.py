"""One helper that checks any engine layer the way Keras' `run_layer_test` does.

`check_layer(make_layer, input_shape)` verifies: the symbolic output shape equals the
real output's; float32 in gives float32 out; weights count and `get/set_weights` round
trip; a wrong weight count or shape raises ValueError and changes nothing; the config
round trip gives an equal layer (same outputs with the same weights); and the
backward pass (input and weight gradients) against central finite differences in
float64.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from designer.engine.layers.base import Layer
from tests.helpers.gradcheck import assert_close, numeric_grad

Shape = tuple


def _concrete(shape: Shape, batch: int) -> tuple[int, ...]:
    return (batch, *shape[1:])


def _random_inputs(input_shape: Any, rng: np.random.Generator, batch: int) -> Any:
    if isinstance(input_shape, list):
        return [rng.normal(size=_concrete(s, batch)).astype(np.float32) for s in input_shape]
    return rng.normal(size=_concrete(input_shape, batch)).astype(np.float32)


def _as64(value: Any) -> Any:
    if isinstance(value, list):
        return [np.asarray(v, dtype=np.float64) for v in value]
    return np.asarray(value, dtype=np.float64)


def check_layer(
    make_layer: Callable[[], Layer],
    input_shape: Any,
    expected_output_shape: Any = None,
    expected_num_weights: int | None = None,
    expected_num_trainable: int | None = None,
    training: bool = False,
    check_gradients: bool = True,
    check_config: bool = True,
    input_transform: Callable[[Any], Any] | None = None,
    batch: int = 3,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> Layer:
    """Run every generic check on a fresh layer from `make_layer`; returns it built."""
    from designer.engine.layers.input_layer import Input

    rng = np.random.default_rng(0)
    layer = make_layer()
    symbolic = (
        [Input(batch_shape=s) for s in input_shape]
        if isinstance(input_shape, list)
        else (Input(batch_shape=input_shape))
    )
    out_tensor = layer(symbolic)
    symbolic_shape = out_tensor.shape
    if expected_output_shape is not None:
        assert tuple(symbolic_shape) == tuple(expected_output_shape), (
            f"symbolic output shape {symbolic_shape} != expected {expected_output_shape}"
        )
    assert tuple(
        layer.compute_output_shape(
            input_shape if not isinstance(input_shape, list) else list(input_shape)
        )
    ) == tuple(symbolic_shape)

    # Real data: shape and dtype.
    x = _random_inputs(input_shape, rng, batch)
    if input_transform is not None:
        x = input_transform(x)
    y = layer(x, training=training) if not training else layer.forward(x, training=True)[0]
    y = np.asarray(y)
    assert y.dtype == np.float32, f"float32 in gave {y.dtype} out"
    assert y.shape == _concrete(symbolic_shape, batch), (
        f"real output shape {y.shape} does not match the symbolic shape {symbolic_shape}"
    )

    # Weights.
    weights = layer.get_weights()
    if expected_num_weights is not None:
        assert len(weights) == expected_num_weights
    if expected_num_trainable is not None:
        assert len(layer.trainable_weights) == expected_num_trainable
    assert all(w.dtype == np.float32 for w in weights)
    new = [rng.normal(size=w.shape).astype(np.float32) for w in weights]
    layer.set_weights(new)
    for got, want in zip(layer.get_weights(), new, strict=True):
        np.testing.assert_array_equal(got, want)
    if weights:
        try:
            layer.set_weights(new[:-1])
        except ValueError as error:
            assert layer.name in str(error)
        else:
            raise AssertionError("set_weights with a missing array did not raise ValueError")
        wrong = [np.zeros((*w.shape, 2), np.float32) for w in new]
        try:
            layer.set_weights(wrong)
        except ValueError as error:
            assert "expected" in str(error).lower()
        else:
            raise AssertionError("set_weights with wrong shapes did not raise ValueError")
        for got, want in zip(layer.get_weights(), new, strict=True):
            np.testing.assert_array_equal(got, want)  # nothing half-applied

    # Config round trip (not for layers holding plain Python functions, as in Keras).
    config = layer.get_config()
    if check_config:
        clone = type(layer).from_config(config)
        assert clone.get_config() | {"name": None} == config | {"name": None}
    if check_config and not training:
        clone(symbolic)
        clone.set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(clone(x)), np.asarray(layer(x)), rtol=1e-6)

    if check_gradients:
        check_layer_gradients(layer, x, training=training, rtol=rtol, atol=atol)
    return layer


def check_layer_gradients(
    layer: Layer, x: Any, training: bool = False, rtol: float = 1e-5, atol: float = 1e-7
) -> None:
    """Backward vs finite differences in float64, for the inputs and every weight."""
    rng = np.random.default_rng(1)
    saved = [v.value for v in layer.weights]
    try:
        for variable in layer.weights:
            variable.value = variable.value.astype(np.float64)
        x64 = _as64(x)
        y, ctx = layer.forward(x64, training=training)
        seed = rng.normal(size=np.shape(y))
        dx, weight_grads = layer.backward(ctx, seed)

        def objective_of_input(index: int | None) -> Callable[[np.ndarray], float]:
            def f(value: np.ndarray) -> float:
                inputs = list(x64) if isinstance(x64, list) else x64
                if index is None:
                    inputs = value
                else:
                    inputs[index] = value
                out, _ = layer.forward(inputs, training=training)
                return float(np.sum(out * seed))

            return f

        if isinstance(x64, list):
            for i, xi in enumerate(x64):
                assert_close(
                    dx[i],
                    numeric_grad(objective_of_input(i), xi),
                    rtol,
                    atol,
                    what=f"{layer.name} input {i} gradient",
                )
        else:
            assert_close(
                dx,
                numeric_grad(objective_of_input(None), x64),
                rtol,
                atol,
                what=f"{layer.name} input gradient",
            )

        for variable, grad in zip(layer.weights, weight_grads, strict=False):
            if grad is None:
                continue
            original = variable.value

            def f(value: np.ndarray, variable=variable) -> float:
                variable.value = value
                out, _ = layer.forward(x64, training=training)
                return float(np.sum(out * seed))

            expected = numeric_grad(f, original)
            variable.value = original
            assert_close(grad, expected, rtol, atol, what=f"{variable.path} gradient")
    finally:
        for variable, value in zip(layer.weights, saved, strict=True):
            variable.value = value
