"""Losses: Keras numbers, fast gradients vs finite differences, registry, errors."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import backend as K
from designer.engine import losses
from designer.engine.autodiff import Tensor
from tests.helpers.gradcheck import assert_close, check_autodiff, numeric_grad

YT = [[0.0, 1.0], [0.0, 0.0]]
YP = [[0.6, 0.4], [0.4, 0.6]]
YT3 = [[0, 1, 0], [0, 0, 1]]
YP3 = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
LOGITS3 = [[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]]
HINGE_P = [[0.3], [-0.2], [0.9], [-0.5]]

BASIC = {
    "mse": losses.MeanSquaredError,
    "mae": losses.MeanAbsoluteError,
    "mape": losses.MeanAbsolutePercentageError,
    "msle": losses.MeanSquaredLogarithmicError,
    "hinge": losses.Hinge,
    "squared_hinge": losses.SquaredHinge,
    "categorical_hinge": losses.CategoricalHinge,
    "kld": losses.KLDivergence,
    "poisson": losses.Poisson,
    "cosine": losses.CosineSimilarity,
    "huber": losses.Huber,
    "logcosh": losses.LogCosh,
    "bce": losses.BinaryCrossentropy,
    "cce": losses.CategoricalCrossentropy,
}
# key -> (loss, y_true, y_pred, sample_weight)
CASES = {}
for _k, _cls in BASIC.items():
    CASES[_k] = (_cls(), YT, YP, None)
    CASES[_k + "_sw"] = (_cls(), YT, YP, [0.8, 0.2])
CASES.update(
    {
        "bce_logits": (
            losses.BinaryCrossentropy(from_logits=True),
            YT,
            [[-18.6, 0.51], [2.94, -12.8]],
            None,
        ),
        "bce_logits_ls": (
            losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
            YT,
            [[-18.6, 0.51], [2.94, -12.8]],
            None,
        ),
        "bce_probs_ls": (losses.BinaryCrossentropy(label_smoothing=0.2), YT, YP, None),
        "cce_probs": (losses.CategoricalCrossentropy(), YT3, YP3, None),
        "cce_probs_ls": (losses.CategoricalCrossentropy(label_smoothing=0.1), YT3, YP3, None),
        "cce_logits": (losses.CategoricalCrossentropy(from_logits=True), YT3, LOGITS3, None),
        "scce_probs": (losses.SparseCategoricalCrossentropy(), [1, 2], YP3, None),
        "scce_logits": (
            losses.SparseCategoricalCrossentropy(from_logits=True),
            [[1], [2]],
            LOGITS3,
            None,
        ),
        "hinge_pm1": (losses.Hinge(), [-1, 1, 1, -1], HINGE_P, None),
        "hinge_01": (losses.Hinge(), [0, 1, 1, 0], HINGE_P, None),
        "sqhinge_pm1": (losses.SquaredHinge(), [-1, 1, 1, -1], HINGE_P, None),
        "mse_n_vs_n1": (losses.MeanSquaredError(), [1.0, 2.0, 3.0], [[1.5], [1.0], [3.5]], None),
        "mse_sum": (losses.MeanSquaredError(reduction="sum"), YT, YP, None),
        "mse_none": (losses.MeanSquaredError(reduction=None), YT, YP, None),
        "mse_sw2d": (losses.MeanSquaredError(), YT, YP, [[0.8], [0.2]]),
        "huber_d05": (losses.Huber(delta=0.5), YT, [[0.6, 0.4], [1.4, 0.6]], None),
        "cosine2": (
            losses.CosineSimilarity(),
            [[0.0, 1.0], [1.0, 1.0]],
            [[1.0, 0.0], [1.0, 1.0]],
            None,
        ),
        "bce_n": (losses.BinaryCrossentropy(), [0, 1, 1, 0], [[0.1], [0.8], [0.6], [0.3]], None),
        "bce_clip": (losses.BinaryCrossentropy(), [0, 1, 1, 0], [[0.0], [1.0], [0.6], [0.3]], None),
        "poisson2": (losses.Poisson(), [[1.0, 2.0], [0.0, 3.0]], [[0.5, 1.5], [0.2, 2.5]], None),
        "kld2": (losses.KLDivergence(), [[0.2, 0.8], [0.5, 0.5]], [[0.4, 0.6], [0.9, 0.1]], None),
        "msle2": (
            losses.MeanSquaredLogarithmicError(),
            [[1.0, 2.0], [0.0, 3.0]],
            [[0.5, 1.5], [-0.2, 2.5]],
            None,
        ),
        "mape2": (
            losses.MeanAbsolutePercentageError(),
            [[1.0, 2.0], [-1.0, 3.0]],
            [[0.5, 1.5], [-0.2, 2.5]],
            None,
        ),
        "cathinge2": (losses.CategoricalHinge(), YT3, YP3, None),
        "logcosh2": (losses.LogCosh(), [[1.0, 2.0], [0.0, 3.0]], [[0.5, 1.5], [-0.2, 7.5]], None),
    }
)

# Produced once with Keras 3.15.1 (torch backend) at /work/kerasenv: the loss value
# (per-sample values for reduction=None) and d(sum of it)/d(y_pred), float32.
KERAS = {
    "mse_sw": (0.17000002, [[0.24000001, -0.24000001], [0.040000003, 0.060000002]]),
    "mse": (0.31, [[0.30000001, -0.30000001], [0.2, 0.30000001]]),
    "mae_sw": (0.29000002, [[0.2, -0.2], [0.050000001, 0.050000001]]),
    "mae": (0.55000001, [[0.25, -0.25], [0.25, 0.25]]),
    "mape_sw": (1.7000002e08, [[2e08, -20], [50000000, 50000000]]),
    "mape": (4e08, [[2.5e08, -25], [2.5e08, 2.5e08]]),
    "msle_sw": (0.086329922, [[0.11750089, -0.10190714], [0.024033722, 0.029375222]]),
    "msle": (0.1705593, [[0.14687611, -0.12738392], [0.1201686, 0.14687611]]),
    "hinge_sw": (0.59000003, [[0.2, -0.2], [0.050000001, 0.050000001]]),
    "hinge": (1.3, [[0.25, -0.25], [0.25, 0.25]]),
    "squared_hinge_sw": (0.81000006, [[0.64000005, -0.24000001], [0.14, 0.16000001]]),
    "squared_hinge": (1.86, [[0.80000001, -0.30000001], [0.69999999, 0.80000001]]),
    "categorical_hinge_sw": (0.64000005, [[0.40000001, -0.40000001], [0, 0.1]]),
    "categorical_hinge": (1.4000001, [[0.5, -0.5], [0, 0.5]]),
    "kld_sw": (0.3665154, [[-6.6666658e-08, -1], [-2.4999999e-08, -1.6666664e-08]]),
    "kld": (0.45814306, [[-8.3333333e-08, -1.25], [-1.25e-07, -8.3333333e-08]]),
    "poisson_sw": (0.43325812, [[0.2, -0.29999989], [0.050000001, 0.050000001]]),
    "poisson": (0.72907263, [[0.25, -0.37499988], [0.25, 0.25]]),
    "cosine_sw": (-0.22188008, [[0.25601548, -0.38402319], [-0, -0]]),
    "cosine": (-0.2773501, [[0.32001933, -0.48002899], [-0, -0]]),
    "huber_sw": (0.085000008, [[0.12, -0.12], [0.020000001, 0.030000001]]),
    "huber": (0.155, [[0.15000001, -0.15000001], [0.1, 0.15000001]]),
    "logcosh_sw": (0.080458537, [[0.10740992, -0.10740991], [0.018997446, 0.026852481]]),
    "logcosh": (0.14708981, [[0.1342624, -0.13426238], [0.094987229, 0.1342624]]),
    "bce_sw": (0.43787214, [[0.50000006, -0.5], [0.083333336, 0.12500001]]),
    "bce": (0.81492448, [[0.62500006, -0.625], [0.41666666, 0.62500006]]),
    "cce_sw": (0.36651629, [[0.40000001, -0.60000002], [0, 0]]),
    "cce": (0.45814535, [[0.5, -0.75], [0, 0]]),
    "bce_logits": (0.86545801, [[2.0895967e-09, -0.093798384], [0.23744717, 6.9019109e-07]]),
    "bce_logits_ls": (1.2275832, [[-0.012499998, -0.081298381], [0.22494717, -0.01249931]]),
    "bce_probs_ls": (0.79465121, [[0.52083337, -0.52083331], [0.3125, 0.52083337]]),
    "cce_probs": (1.1769392, [[0.5, -0.026315808, 0.5], [0.5, 0.5, -4.5]]),
    "cce_probs_ls": (
        1.4591359,
        [[0.15000001, -0.0078947246, 0.48333335], [0.33333331, 0.47916666, -4.1666665]],
    ),
    "cce_logits": (
        0.33669475,
        [[0.11561194, -0.18573415, 0.07012219], [0.074112728, 0.020198079, -0.09431079]],
    ),
    "scce_probs": (1.1769392, [[0.5, -0.026315808, 0.5], [0.5, 0.5, -4.5]]),
    "scce_logits": (
        0.33669475,
        [[0.11561194, -0.18573415, 0.07012219], [0.074112728, 0.020198079, -0.09431079]],
    ),
    "hinge_pm1": (0.77499998, [[0.25], [-0.25], [-0.25], [0.25]]),
    "hinge_01": (0.77499998, [[0.25], [-0.25], [-0.25], [0.25]]),
    "sqhinge_pm1": (0.84749997, [[0.64999998], [-0.60000002], [-0.050000012], [0.25]]),
    "mse_n_vs_n1": (0.5, [[0.33333334], [-0.66666669], [0.33333334]]),
    "mse_sum": (0.62, [[0.60000002, -0.60000002], [0.40000001, 0.60000002]]),
    "mse_none": ([0.36000001, 0.26000002], [[0.60000002, -0.60000002], [0.40000001, 0.60000002]]),
    "mse_sw2d": (0.17000002, [[0.24000001, -0.24000001], [0.040000003, 0.060000002]]),
    "huber_d05": (0.27500001, [[0.125, -0.125], [0.125, 0.125]]),
    "cosine2": (-0.49999997, [[-0, -0.5], [-1.4901161e-08, -1.4901161e-08]]),
    "bce_n": (0.29900116, [[0.27777779], [-0.3125], [-0.41666666], [0.35714287]]),
    "bce_clip": (0.2168752, [[0], [0], [-0.41666666], [0.35714287]]),
    "poisson2": (0.45833609, [[-0.24999988, -0.083333313], [0.25, -0.050000012]]),
    "kld2": (0.30117089, [[-0.25, -0.66666663], [-0.27777779, -2.5]]),
    "msle2": (0.033458181, [[-0.095894016, -0.036464311], [0, -0.019075904]]),
    "mape2": (42.916668, [[-25, -12.5], [25, -8.333333]]),
    "cathinge2": (0.90000004, [[0.5, -0.5, 0], [0, 0.5, -0.5]]),
    "logcosh2": (1.0167683, [[-0.1155293, -0.1155293], [-0.049343854, 0.24993831]]),
}


def _arrays(y_true, y_pred, sw):
    return (
        np.asarray(y_true),
        np.asarray(y_pred, np.float32),
        None if sw is None else np.asarray(sw, np.float32),
    )


@pytest.mark.parametrize("key", sorted(KERAS))
def test_value_and_gradient_match_keras(key) -> None:
    loss, y_true, y_pred, sw = CASES[key]
    value_ref, grad_ref = KERAS[key]
    yt, yp, w = _arrays(y_true, y_pred, sw)
    value = loss(yt, yp, sample_weight=w)
    assert value.dtype == np.float32
    assert_close(value, value_ref, rtol=2e-6, atol=1e-7, what=f"{key} value")
    total, grad = loss.value_and_grad(yt, yp, w)
    assert isinstance(total, float)
    assert_close(total, np.sum(value_ref), rtol=2e-6, atol=1e-7, what=f"{key} total")
    assert grad.dtype == np.float32 and grad.shape == yp.shape
    assert_close(grad, grad_ref, rtol=2e-5, atol=1e-7, what=f"{key} grad")


def _smooth_inputs(key):
    """float64 inputs for finite differences, moved off kinks and clip bounds."""
    loss, y_true, y_pred, sw = CASES[key]
    yp = np.asarray(y_pred, np.float64)
    if key == "bce_clip":
        yp = np.clip(yp, 0.05, 0.95)
    if key == "msle2":
        yp = np.abs(yp) + 0.1
    yt = np.asarray(y_true)
    if key.startswith(("mae", "mape")):
        yp = yp + 0.013  # |error| away from 0
    if key.startswith("mape"):
        yt = np.where(yt == 0, 0.5, yt)  # 1/eps-sized losses drown finite differences
    if key.startswith(("cce_probs", "scce_probs")):
        yp = yp + 0.02  # off the [eps, 1 - eps] clip bounds
    return loss, yt, yp, None if sw is None else np.asarray(sw, np.float64)


@pytest.mark.parametrize("key", sorted(CASES))
def test_fast_gradient_matches_finite_differences(key) -> None:
    loss, yt, yp, sw = _smooth_inputs(key)
    _, grad = loss.value_and_grad(yt, yp, sw)
    assert grad.dtype == np.float64
    expected = numeric_grad(lambda p: loss(yt, p, sample_weight=sw), yp)
    assert_close(grad, expected, rtol=1e-6, atol=1e-8, what=key)


@pytest.mark.parametrize(
    "reduction", ["sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"]
)
@pytest.mark.parametrize("sw", [None, [0.3, 2.0, 0.0], [[0.3], [2.0], [1.0]], 0.5])
def test_reductions_and_sample_weight_shapes(reduction, sw) -> None:
    loss = losses.Huber(delta=0.7, reduction=reduction)
    rng = np.random.default_rng(2)
    yt, yp = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    w = None if sw is None else np.asarray(sw, np.float64)
    value, grad = loss.value_and_grad(yt, yp, w)
    per = losses.huber(yt, yp, delta=0.7) * (1.0 if w is None else np.reshape(w, -1))
    expected = {"sum": per.sum(), "none": per.sum()}.get(reduction, per.sum() / per.size)
    if reduction == "mean_with_sample_weight" and w is not None:
        expected = per.sum() / np.sum(w)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, numeric_grad(lambda p: np.sum(loss(yt, p, sample_weight=w)), yp))


@pytest.mark.parametrize(
    "fn, kwargs, y_true, y_pred",
    [
        (losses.mean_squared_error, {}, YT, YP),
        (losses.binary_crossentropy, {"from_logits": True}, YT, YP),
        (
            losses.categorical_crossentropy,
            {"label_smoothing": 0.1},
            YT3,
            [[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]],
        ),
        (losses.sparse_categorical_crossentropy, {"from_logits": True}, [1, 0], LOGITS3),
        (losses.cosine_similarity, {"axis": 0}, YT, YP),
        (losses.hinge, {}, [-1, 1, 1, -1], HINGE_P),
    ],
)
def test_function_forms_are_differentiable_on_tensors(fn, kwargs, y_true, y_pred) -> None:
    out = fn(np.asarray(y_true), Tensor(np.asarray(y_pred, np.float64)), **kwargs)
    assert isinstance(out, Tensor)
    check_autodiff(
        lambda p: fn(np.asarray(y_true), p, **kwargs) * 2.0, [np.asarray(y_pred, np.float64)]
    )


def my_loss(y_true, y_pred):
    return K.mean(K.square(y_pred - y_true), axis=-1)


def weighted_log_loss(y_true, y_pred):
    p = K.clip(y_pred, 1e-3, 1.0 - 1e-3)
    return -K.sum(y_true * K.log(p) * np.array([1.0, 2.0]), axis=-1) + K.max(y_pred, axis=-1)


class ScaledMSE(losses.Loss):
    def call(self, y_true, y_pred):
        return 3.0 * losses.mean_squared_error(y_true, y_pred) + K.mean(K.abs(y_pred), axis=-1)


@pytest.mark.parametrize("loss", [losses.get(my_loss), losses.get(weighted_log_loss), ScaledMSE()])
@pytest.mark.parametrize("sw", [None, [0.8, 0.2]])
def test_custom_losses_train_through_autodiff(loss, sw) -> None:
    yt = np.array(YT)
    yp = np.array([[0.61, 0.37], [0.43, 0.55]])
    w = None if sw is None else np.asarray(sw)
    value, grad = loss.value_and_grad(yt, yp, w)
    assert value == pytest.approx(float(loss(yt, yp, sample_weight=w)), rel=1e-12)
    assert_close(grad, numeric_grad(lambda p: loss(yt, p, sample_weight=w), yp))
    _, grad32 = loss.value_and_grad(yt.astype(np.int64), yp.astype(np.float32))
    assert grad32.dtype == np.float32


def test_custom_loss_is_matched_to_labels_of_lower_rank() -> None:
    loss = losses.get(my_loss)  # (n,) labels against (n, 1) outputs: no (n, n) broadcast
    value, grad = loss.value_and_grad(np.array([1.0, 2.0]), np.array([[1.5], [1.0]]))
    assert value == pytest.approx((0.25 + 1.0) / 2)
    assert grad.shape == (2, 1)


def test_custom_loss_written_with_numpy_gets_a_clear_error() -> None:
    loss = losses.get(lambda y_true, y_pred: np.mean(np.square(y_pred - y_true), axis=-1))
    with pytest.raises(TypeError, match="backend ops"):
        loss.value_and_grad(np.ones((2, 2)), np.zeros((2, 2)))


def test_clipping_zeroes_the_gradient_as_in_keras() -> None:
    _, grad = losses.BinaryCrossentropy().value_and_grad(
        np.array([[0.0], [1.0]]), np.array([[0.0], [1.0]], np.float32)
    )
    assert grad.tolist() == [[0.0], [0.0]]
    _, grad = losses.CategoricalCrossentropy().value_and_grad(
        np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]], np.float32)
    )
    assert np.all(np.isfinite(grad))


def test_float32_in_float32_out_for_all_builtins() -> None:
    for key in sorted(CASES):
        loss, y_true, y_pred, sw = CASES[key]
        yt, yp, w = _arrays(y_true, y_pred, sw)
        assert np.asarray(loss(yt, yp, sample_weight=w)).dtype == np.float32, key
        assert loss.value_and_grad(yt, yp, w)[1].dtype == np.float32, key


def test_sparse_label_out_of_range_names_label_and_classes() -> None:
    loss = losses.SparseCategoricalCrossentropy()
    probs = np.full((3, 10), 0.1, np.float32)
    with pytest.raises(ValueError, match=r"label value of 12 .*\[0, 10\).*10 output classes"):
        loss.value_and_grad(np.array([1, 12, 3]), probs)
    with pytest.raises(ValueError, match="label value of -1"):
        loss(np.array([1, -1, 3]), probs)
    with pytest.raises(ValueError, match="same shape up until the last dimension"):
        loss(np.array([1, 2]), probs)


def test_categorical_shape_mismatch_suggests_sparse() -> None:
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.CategoricalCrossentropy()(np.array([1, 2, 3]), np.full((3, 10), 0.1))


def test_get_and_aliases() -> None:
    for name, cls in [
        ("mse", losses.MeanSquaredError),
        ("MSE", losses.MeanSquaredError),
        ("mean_squared_error", losses.MeanSquaredError),
        ("mae", losses.MeanAbsoluteError),
        ("MAPE", losses.MeanAbsolutePercentageError),
        ("msle", losses.MeanSquaredLogarithmicError),
        ("hinge", losses.Hinge),
        ("squared_hinge", losses.SquaredHinge),
        ("kld", losses.KLDivergence),
        ("kullback_leibler_divergence", losses.KLDivergence),
        ("logcosh", losses.LogCosh),
        ("log_cosh", losses.LogCosh),
        ("huber", losses.Huber),
        ("poisson", losses.Poisson),
        ("cosine_similarity", losses.CosineSimilarity),
        ("categorical_hinge", losses.CategoricalHinge),
        ("binary_crossentropy", losses.BinaryCrossentropy),
        ("categorical_crossentropy", losses.CategoricalCrossentropy),
        ("sparse_categorical_crossentropy", losses.SparseCategoricalCrossentropy),
        ("CategoricalCrossentropy", losses.CategoricalCrossentropy),
    ]:
        loss = losses.get(name)
        assert type(loss) is cls, name
    assert losses.get("mse").name == "mse"
    assert losses.mse is losses.MSE is losses.mean_squared_error
    assert losses.kld is losses.kullback_leibler_divergence is losses.kl_divergence
    assert losses.logcosh is losses.log_cosh
    assert type(losses.get(losses.mean_squared_error)) is losses.MeanSquaredError
    assert losses.get(losses.mean_squared_error).name == "mean_squared_error"
    inst = losses.Huber(delta=2.0)
    assert losses.get(inst) is inst
    assert isinstance(losses.get(losses.Hinge), losses.Hinge)
    wrapped = losses.get(my_loss)
    assert type(wrapped) is losses.LossFunctionWrapper and wrapped.name == "my_loss"
    cfg = losses.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert cfg.from_logits is True
    assert losses.get(None) is None


def test_unknown_loss_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"'hingee'.*Valid names are: .*hinge.*mse"):
        losses.get("hingee")
    with pytest.raises(ValueError, match="Could not interpret loss"):
        losses.get(3)
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_serialize_round_trip() -> None:
    for loss in [
        losses.Huber(delta=0.3, reduction="sum"),
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        losses.SparseCategoricalCrossentropy(from_logits=True),
        losses.CosineSimilarity(axis=0),
        losses.MeanSquaredError(name="m"),
    ]:
        again = losses.deserialize(losses.serialize(loss))
        assert type(again) is type(loss) and again.get_config() == loss.get_config()
    wrapped = losses.LossFunctionWrapper(my_loss, name="mine")
    again = losses.deserialize(losses.serialize(wrapped), custom_objects={"my_loss": my_loss})
    assert again.fn is my_loss and again.name == "mine"
    assert losses.serialize(losses.hinge) == "hinge"


def test_resolve_loss_crossentropy_by_shape() -> None:
    assert type(losses.resolve_loss("crossentropy", (None, 1), (None, 1))) is (
        losses.BinaryCrossentropy
    )
    assert type(losses.resolve_loss("ce", (None,), (None, 10))) is (
        losses.SparseCategoricalCrossentropy
    )
    assert type(losses.resolve_loss("crossentropy", (None, 10), (None, 10))) is (
        losses.CategoricalCrossentropy
    )
    assert type(losses.resolve_loss("mse", (None, 1), (None, 1))) is losses.MeanSquaredError
