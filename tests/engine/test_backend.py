"""`K` ops: gradients of every differentiable op, array/Tensor dispatch, dtypes, config."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import activations
from designer.engine import backend as K
from designer.engine.autodiff import Tensor
from designer.engine.variables import Variable
from tests.helpers.gradcheck import assert_close, check_autodiff

rng = np.random.default_rng(0)


def r(*shape: int) -> np.ndarray:
    return rng.normal(size=shape)


def pos(*shape: int) -> np.ndarray:
    return rng.uniform(0.3, 2.0, size=shape)


def no_ties(*shape: int) -> np.ndarray:
    return rng.permutation(np.arange(int(np.prod(shape))) * 0.37 - 1.1).reshape(shape)


RAMP = np.arange(100, dtype=np.float32).reshape(10, 10)  # distinct weights per output
PROBS = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
ONE_HOT = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])

DIFFERENTIABLE = [
    ("square", lambda a: K.square(a), [r(3, 4)], (0,)),
    ("sqrt", lambda a: K.sqrt(a), [pos(3, 4)], (0,)),
    ("exp", lambda a: K.exp(a), [r(3, 4)], (0,)),
    ("log", lambda a: K.log(a), [pos(3, 4)], (0,)),
    ("log1p", lambda a: K.log1p(a), [pos(3, 4)], (0,)),
    ("abs", lambda a: K.abs(a), [r(3, 4)], (0,)),
    ("sin", lambda a: K.sin(a), [r(3, 4)], (0,)),
    ("cos", lambda a: K.cos(a), [r(3, 4)], (0,)),
    ("pow-scalar", lambda a: K.pow(a, 3), [r(3, 4)], (0,)),
    ("pow-tensors", lambda a, b: K.pow(a, b), [pos(3, 4), r(4)], (0, 1)),
    ("maximum", lambda a, b: K.maximum(a, b), [r(3, 4), r(4)], (0, 1)),
    ("minimum", lambda a, b: K.minimum(a, b), [r(3, 1), r(3, 4)], (0, 1)),
    ("maximum-scalar", lambda a: K.maximum(a, 0.1), [r(3, 4)], (0,)),
    ("clip", lambda a: K.clip(a, -0.5, 0.7), [r(4, 5)], (0,)),
    ("clip-none", lambda a: K.clip(a, None, 0.2), [r(4, 5)], (0,)),
    ("where", lambda a, b: K.where(a > 0, a * 2, b), [r(3, 4), r(4)], (0, 1)),
    ("switch", lambda a, b: K.switch(K.greater(b, 0), a, -a), [r(3, 4), r(3)], (0,)),
    ("sum", lambda a: K.sum(a, axis=1), [r(3, 4, 2)], (0,)),
    ("sum-keepdims", lambda a: K.sum(a, axis=[0, 2], keepdims=True), [r(3, 4, 2)], (0,)),
    ("mean", lambda a: K.mean(a, axis=-1), [r(3, 4)], (0,)),
    ("mean-all", lambda a: K.mean(a), [r(3, 4)], (0,)),
    ("max", lambda a: K.max(a, axis=1), [no_ties(3, 4)], (0,)),
    ("min-keepdims", lambda a: K.min(a, axis=0, keepdims=True), [no_ties(3, 4)], (0,)),
    ("max-all", lambda a: K.max(a), [no_ties(3, 4)], (0,)),
    ("prod", lambda a: K.prod(a, axis=1), [r(3, 4)], (0,)),
    (
        "prod-with-zero",
        lambda a: K.prod(a * np.array([1, 0, 1], np.float32), axis=-1),
        [r(2, 3)],
        (0,),
    ),
    ("prod-axes", lambda a: K.prod(a, axis=(0, 2), keepdims=True), [r(2, 3, 2)], (0,)),
    ("var", lambda a: K.var(a, axis=0), [r(4, 3)], (0,)),
    ("std", lambda a: K.std(a, axis=-1, keepdims=True), [r(4, 3)], (0,)),
    ("logsumexp", lambda a: K.logsumexp(a, axis=-1), [r(4, 3)], (0,)),
    ("dot-2d", lambda a, b: K.dot(a, b), [r(3, 4), r(4, 2)], (0, 1)),
    ("dot-nd", lambda a, b: K.dot(a, b), [r(2, 3, 4), r(5, 4, 2)], (0, 1)),
    ("matmul", lambda a, b: K.matmul(a, b), [r(2, 3, 4), r(2, 4, 5)], (0, 1)),
    ("batch_dot-2d", lambda a, b: K.batch_dot(a, b, axes=1), [r(3, 4), r(3, 4)], (0, 1)),
    ("batch_dot-3d", lambda a, b: K.batch_dot(a, b, axes=(1, 2)), [r(3, 4, 2), r(3, 5, 4)], (0, 1)),
    ("batch_dot-default", lambda a, b: K.batch_dot(a, b), [r(3, 2, 4), r(3, 4, 5)], (0, 1)),
    ("transpose", lambda a: K.transpose(a), [r(2, 3, 4)], (0,)),
    ("permute_dimensions", lambda a: K.permute_dimensions(a, (1, 0, 2)), [r(2, 3, 4)], (0,)),
    ("reshape", lambda a: K.reshape(a, (4, -1)), [r(2, 3, 4)], (0,)),
    ("flatten", lambda a: K.flatten(a) * np.arange(24, dtype=np.float32), [r(2, 3, 4)], (0,)),
    ("batch_flatten", lambda a: K.batch_flatten(a), [r(2, 3, 4)], (0,)),
    ("expand_dims", lambda a: K.expand_dims(a, 1), [r(2, 3)], (0,)),
    ("squeeze", lambda a: K.squeeze(a, -1), [r(2, 3, 1)], (0,)),
    (
        "concatenate",
        lambda a, b: K.concatenate([a, b * 2, np.ones((2, 1), np.float32)], axis=-1),
        [r(2, 3), r(2, 2)],
        (0, 1),
    ),
    ("stack", lambda a, b: K.stack([a, b], axis=1), [r(2, 3), r(2, 3)], (0, 1)),
    ("tile", lambda a: K.tile(a, (2, 3)) * RAMP[:4, :9], [r(2, 3)], (0,)),
    ("repeat_elements", lambda a: K.repeat_elements(a, 2, axis=1) * RAMP[:2, :6], [r(2, 3)], (0,)),
    ("gather", lambda a: K.gather(a, [2, 0, 2]), [r(3, 2)], (0,)),
    ("cast", lambda a: K.cast(a, "float32") * 1.0, [np.array([0.5, 1.5])], ()),
    ("l2_normalize", lambda a: K.l2_normalize(a, axis=-1), [r(3, 4)], (0,)),
    ("l2_normalize-all", lambda a: K.l2_normalize(a), [r(3, 4)], (0,)),
    ("bias_add", lambda a, b: K.bias_add(a, b), [r(2, 3), r(3)], (0, 1)),
    ("bias_add-cf", lambda a, b: K.bias_add(a, b, "channels_first"), [r(2, 3, 4, 4), r(3)], (0, 1)),
    ("binary_crossentropy", lambda p: K.binary_crossentropy(ONE_HOT, p), [PROBS], (0,)),
    (
        "binary_crossentropy-logits",
        lambda z: K.binary_crossentropy(ONE_HOT, z, True),
        [r(2, 3)],
        (0,),
    ),
    ("categorical_crossentropy", lambda p: K.categorical_crossentropy(ONE_HOT, p), [PROBS], (0,)),
    (
        "categorical_crossentropy-logits",
        lambda z: K.categorical_crossentropy(ONE_HOT, z, from_logits=True),
        [r(2, 3)],
        (0,),
    ),
    (
        "sparse_categorical_crossentropy",
        lambda p: K.sparse_categorical_crossentropy(np.array([1, 2]), p),
        [PROBS],
        (0,),
    ),
    (
        "sparse_categorical_crossentropy-logits",
        lambda z: K.sparse_categorical_crossentropy(np.array([[1], [0]]), z, from_logits=True),
        [r(2, 3)],
        (0,),
    ),
    ("softmax-via-K", lambda a: K.softmax(a), [r(2, 3)], (0,)),
    ("hard_sigmoid-via-K", lambda a: K.hard_sigmoid(a), [r(2, 3)], (0,)),
]


@pytest.mark.parametrize(
    "fn, args, argnums", [c[1:] for c in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_gradient_matches_finite_differences(fn, args, argnums) -> None:
    if argnums:
        check_autodiff(fn, args, argnums)


@pytest.mark.parametrize(
    "fn, args, argnums", [c[1:] for c in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_arrays_give_arrays_and_tensors_give_tensors(fn, args, argnums) -> None:
    plain = fn(*args)
    assert isinstance(plain, np.ndarray)
    if argnums:
        wrapped = [Tensor(a) if i in argnums else a for i, a in enumerate(args)]
        out = fn(*wrapped)
        assert isinstance(out, Tensor)
        assert_close(out.value, plain, rtol=1e-12, atol=1e-12, what="value")


@pytest.mark.parametrize(
    "fn, args, argnums", [c[1:] for c in DIFFERENTIABLE], ids=[c[0] for c in DIFFERENTIABLE]
)
def test_float32_in_float32_out(fn, args, argnums) -> None:
    args32 = [a.astype(np.float32) if a.dtype.kind == "f" else a for a in args]
    assert fn(*args32).dtype == np.float32
    if argnums:
        out = fn(*[Tensor(a) if i in argnums else a for i, a in enumerate(args32)])
        assert out.dtype == np.float32


def test_values_follow_keras_2_semantics() -> None:
    x = r(3, 4)
    assert K.dot(r(2, 3, 4), r(5, 4, 6)).shape == (2, 3, 5, 6)
    # Keras docs example: batch_dot of (32, 20, 1) and (32, 30, 20) with axes=(1, 2)
    assert K.batch_dot(np.ones((32, 20, 1)), np.ones((32, 30, 20)), axes=(1, 2)).shape == (
        32,
        1,
        30,
    )
    a, b = r(4, 3), r(4, 3)
    assert_close(K.batch_dot(a, b, axes=1)[:, 0], np.sum(a * b, axis=1))
    assert K.transpose(r(2, 3, 4)).shape == (4, 3, 2)
    assert K.sqrt(np.array([-4.0, 4.0])).tolist() == [0.0, 2.0]
    assert K.clip(np.array([1.0, 5.0]), 2.0, 1.0).tolist() == [2.0, 2.0]
    assert_close(K.std(x, axis=0), np.std(x, axis=0))
    assert_close(K.l2_normalize(np.array([[3.0, 4.0]]), axis=1), [[0.6, 0.8]])
    assert K.switch(np.array(True), lambda: 1.0, lambda: 2.0) == 1.0
    assert K.mean(np.array([True, False, True, True])) == 0.75
    assert K.round(np.array([0.5, 1.5, 2.4])).tolist() == [0.0, 2.0, 2.0]
    assert K.sign(np.array([-2.0, 0.0, 3.0])).tolist() == [-1.0, 0.0, 1.0]
    assert K.in_top_k(np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]), [2, 1], 2).tolist() == [
        True,
        True,
    ]
    assert K.one_hot(np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]


def test_crossentropies_match_keras() -> None:
    # From Keras 3.15.1 torch backend (/work/kerasenv), keras.ops.*_crossentropy.
    t = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
    p = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]], np.float32)
    assert_close(K.categorical_crossentropy(t, p), [0.05129331, 2.3025851], rtol=1e-6)
    assert_close(
        K.sparse_categorical_crossentropy(np.array([1, 2]), p), [0.05129331, 2.3025851], rtol=1e-6
    )
    bce = K.binary_crossentropy(
        np.array([[0.0, 1.0], [0.0, 0.0]], np.float32),
        np.array([[0.6, 0.4], [0.4, 0.6]], np.float32),
    )
    assert_close(bce, [[0.9162907, 0.9162905], [0.5108256, 0.9162907]], rtol=1e-6)


def test_comparisons_and_argmax_are_plain_arrays_even_for_tensors() -> None:
    t = Tensor(np.array([[1.0, 3.0], [2.0, 0.0]]))
    for result in (
        K.equal(t, 1.0),
        K.not_equal(t, 1.0),
        K.greater(t, 1.0),
        K.greater_equal(t, 1.0),
        K.less(t, 1.0),
        K.less_equal(t, 1.0),
        K.any(t > 2),
        K.all(t > -1),
    ):
        assert type(result) is np.ndarray
    assert K.argmax(t).tolist() == [1, 0]
    assert K.argmin(t, axis=0).tolist() == [0, 1]
    labels = np.array([1, 0])  # int labels against float32 predictions stay float32
    assert K.mean(K.cast(K.equal(labels, K.argmax(t)), K.floatx())).dtype == np.float32


def test_round_and_sign_have_zero_gradient() -> None:
    check_autodiff(lambda a: K.round(a * 3.0) + K.sign(a) + a, [r(4)])


def test_python_scalars_become_floatx() -> None:
    assert K.exp(1.0).dtype == np.float32
    assert K.maximum(1.0, 2.0).dtype == np.float32
    assert K.where(np.array([True, False]), 1.0, 0.0).dtype == np.float32
    assert (np.arange(3) * K.constant(2.0)).dtype == np.float64  # numpy's own promotion
    assert K.square(np.array([1, 2])).dtype == np.float32


def test_constructors_and_introspection() -> None:
    assert K.zeros((2, 3)).dtype == np.float32 and K.ones(4).shape == (4,)
    assert K.eye(3).dtype == np.float32
    assert K.constant(1.5, shape=(2, 2)).tolist() == [[1.5, 1.5], [1.5, 1.5]]
    x = np.zeros((2, 5), np.float32)
    assert K.int_shape(x) == (2, 5) and K.shape(Tensor(x)) == (2, 5) and K.ndim(x) == 2
    assert K.dtype(x) == "float32"
    from designer.engine.symbolic import KerasTensor

    sym = KerasTensor((None, 28, 28, 1))
    assert K.int_shape(sym) == (None, 28, 28, 1) and K.ndim(sym) == 4
    assert K.dtype(sym) == "float32"
    assert K.ones_like(x).dtype == np.float32 and K.zeros_like(Tensor(x)).shape == (2, 5)
    v = K.variable([[1, 2], [3, 4]], name="w")
    assert isinstance(v, Variable) and v.dtype == np.float32 and v.name == "w"
    assert K.count_params(v) == 4
    K.set_value(v, np.ones((2, 2)))
    assert K.eval(v).tolist() == [[1, 1], [1, 1]] and K.get_value(v) is not v.value
    assert K.random_uniform((3, 2), seed=1).dtype == np.float32
    assert K.random_normal((3,), seed=1).shape == (3,)
    assert isinstance(K.stop_gradient(Tensor(x)), Tensor)


def test_activation_names_are_shared_with_activations_module() -> None:
    for name in (
        "relu",
        "sigmoid",
        "hard_sigmoid",
        "tanh",
        "softmax",
        "softplus",
        "softsign",
        "elu",
        "selu",
        "exponential",
    ):
        assert getattr(K, name) is getattr(activations, name)


def test_epsilon_and_floatx() -> None:
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    try:
        K.set_epsilon(1e-5)
        assert K.epsilon() == 1e-5
        K.set_floatx("float64")
        assert K.floatx() == "float64" and K.zeros(2).dtype == np.float64
        assert Tensor(1.0).dtype == np.float64
        with pytest.raises(ValueError, match="floatx"):
            K.set_floatx("int8")
    finally:
        K.set_epsilon(1e-7)
        K.set_floatx("float32")
    assert Tensor(1.0).dtype == np.float32


def test_image_data_format_state() -> None:
    assert K.image_data_format() == "channels_last"
    try:
        K.set_image_dim_ordering("th")
        assert K.image_data_format() == "channels_first" and K.image_dim_ordering() == "th"
        K.set_image_dim_ordering("tf")
        assert K.image_data_format() == "channels_last" and K.image_dim_ordering() == "tf"
        K.set_image_data_format("channels_first")
        assert K.image_data_format() == "channels_first"
        with pytest.raises(ValueError, match="data_format"):
            K.set_image_data_format("NCHW")
        with pytest.raises(ValueError, match="dim_ordering"):
            K.set_image_dim_ordering("theano")
    finally:
        K.set_image_data_format("channels_last")


def test_clear_session_resets_uids() -> None:
    K.get_uid("k_test")
    assert K.get_uid("k_test") >= 2
    calls = []
    K.register_clear_session_hook(lambda: calls.append(1))
    K.clear_session()
    assert K.get_uid("k_test") == 1 and calls == [1]


def test_shape_errors_use_keras_wording() -> None:
    with pytest.raises(ValueError, match="must have the same shape"):
        K.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"label value of 12 .*\[0, 10\)"):
        K.sparse_categorical_crossentropy(np.array([3, 12]), np.full((2, 10), 0.1))
    with pytest.raises(ValueError, match="different batch sizes"):
        K.batch_dot(np.ones((2, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="Cannot squeeze"):
        K.squeeze(np.ones((2, 3)), 1)
