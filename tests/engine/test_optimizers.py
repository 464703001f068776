"""Optimizers: Keras 3 numbers, written-out update rules, both entry points, clipping,
weight decay, legacy `lr`/`decay`, schedules, state and the registry."""

from __future__ import annotations

import math
import tracemalloc
from typing import Any

import numpy as np
import pytest

from designer.engine import optimizers
from designer.engine.optimizers import schedules
from designer.engine.variables import Variable

W0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=np.float32)
B0 = np.array([0.1, -0.2], dtype=np.float32)
GRADS = [
    (np.array([[0.1, -0.2, 0.3], [0.4, -0.5, 0.6]], np.float32),
     np.array([0.05, -0.01], np.float32)),
    (np.array([[-0.3, 0.2, 0.1], [0.0, 0.5, -0.6]], np.float32),
     np.array([0.2, 0.3], np.float32)),
    (np.array([[1.0, -2.0, 0.5], [0.7, 0.0, -0.1]], np.float32),
     np.array([-0.4, 0.1], np.float32)),
]
SEGMENTS = [slice(0, 6), slice(6, 8)]

CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "sgd": ("SGD", {}),
    "sgd_mom": ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd_nest": ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    "adam": ("Adam", {}),
    "adam_lr": ("Adam", {"learning_rate": 0.1}),
    "adam_ams": ("Adam", {"learning_rate": 0.1, "amsgrad": True}),
    "adamw": ("AdamW", {"learning_rate": 0.1}),
    "rmsprop": ("RMSprop", {}),
    "rmsprop_cm": ("RMSprop", {"learning_rate": 0.05, "momentum": 0.5, "centered": True}),
    "adagrad": ("Adagrad", {"learning_rate": 0.1}),
    "adadelta": ("Adadelta", {"learning_rate": 1.0}),
    "adamax": ("Adamax", {"learning_rate": 0.1}),
    "nadam": ("Nadam", {"learning_rate": 0.1}),
    "sgd_clipnorm": ("SGD", {"learning_rate": 0.1, "clipnorm": 0.5}),
    "sgd_gclip": ("SGD", {"learning_rate": 0.1, "global_clipnorm": 0.5}),
    "sgd_clipvalue": ("SGD", {"learning_rate": 0.1, "clipvalue": 0.25}),
    "sgd_wd": ("SGD", {"learning_rate": 0.1, "weight_decay": 0.1}),
    "adam_sched": ("Adam", {"learning_rate": schedules.ExponentialDecay(0.1, 1, 0.5)}),
}

# W then B after the three steps above, computed by Keras 3.15 (torch backend) with
# `optimizer.apply_gradients` on keras.Variable(W0), keras.Variable(B0).
KERAS_RESULTS = {
    "sgd": [
        0.492000043, -0.980000019, 1.99099994, 1.48900008,
        0.25, -0.749000013, 0.101500005, -0.203900009,
    ],
    "sgd_mom": [
        0.42990005, -0.783800006, 1.84970009, 1.32160008,
        0.290500015, -0.788600028, 0.0884499997, -0.264290005,
    ],
    "sgd_nest": [
        0.35691002, -0.605419993, 1.77473009, 1.22943997,
        0.286449969, -0.77474004, 0.104604989, -0.296860993,
    ],
    "adam": [
        0.499000221, -0.998425782, 1.99722934, 1.49751842,
        0.250906676, -0.75083214, 0.0983705595, -0.20045276,
    ],
    "adam_lr": [
        0.400022894, -0.842581987, 1.72292686, 1.25184083,
        0.340667188, -0.833213091, -0.062944293, -0.245275095,
    ],
    "adam_ams": [
        0.400022894, -0.842581987, 1.72292686, 1.25187433,
        0.340669215, -0.833213091, -0.062944293, -0.245275095,
    ],
    "adamw": [
        0.399483353, -0.841460347, 1.72064257, 1.25014818,
        0.340289444, -0.832235515, -0.06294889, -0.245086282,
    ],
    "rmsprop": [
        0.496822834, -0.995996296, 1.99304485, 1.49402559,
        0.250868112, -0.750468254, 0.0966039598, -0.201061919,
    ],
    "rmsprop_cm": [
        0.283391953, -0.715498924, 1.46873701, 1.05406761,
        0.369559109, -0.849530816, -0.297448456, -0.215603933,
    ],
    "adagrad": [
        0.445643842, -0.895864964, 1.83427906, 1.34072459,
        0.269965708, -0.761229813, 0.104128622, -0.288000971,
    ],
    "adadelta": [
        0.497867227, -0.997600794, 1.99615848, 1.49685025,
        0.249981984, -0.749685407, 0.0991195589, -0.201493248,
    ],
    "adamax": [
        0.406916022, -0.868695021, 1.77354693, 1.29860425,
        0.341412455, -0.835256219, -0.0479143746, -0.195612282,
    ],
    "nadam": [
        0.388200104, -0.855165541, 1.75886178, 1.28988242,
        0.288508743, -0.775997221, -0.0168201178, -0.237270415,
    ],
    "sgd_clipnorm": [
        0.491227627, -0.959361315, 1.96807647, 1.46443832,
        0.247339606, -0.744722366, 0.114999995, -0.239000008,
    ],
    "sgd_gclip": [
        0.490206271, -0.959092438, 1.96869326, 1.46467936,
        0.249519691, -0.747368634, 0.0949429348, -0.217521653,
    ],
    "sgd_clipvalue": [
        0.48999998, -0.975000024, 1.94000006, 1.45000005,
        0.25, -0.74000001, 0.099999994, -0.234000012,
    ],
    "sgd_wd": [
        0.405048519, -0.770497024, 1.85129511, 1.34624457,
        0.24207978, -0.717130303, 0.112329394, -0.232779711,
    ],
    "adam_sched": [
        0.412363082, -0.88696295, 1.83395696, 1.34621,
        0.346350044, -0.844486654, -0.0378396809, -0.154377922,
    ],
}


def make(case: str) -> optimizers.Optimizer:
    cls_name, kwargs = CASES[case]
    return getattr(optimizers, cls_name)(**kwargs)


def run_keras_api(opt: optimizers.Optimizer, grads: list = GRADS) -> np.ndarray:
    w, b = Variable(W0.copy(), name="kernel"), Variable(B0.copy(), name="bias")
    for gw, gb in grads:
        opt.apply_gradients([(gw, w), (gb, b)])
    return np.concatenate([w.value.ravel(), b.value.ravel()])


def run_flat(opt: optimizers.Optimizer, grads: list = GRADS) -> np.ndarray:
    param = np.concatenate([W0.ravel(), B0.ravel()])
    for gw, gb in grads:
        opt.apply_flat(np.concatenate([gw.ravel(), gb.ravel()]), param, SEGMENTS)
    return param


@pytest.mark.parametrize("case", list(CASES))
def test_matches_keras_and_both_entry_points_agree(case: str) -> None:
    via_api, via_flat = run_keras_api(make(case)), run_flat(make(case))
    assert via_api.dtype == via_flat.dtype == np.float32
    np.testing.assert_array_equal(via_api, via_flat)  # one update_step, identical numbers
    np.testing.assert_allclose(via_api, KERAS_RESULTS[case], rtol=2e-6, atol=1e-7)


# ----------------------------------------------------------------------------- rules
def steps(opt: optimizers.Optimizer, x0: np.ndarray, grads: list[np.ndarray]) -> np.ndarray:
    param = x0.astype(np.float32).copy()
    for g in grads:
        opt.apply_flat(g.astype(np.float32), param, [slice(0, param.size)])
    return param


RNG = np.random.default_rng(0)
X0 = RNG.normal(size=7)
G = [RNG.normal(size=7) for _ in range(4)]


def test_sgd_rules() -> None:
    x, m = X0.copy(), np.zeros(7)
    for g in G:
        m = 0.8 * m - 0.1 * g
        x = x + 0.8 * m - 0.1 * g  # Nesterov
    np.testing.assert_allclose(steps(optimizers.SGD(0.1, momentum=0.8, nesterov=True), X0, G),
                               x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(steps(optimizers.SGD(0.1), X0, G), X0 - 0.1 * sum(G),
                               rtol=1e-5, atol=1e-6)


def test_adam_rule_epsilon_outside_sqrt_bias_correction_in_step() -> None:
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
    x, m, v = X0.copy(), np.zeros(7), np.zeros(7)
    for t, g in enumerate(G, start=1):
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        alpha = lr * math.sqrt(1 - b2**t) / (1 - b1**t)
        x -= alpha * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(steps(optimizers.Adam(lr), X0, G), x, rtol=1e-5, atol=1e-6)


def test_rmsprop_rule() -> None:
    lr, rho, eps = 0.01, 0.9, 1e-7
    x, v = X0.copy(), np.zeros(7)
    for g in G:
        v = rho * v + (1 - rho) * g * g
        x -= lr * g / np.sqrt(v + eps)
    np.testing.assert_allclose(steps(optimizers.RMSprop(lr), X0, G), x, rtol=1e-5, atol=1e-6)


def test_adagrad_rule() -> None:
    x, acc = X0.copy(), np.full(7, 0.1)
    for g in G:
        acc += g * g
        x -= 0.05 * g / np.sqrt(acc + 1e-7)
    np.testing.assert_allclose(steps(optimizers.Adagrad(0.05), X0, G), x, rtol=1e-5, atol=1e-6)


def test_adadelta_rule() -> None:
    rho, eps = 0.95, 1e-7
    x, eg, ed = X0.copy(), np.zeros(7), np.zeros(7)
    for g in G:
        eg = rho * eg + (1 - rho) * g * g
        delta = -np.sqrt(ed + eps) / np.sqrt(eg + eps) * g
        ed = rho * ed + (1 - rho) * delta**2
        x += 1.0 * delta
    np.testing.assert_allclose(steps(optimizers.Adadelta(1.0), X0, G), x, rtol=1e-5, atol=1e-6)


def test_adamax_rule() -> None:
    x, m, u = X0.copy(), np.zeros(7), np.zeros(7)
    for t, g in enumerate(G, start=1):
        m += (g - m) * 0.1
        u = np.maximum(0.999 * u, np.abs(g))
        x -= 0.02 * m / ((1 - 0.9**t) * (u + 1e-7))
    np.testing.assert_allclose(steps(optimizers.Adamax(0.02), X0, G), x, rtol=1e-5, atol=1e-6)


def test_nadam_rule_momentum_cache() -> None:
    lr, b1, b2, eps = 0.02, 0.9, 0.999, 1e-7
    x, m, v, u_prod = X0.copy(), np.zeros(7), np.zeros(7), 1.0
    for t, g in enumerate(G, start=1):
        u_t, u_next = b1 * (1 - 0.5 * 0.96**t), b1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_prod *= u_t
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        m_hat = u_next * m / (1 - u_prod * u_next) + (1 - u_t) * g / (1 - u_prod)
        x -= lr * m_hat / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(steps(optimizers.Nadam(lr), X0, G), x, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------------- clipping
def test_clipnorm_clips_each_variable_separately() -> None:
    opt = optimizers.SGD(1.0, clipnorm=1.0)
    big, small = Variable(np.zeros(2)), Variable(np.zeros(2))
    opt.apply_gradients([(np.array([30.0, 40.0]), big), (np.array([0.3, 0.4]), small)])
    np.testing.assert_allclose(big.value, [-0.6, -0.8], rtol=1e-6)
    np.testing.assert_allclose(small.value, [-0.3, -0.4], rtol=1e-6)


def test_global_clipnorm_scales_all_together() -> None:
    param = np.zeros(4, np.float32)
    grad = np.array([3.0, 0.0, 0.0, 4.0], np.float32)  # global norm 5
    optimizers.SGD(1.0, global_clipnorm=1.0).apply_flat(grad, param, [slice(0, 2), slice(2, 4)])
    np.testing.assert_allclose(param, [-0.6, 0, 0, -0.8], rtol=1e-6)
    assert grad.tolist() == [3.0, 0.0, 0.0, 4.0]  # the caller's gradient is left alone
    param = np.zeros(2, np.float32)
    optimizers.SGD(1.0, global_clipnorm=1.0).apply_flat(
        np.array([np.inf, 1.0], np.float32), param, [slice(0, 2)])
    assert np.isnan(param).all()  # as Keras: a non-finite norm gives NaN


def test_clipvalue_is_elementwise() -> None:
    param = np.zeros(3, np.float32)
    optimizers.SGD(1.0, clipvalue=0.5).apply_flat(np.array([2.0, -3.0, 0.1], np.float32),
                                                 param, [slice(0, 3)])
    np.testing.assert_allclose(param, [-0.5, 0.5, -0.1], rtol=1e-6)


def test_only_one_clipping_argument() -> None:
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and"):
        optimizers.Adam(clipnorm=1.0, global_clipnorm=1.0)


# --------------------------------------------------------------------- weight decay
def test_weight_decay_is_decoupled_and_applied_first() -> None:
    x = np.array([1.0, -2.0], np.float32)
    g = np.array([0.5, 0.5], np.float32)
    optimizers.SGD(0.1, weight_decay=0.2).apply_flat(g, x, [slice(0, 2)])
    np.testing.assert_allclose(x, np.array([1.0, -2.0]) * (1 - 0.2 * 0.1) - 0.1 * 0.5, rtol=1e-6)


def test_exclude_from_weight_decay_in_both_entry_points() -> None:
    def run(flat: bool) -> tuple[np.ndarray, np.ndarray]:
        kernel, bias = Variable(np.ones(2), name="kernel"), Variable(np.ones(2), name="bias")
        opt = optimizers.AdamW(0.1, weight_decay=0.5)
        opt.exclude_from_weight_decay(var_names=["bias"])
        grads = [np.zeros(2, np.float32), np.zeros(2, np.float32)]
        if flat:
            param = np.ones(4, np.float32)
            kernel.value, bias.value = param[:2], param[2:]
            opt.build([kernel, bias])
            opt.apply_flat(np.concatenate(grads), param, [slice(0, 2), slice(2, 4)])
        else:
            opt.apply(grads, [kernel, bias])
        return kernel.value.copy(), bias.value.copy()

    for flat in (False, True):
        kernel, bias = run(flat)
        np.testing.assert_allclose(kernel, [0.95, 0.95], rtol=1e-6)
        np.testing.assert_array_equal(bias, [1.0, 1.0])


def test_adamw_requires_weight_decay() -> None:
    assert optimizers.AdamW().weight_decay == 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- learning rate API
def test_legacy_lr_and_time_decay() -> None:
    opt = optimizers.SGD(lr=0.2, decay=0.5, momentum=0.9, nesterov=True)  # Keras 2 tutorial
    assert opt.learning_rate == opt.lr == 0.2
    plain = optimizers.SGD(lr=0.2, decay=0.5)
    x = np.zeros(1, np.float32)
    expected = 0.0
    for it in range(3):
        assert plain.current_learning_rate() == pytest.approx(0.2 / (1 + 0.5 * it))
        plain.apply_flat(np.ones(1, np.float32), x, [slice(0, 1)])
        expected -= 0.2 / (1 + 0.5 * it)
    assert x[0] == pytest.approx(expected, rel=1e-6)
    assert plain.learning_rate == 0.2  # the base rate is what callbacks read and set
    clone = optimizers.SGD.from_config(plain.get_config())
    assert clone.decay == 0.5


def test_unknown_keyword_is_named() -> None:
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized: .*'mommentum'"):
        optimizers.SGD(mommentum=0.9)


def test_learning_rate_is_settable_and_validated() -> None:
    opt = optimizers.Adam()
    opt.learning_rate = 0.5
    assert opt.learning_rate == 0.5
    opt.lr = 0.25
    assert opt.current_learning_rate() == 0.25
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate="fast")
    scheduled = optimizers.Adam(schedules.ExponentialDecay(0.1, 1, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        scheduled.learning_rate = 0.3
    scheduled.apply_flat(np.zeros(1, np.float32), np.zeros(1, np.float32), [slice(0, 1)])
    assert scheduled.iterations == 1
    assert scheduled.learning_rate == pytest.approx(0.05)
    assert optimizers.SGD(lambda: 0.3).current_learning_rate() == 0.3


# Keras 3.15 (torch) values of each schedule at these steps.
SCHEDULE_STEPS = [0, 1, 5, 10, 11, 15, 20, 25, 60, 105, 200]
KERAS_SCHEDULES = {
    "exp": (schedules.ExponentialDecay(0.1, 10, 0.5),
            [0.1, 0.0933033, 0.070710681, 0.050000001, 0.04665165, 0.035355341, 0.025,
             0.01767767, 0.0015625, 6.90534e-05, 9.5367433e-08]),
    "exp_stair": (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
                  [0.1, 0.1, 0.1, 0.050000001, 0.050000001, 0.050000001, 0.025, 0.025,
                   0.0015625, 9.7656251e-05, 9.5367433e-08]),
    "inv": (schedules.InverseTimeDecay(0.1, 10, 0.5),
            [0.1, 0.095238104, 0.079999998, 0.06666667, 0.064516135, 0.057142857,
             0.050000001, 0.044444446, 0.025, 0.016000001, 0.0090909088]),
    "inv_stair": (schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True),
                  [0.1, 0.1, 0.1, 0.06666667, 0.06666667, 0.06666667, 0.050000001,
                   0.050000001, 0.025, 0.016666668, 0.0090909088]),
    "pw": (schedules.PiecewiseConstantDecay([10, 20], [0.1, 0.05, 0.01]),
           [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.01, 0.01, 0.01, 0.01]),
    "cos": (schedules.CosineDecay(0.1, 100, alpha=0.1),
            [0.1, 0.099977791, 0.099445976, 0.097797543, 0.097339638, 0.095095292,
             0.091405764, 0.086819813, 0.041094225, 0.010000001, 0.010000001]),
    "cos_warm": (schedules.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10),
                 [0, 0.010000001, 0.050000001, 0.1, 0.099975325, 0.09938442, 0.097552828,
                  0.094550326, 0.049999997, 0.00061558187, 0]),
    "poly": (schedules.PolynomialDecay(0.1, 50, end_learning_rate=0.01, power=2.0),
             [0.1, 0.096436009, 0.082899995, 0.067600004, 0.064755999, 0.054099999,
              0.042400002, 0.032499999, 0.01, 0.01, 0.01]),
    "poly_cycle": (schedules.PolynomialDecay(0.1, 50, end_learning_rate=0.01, power=0.5,
                                             cycle=True),
                   [0.1, 0.099095456, 0.095381498, 0.090498447, 0.089485846, 0.085299402,
                    0.079713702, 0.073639609, 0.066921003, 0.059295036, 0.01]),
}


@pytest.mark.parametrize("key", list(KERAS_SCHEDULES))
def test_schedules_match_keras(key: str) -> None:
    schedule, expected = KERAS_SCHEDULES[key]
    got = [schedule(step) for step in SCHEDULE_STEPS]
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)
    clone = schedules.deserialize(schedules.serialize(schedule))
    assert clone.get_config() == schedule.get_config()


def test_schedule_argument_checks() -> None:
    with pytest.raises(ValueError, match="decay_steps"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="boundaries"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1])


# ------------------------------------------------------------------ registry / config
@pytest.mark.parametrize(
    ("name", "cls", "lr"),
    [("sgd", optimizers.SGD, 0.01), ("Adam", optimizers.Adam, 0.001),
     ("ADAMW", optimizers.AdamW, 0.001), ("rmsprop", optimizers.RMSprop, 0.001),
     ("adagrad", optimizers.Adagrad, 0.001), ("adadelta", optimizers.Adadelta, 0.001),
     ("adamax", optimizers.Adamax, 0.001), ("nadam", optimizers.Nadam, 0.001)],
)
def test_get_by_name_gives_keras_defaults(name: str, cls: type, lr: float) -> None:
    opt = optimizers.get(name)
    assert type(opt) is cls
    assert opt.learning_rate == lr


def test_get_other_identifiers_and_errors() -> None:
    inst = optimizers.Adam()
    assert optimizers.get(inst) is inst
    opt = optimizers.get({"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.9}})
    assert (opt.learning_rate, opt.momentum) == (0.5, 0.9)
    assert optimizers.get(None) is None
    with pytest.raises(ValueError, match=r"Could not interpret optimizer identifier: 'adamm'"
                                         r".*Valid names are: .*'adam'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)


@pytest.mark.parametrize("case", list(CASES))
def test_serialize_round_trip(case: str) -> None:
    opt = make(case)
    clone = optimizers.deserialize(optimizers.serialize(opt))
    assert type(clone) is type(opt)
    assert clone.get_config() == opt.get_config()


# ----------------------------------------------------------------------- state
@pytest.mark.parametrize("case", ["adam", "nadam", "rmsprop_cm", "adadelta"])
def test_state_round_trip_continues_identically(case: str) -> None:
    a = make(case)
    param_a = np.concatenate([W0.ravel(), B0.ravel()])
    flat = [np.concatenate([gw.ravel(), gb.ravel()]) for gw, gb in GRADS]
    for g in flat[:2]:
        a.apply_flat(g, param_a, SEGMENTS)
    b = make(case)
    b.set_state({k: v.copy() for k, v in a.get_state().items()})
    param_b = param_a.copy()
    a.apply_flat(flat[2], param_a, SEGMENTS)
    b.apply_flat(flat[2], param_b, SEGMENTS)
    np.testing.assert_array_equal(param_a, param_b)
    assert b.iterations == 3


def test_variables_in_keras_order_and_slots_rebuilt_on_size_change() -> None:
    opt = optimizers.Adam()
    w, b = Variable(W0.copy()), Variable(B0.copy())
    opt.apply_gradients([(GRADS[0][0], w), (GRADS[0][1], b)])
    names = opt.slot_names
    assert names == ["momentum", "velocity"]
    shapes = [v.shape for v in opt.variables]
    assert shapes == [(), (), (2, 3), (2, 3), (2,), (2,)]  # iterations, lr, m0, v0, m1, v1
    other = optimizers.Adam()
    other.apply_flat(np.ones(3, np.float32), np.zeros(3, np.float32), [slice(0, 3)])
    other.apply_flat(np.ones(5, np.float32), np.zeros(5, np.float32), [slice(0, 5)])
    assert other.get_state()["slot:momentum"].shape == (5,)


def test_apply_checks_variables() -> None:
    opt = optimizers.SGD()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([np.zeros(2)])
    known, unknown = Variable(np.zeros(2)), Variable(np.zeros(2))
    opt.apply([np.zeros(2)], [known])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([np.zeros(2)], [unknown])
    opt.apply([np.ones(2)])  # the variables it was built with
    np.testing.assert_allclose(known.value, [-0.01, -0.01])
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        optimizers.SGD().apply([np.ones(2), None], [Variable(np.zeros(2)), Variable(np.zeros(1))])


def test_constraints_are_applied_after_the_update() -> None:
    var = Variable(np.zeros(3), constraint=lambda w: np.clip(w, -0.05, 0.05))
    optimizers.SGD(1.0).apply_gradients([(np.array([1.0, -0.01, 0.0]), var)])
    np.testing.assert_allclose(var.value, [-0.05, 0.01, 0.0], rtol=1e-6)


def test_loss_scale_factor_unscales_gradients() -> None:
    opt = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert opt.scale_loss(2.0) == 8.0
    param = np.zeros(1, np.float32)
    opt.apply_flat(np.array([4.0], np.float32), param, [slice(0, 1)])
    assert param[0] == -1.0


def test_float64_buffers_stay_float64() -> None:
    param = np.zeros(3)
    optimizers.Adam(0.1).apply_flat(np.ones(3), param, [slice(0, 3)])
    assert param.dtype == np.float64
    assert param[0] == pytest.approx(-0.1, rel=1e-4)  # epsilon shifts the 1st step a bit


@pytest.mark.parametrize("name", ["sgd", "adam", "rmsprop", "nadam", "adadelta", "adamax"])
def test_flat_step_allocates_no_large_temporaries(name: str) -> None:
    n = 200_000
    opt = optimizers.get(name)
    param = np.zeros(n, np.float32)
    grad = np.full(n, 0.01, np.float32)
    segments = [slice(0, n // 2), slice(n // 2, n)]
    opt.apply_flat(grad, param, segments)  # first call builds slots and scratch
    tracemalloc.start()
    try:
        opt.apply_flat(grad, param, segments)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < param.nbytes // 20


def test_gradient_shape_must_match_the_variable() -> None:
    with pytest.raises(ValueError, match=r"expected the variable's shape \(2, 3\)"):
        optimizers.SGD().apply_gradients([(np.zeros(6), Variable(np.zeros((2, 3))))])


def test_flat_size_change_after_build_forgets_the_old_variables() -> None:
    opt = optimizers.Adam()
    w = Variable(np.zeros(3))
    opt.build([w])
    opt.apply_flat(np.ones(5, np.float32), np.zeros(5, np.float32), [slice(0, 5)])
    assert not opt.built
    other = Variable(np.zeros(5))
    opt.apply([np.ones(5)], [other])  # rebuilds on the new variables, keeping the slots
    assert opt.built
    assert opt.iterations == 2
