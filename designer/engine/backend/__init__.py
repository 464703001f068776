"""`K`: the backend functions user code calls (`from designer.engine import backend as K`).

Keras 2 backend names and signatures (the ones tutorials use), on top of our
NumPy engine. Every op accepts ndarrays, Python scalars or autodiff Tensors;
with a Tensor input the result is a Tensor that gradients flow through, so
custom losses, metrics, activations and Lambda layers written with `K.*` train.
Without Tensors the result is a plain ndarray (float32 stays float32).

Activation-like names (`K.relu`, `K.tanh`, `K.softmax`, ...) are the very
function objects of `designer.engine.activations`, so `Dense(activation=K.tanh)`
takes the same fast backward path as `activation='tanh'`.
"""

from __future__ import annotations

from designer.engine.activations import (
    elu,
    exponential,
    gelu,
    hard_sigmoid,
    hard_silu,
    leaky_relu,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from designer.engine.autodiff import Tensor, is_tensor

from .array_ops import (
    arange,
    batch_dot,
    batch_flatten,
    batch_get_value,
    batch_set_value,
    cast,
    concatenate,
    constant,
    count_params,
    dot,
    dtype,
    eval,
    expand_dims,
    eye,
    flatten,
    gather,
    get_value,
    int_shape,
    matmul,
    ndim,
    one_hot,
    ones,
    ones_like,
    permute_dimensions,
    random_normal,
    random_uniform,
    repeat_elements,
    reshape,
    set_value,
    shape,
    squeeze,
    stack,
    stop_gradient,
    tile,
    transpose,
    variable,
    zeros,
    zeros_like,
)
from .config import (
    clear_session,
    epsilon,
    floatx,
    get_uid,
    image_data_format,
    image_dim_ordering,
    normalize_data_format,
    register_clear_session_hook,
    reset_uids,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    set_image_dim_ordering,
)
from .math_ops import (
    abs,
    all,
    any,
    argmax,
    argmin,
    clip,
    cos,
    equal,
    exp,
    greater,
    greater_equal,
    in_top_k,
    less,
    less_equal,
    log,
    log1p,
    logsumexp,
    max,
    maximum,
    mean,
    min,
    minimum,
    not_equal,
    pow,
    prod,
    round,
    sign,
    sin,
    sqrt,
    square,
    std,
    sum,
    switch,
    var,
    where,
)
from .nn_ops import (
    bias_add,
    binary_crossentropy,
    categorical_crossentropy,
    check_sparse_labels,
    l2_normalize,
    sparse_categorical_crossentropy,
)


def backend() -> str:
    """Name of the computation backend."""
    return "numpy"


def cast_to_floatx(x):  # noqa: ANN001, ANN201
    """An ndarray of `x` in the default float dtype."""
    import numpy as np

    return np.asarray(x.value if isinstance(x, Tensor) else x, dtype=floatx())


__all__ = [name for name in dir() if not name.startswith("_") and name != "annotations"]
