"""Dense, Activation and Dropout: the layers of every tutorial network."""

from __future__ import annotations

from typing import Any

import numpy as np

from designer.engine import activations, initializers, parallel, regularizers
from designer.engine.kernels import elementwise_kernels
from designer.engine.layers.base import Layer
from designer.engine.random import make_rng


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(
            f"Received an invalid value for `{name}`, expected a positive integer. "
            f"Received: {name}={value!r}"
        )
    return int(value)


def _serialize_optional(module: Any, value: Any) -> Any:
    return None if value is None else module.serialize(value)


class _ActivationMixin:
    """Applies `self.activation` forward and its vector-Jacobian product backward.

    relu and tanh run in place on the pre-activation array: their gradients need only
    the output, so the layer keeps one array per call instead of two (on a conv
    layer's feature maps that saves a full copy).
    """

    activation: Any
    #: Layers whose forward takes `defer_relu` (see `can_defer_relu`).
    _supports_deferred_relu = False

    def can_defer_relu(self) -> bool:
        """Whether a following max pooling may apply this layer's relu instead.

        `Graph` uses it: max(relu(z)) == relu(max(z)) exactly, so the pooling applies
        relu to its smaller output and masks its gradient there, and this layer skips
        both full-size relu passes (forward and backward).
        """
        return self._supports_deferred_relu and self.activation is activations.relu

    def _set_activation(self, identifier: Any) -> None:
        self.activation = activations.get(identifier)
        self._is_linear = self.activation is activations.linear
        self._activation_vjp = None if self._is_linear else activations.vjp_for(self.activation)
        self._in_place = None
        self._fast_backward = None
        if self.activation is activations.relu:
            self._in_place = _relu_in_place
            self._fast_backward = _relu_backward
        elif self.activation is activations.tanh:
            self._in_place = np.tanh

    def _activate(self, z: np.ndarray, deferred: bool = False, owned: bool = True) -> np.ndarray:
        """The activation of `z`; overwrites `z` when the caller `owned` it (a fresh array).

        `deferred`: the consumer applies it (`can_defer_relu`); `z` is returned as is.
        """
        if self._is_linear or deferred:
            return z
        if self._in_place is not None:
            if owned and z.flags.writeable:
                return self._in_place(z, out=z)
            return self._in_place(z, out=np.empty_like(z))
        return np.asarray(self.activation(z), dtype=z.dtype)

    def _activation_backward(self, z: np.ndarray, y: np.ndarray, dy: np.ndarray) -> np.ndarray:
        """`z` may be `y` itself when the activation ran in place (see above).

        `y` is None when the relu was deferred to the consumer, whose backward has
        already zeroed the gradient where the output was not positive.
        """
        if self._is_linear or y is None:
            return dy
        if self._fast_backward is not None:
            return self._fast_backward(y, dy)
        return self._activation_vjp(z, y, dy)


def _flat(array: np.ndarray) -> np.ndarray | None:
    """A 1-D view of a contiguous array (None when the memory is not contiguous)."""
    if array.flags.c_contiguous:
        return array.reshape(-1)
    if array.flags.f_contiguous:
        return array.reshape(-1, order="F")
    return None


def _relu_in_place(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """max(z, 0) into `out`; feature maps are split across cores."""
    flat = _flat(z) if out is z else None
    if flat is None or flat.size < 2 * parallel.MIN_CHUNK:
        return np.maximum(z, 0, out=out)

    def work(_index: int, start: int, stop: int) -> None:
        part = flat[start:stop]
        np.maximum(part, 0, out=part)

    parallel.for_each_chunk(work, flat.size)
    return out


def _relu_backward(y: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """dy where the output was positive, else 0; from the output alone, across cores."""
    if y.shape != dy.shape:
        return dy * (y > 0)
    flat_y, flat_dy = _flat(y), _flat(dy)
    same_order = (
        flat_y is not None
        and flat_dy is not None
        and (y.flags.c_contiguous == dy.flags.c_contiguous)
    )
    if not same_order or flat_y.size < 2 * parallel.MIN_CHUNK:
        return dy * (y > 0)
    out = np.empty_like(dy)
    flat_out = _flat(out)

    def work(_index: int, start: int, stop: int) -> None:
        np.multiply(flat_dy[start:stop], flat_y[start:stop] > 0, out=flat_out[start:stop])

    parallel.for_each_chunk(work, flat_y.size)
    return out


class _KernelBiasMixin:
    """The kernel-and-bias settings Dense and the convolutions share (Keras' names)."""

    def _set_kernel_bias(
        self,
        use_bias: Any,
        kernel_initializer: Any,
        bias_initializer: Any,
        kernel_regularizer: Any,
        bias_regularizer: Any,
        activity_regularizer: Any,
        kernel_constraint: Any,
        bias_constraint: Any,
    ) -> None:
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def _add_kernel_and_bias(self, kernel_shape: tuple[int, ...], units: int) -> None:
        self.kernel = self.add_weight(
            kernel_shape,
            self.kernel_initializer,
            name="kernel",
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self.add_weight(
                (units,),
                self.bias_initializer,
                name="bias",
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )

    def _kernel_bias_config(self) -> dict[str, Any]:
        return {
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": _serialize_optional(regularizers, self.kernel_regularizer),
            "bias_regularizer": _serialize_optional(regularizers, self.bias_regularizer),
            "activity_regularizer": _serialize_optional(regularizers, self.activity_regularizer),
            "kernel_constraint": None,
            "bias_constraint": None,
        }


class Dense(_KernelBiasMixin, _ActivationMixin, Layer):
    """`output = activation(dot(input, kernel) + bias)`, on the last axis.

    Input shape: `(batch, ..., input_dim)`. Output shape: `(batch, ..., units)`.
    Weights: kernel `(input_dim, units)`, then bias `(units,)`.
    """

    def __init__(
        self,
        units: int | None = None,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        # Keras 1 spellings: Dense(output_dim=..., init=..., W_regularizer=..., bias=...)
        if units is None:
            units = kwargs.pop("output_dim", None)
        if "init" in kwargs:
            kernel_initializer = kwargs.pop("init")
        kernel_regularizer = kwargs.pop("W_regularizer", kernel_regularizer)
        bias_regularizer = kwargs.pop("b_regularizer", bias_regularizer)
        use_bias = kwargs.pop("bias", use_bias)
        super().__init__(**kwargs)
        self.units = _positive_int("units", units)
        self._set_activation(activation)
        self._set_kernel_bias(
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
        )

    def validate_input_shape(self, input_shape: Any) -> None:
        if isinstance(input_shape, list) or len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                f"Layer '{self.name}' (Dense) expects one input of rank >= 2 with a known last "
                f"dimension. Received input shape: {input_shape}"
            )
        if self.built and input_shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected axis "
                f"-1 of input shape to have value {self.kernel.shape[0]}, but received input "
                f"with shape {input_shape}"
            )

    def build(self, input_shape: Any) -> None:
        self._add_kernel_and_bias((int(input_shape[-1]), self.units), self.units)
        self.built = True

    def compute_output_shape(self, input_shape: Any) -> tuple:
        return (*input_shape[:-1], self.units)

    _supports_deferred_relu = True

    def forward(
        self, inputs: np.ndarray, training: bool = False, defer_relu: bool = False
    ) -> tuple[np.ndarray, Any]:
        x2d = inputs.reshape(-1, inputs.shape[-1]) if inputs.ndim != 2 else inputs
        z = x2d @ self.kernel.value
        if self.bias is not None:
            z += self.bias.value
        y = self._activate(z, deferred=defer_relu)
        out_shape = (*inputs.shape[:-1], self.units)
        return y.reshape(out_shape), (inputs.shape, x2d, z, None if defer_relu else y)

    can_skip_input_grad = True

    def backward(
        self, ctx: Any, grad_outputs: np.ndarray, input_grad: bool = True
    ) -> tuple[np.ndarray | None, list]:
        input_shape, x2d, z, y = ctx
        dz = self._activation_backward(z, y, grad_outputs.reshape(z.shape))
        # Straight into the optimizer's gradient buffer when training (no copy).
        grads = [np.matmul(x2d.T, dz, out=self.kernel.gradient_buffer())]
        if self.bias is not None:
            grads.append(np.add.reduce(dz, axis=0, out=self.bias.gradient_buffer()))
        if not input_grad:
            return None, grads
        dx = dz @ self.kernel.value.T
        return dx.reshape(input_shape), grads

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "units": self.units,
            **self._kernel_bias_config(),
        }


class Activation(_ActivationMixin, Layer):
    """Applies an activation function to its input.

    Input shape: any. Output shape: the same.
    """

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._set_activation(activation)

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        # Never in place: the input may be the user's data or read by another branch.
        y = self._activate(inputs, owned=False)
        return y, (inputs, y)

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        x, y = ctx
        return self._activation_backward(x, y, grad_outputs), []

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """Zeroes a fraction `rate` of inputs while training and scales the rest by 1/(1-rate).

    Inference passes inputs through unchanged. Input shape: any. Output shape: the same.
    """

    def __init__(
        self,
        rate: float | None = None,
        noise_shape: Any = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if rate is None:
            rate = kwargs.pop("p", None)  # Keras 1: Dropout(p=0.5)
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ValueError(
                "Invalid value received for argument `rate`. Expected a float value between "
                f"0 and 1 (1 excluded). Received: rate={rate!r}"
            )
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = make_rng(seed)

    def forward(self, inputs: np.ndarray, training: bool = False) -> tuple[np.ndarray, Any]:
        if not training or self.rate == 0:
            return inputs, None
        shape = inputs.shape
        if self.noise_shape is not None:
            shape = tuple(
                s if n is None else n for s, n in zip(inputs.shape, self.noise_shape, strict=True)
            )
        bits, threshold = self._random_bits(shape)
        scale = np.asarray(1.0 / (1.0 - self.rate), dtype=inputs.dtype)
        return self._keep_and_scale(inputs, bits, threshold, scale), (bits, threshold, scale)

    def _random_bits(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.uint16]:
        """16 random bits per value, and the threshold at or above which it is kept.

        Each value is kept with probability 1 - rate (rate resolved to 1/65536): raw
        64-bit words cut in four are almost 3x faster than random floats, and this
        runs on every batch.
        """
        count = int(np.prod(shape))
        words = self._rng.bit_generator.random_raw(-(-count // 4))
        bits = words.view(np.uint16)[:count].reshape(shape)
        return bits, np.uint16(min(round(self.rate * 65536), 65535))

    @staticmethod
    def _keep_and_scale(values: np.ndarray, bits: np.ndarray, threshold: np.uint16,
                        scale: np.ndarray) -> np.ndarray:
        fused = elementwise_kernels.keep_and_scale(values, bits, threshold, scale)
        if fused is not None:
            return fused
        out = values * (bits >= threshold)  # broadcasts a noise_shape mask
        out *= scale
        return out

    def backward(self, ctx: Any, grad_outputs: np.ndarray) -> tuple[np.ndarray, list]:
        if ctx is None:
            return grad_outputs, []
        bits, threshold, scale = ctx
        return self._keep_and_scale(grad_outputs, bits, threshold, scale), []

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
            "seed": self.seed,
        }
