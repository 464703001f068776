"""`model.compile(...)` -> CompileSettings: optimizer (with hyper-parameters), loss and
metrics under the names the compile panel uses."""

from __future__ import annotations

import inspect
import math
from typing import Any

from designer.importer.mapping import Context, show, snake_case
from designer.importer.names import OPTIMIZER_CLASSES, meaning
from designer.importer.values import (
    Pending,
    Ref,
    Unknown,
    UserFunction,
    find_unknown,
    is_constant,
    strip_assumed,
)
from designer.spec.compile_settings import (
    LOSSES,
    METRICS,
    OPTIMIZERS,
    CompileSettings,
    hyper_parameters,
    optimizer_class,
)

LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "k_l_divergence": "kl_divergence",
    "kldivergence": "kl_divergence",
    "logcosh": "log_cosh",
    "bce": "binary_crossentropy",
    "huber_loss": "huber",
    "cosine_proximity": "cosine_similarity",
    "cosine": "cosine_similarity",
}
METRIC_ALIASES = {
    "acc": "accuracy",
    "mean_squared_error": "mse",
    "mean_absolute_error": "mae",
    "rmse": "root_mean_squared_error",
}
# compile() arguments that change speed, not results.
_SPEED_SETTINGS = ("run_eagerly", "jit_compile", "steps_per_execution", "auto_scale_loss")
# Optimizer keywords that are not hyper-parameters of the compile panel.
_NOT_KEPT = ("clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum")


def loss_name(name: str) -> str | None:
    for candidate in (name, name.lower(), snake_case(name)):
        if candidate in LOSSES:
            return candidate
        if candidate in LOSS_ALIASES:
            return LOSS_ALIASES[candidate]
    return None


def metric_name(name: str) -> str | None:
    for candidate in (name, name.lower(), snake_case(name)):
        candidate = METRIC_ALIASES.get(candidate, candidate)
        if candidate in METRICS:
            return candidate
    return None


def _class_notes(module: Any, class_name: str, args: list, kwargs: dict, texts: dict) -> list[str]:
    """Arguments of a loss/metric/initializer class that differ from its defaults."""
    cls = getattr(module, class_name, None)
    try:
        parameters = list(inspect.signature(cls).parameters.values()) if cls else []
    except (TypeError, ValueError):
        parameters = []
    names = [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]
    defaults = {p.name: p.default for p in parameters}
    given = {
        names[i] if i < len(names) else str(i): (v, texts.get(str(i), show(v)))
        for i, v in enumerate(args)
    }
    given.update({k: (v, texts.get(k, show(v))) for k, v in kwargs.items()})
    notes = []
    for key, (value, text) in given.items():
        if key in ("name", "dtype", "seed", "reduction"):
            continue
        plain = strip_assumed(value)[0]
        if key in defaults and is_constant(plain) and plain == defaults[key]:
            continue
        notes.append(f"{key}={text}")
    return notes


def make_setting(kind: str, class_name: str, args: list, kwargs: dict, line: int, texts: dict):
    """A Pending loss, metric, initializer or regularizer from a constructor call."""
    from designer.engine import initializers, losses, metrics, regularizers

    if kind == "loss":
        name, module, what = loss_name(class_name), losses, "loss"
    elif kind == "metric":
        name, module, what = metric_name(class_name), metrics, "metric"
    elif kind == "initializer":
        name, module, what = snake_case(class_name), initializers, "initializer"
    else:
        name = snake_case(class_name).replace("l1l2", "l1_l2")
        module, what = regularizers, "regularizer"
    pending = Pending(kind, name, line, label=class_name)
    if kind == "regularizer":
        pending.notes = _regularizer_notes(class_name, name, args, kwargs, texts)
        return pending
    notes = _class_notes(module, class_name, args, kwargs, texts)
    if notes and name is not None:
        pending.notes.append(
            f"{class_name}({', '.join(notes)}) is not kept (line {line}); the design uses "
            f"the {what} {name} with its defaults."
        )
    return pending


def _regularizer_notes(
    class_name: str, name: str, args: list, kwargs: dict, texts: dict
) -> list[str]:
    from designer.engine import regularizers

    try:
        default = {k: v for k, v in vars(regularizers.get(name)).items() if k in ("l1", "l2")}
    except (ValueError, TypeError):
        return [f"regularizer {name} is not available"]
    order = ["l1", "l2"] if name == "l1_l2" else [name]
    given = {
        key: (value, texts.get(str(i), show(value)))
        for i, (key, value) in enumerate(zip(order, args, strict=False))
    }
    given |= {key: (value, texts.get(key, show(value))) for key, value in kwargs.items()}
    changed = []
    for key, (value, text) in given.items():
        plain = strip_assumed(value)[0]
        if not (isinstance(plain, (int, float)) and math.isclose(plain, default.get(key, -1))):
            changed.append(f"{key}={text}")
    if not changed:
        return []
    factors = ", ".join(f"{k}={v:g}" for k, v in default.items())
    return [
        f"{class_name}({', '.join(changed)}): the factor is not kept; the design uses "
        f"{name} with {factors}"
    ]


def make_optimizer(class_name: str, args: list, kwargs: dict, line: int, texts: dict) -> Pending:
    """`SGD(lr=0.02, momentum=0.9)` -> Pending optimizer with its non-default params."""
    name = OPTIMIZER_CLASSES.get(class_name) or (
        class_name.lower() if class_name.lower() in OPTIMIZERS else None
    )
    pending = Pending("optimizer", name, line, label=class_name)
    if name is None:
        pending.notes.append(
            f"The optimizer {class_name} is not available (line {line}); "
            f"choose one of {', '.join(OPTIMIZERS)}."
        )
        return pending
    tunable = {hp.name: hp for hp in hyper_parameters(name)}
    signature = inspect.signature(optimizer_class(name).__init__)
    order = [p for p in signature.parameters if p not in ("self", "kwargs")]
    given = [
        (order[i] if i < len(order) else str(i), v, texts.get(str(i), show(v)))
        for i, v in enumerate(args)
    ]
    given += [(k, v, texts.get(k, show(v))) for k, v in kwargs.items()]
    for key, value, text in given:
        key = "learning_rate" if key == "lr" else key
        plain = strip_assumed(value)[0]
        if key == "name" or (key == "epsilon" and plain is None):
            continue
        if key in tunable:
            hp = tunable[key]
            ok = (
                isinstance(plain, bool)
                if hp.kind == "bool"
                else (
                    isinstance(plain, (int, float))
                    and not isinstance(plain, bool)
                    and math.isfinite(plain)
                    and plain >= 0
                )
            )
            if not ok:
                reason = find_unknown(value)
                why = f": {reason.reason}" if isinstance(reason, Unknown) else ""
                pending.notes.append(
                    f"{class_name}({key}={text}) cannot be imported{why} (line {line}); "
                    f"{key} keeps its default {hp.default:g}."
                )
                continue
            plain = bool(plain) if hp.kind == "bool" else float(plain)
            if plain != hp.default:
                pending.params[key] = plain
        elif key == "decay" and plain in (0, 0.0):
            continue
        elif key == "decay":
            pending.notes.append(
                f"{class_name}(decay={text}) is not supported by the compile panel "
                f"(line {line}); the learning rate stays constant."
            )
        elif key in _NOT_KEPT:
            if plain is not None and plain is not False:
                pending.notes.append(
                    f"{class_name}({key}={text}) is not kept (line {line}); "
                    "the compile panel has no such setting."
                )
        else:
            pending.notes.append(f"Unknown argument {key}= for {class_name} (line {line}).")
    return pending


def read_compile(
    ctx: Context, args: list, kwargs: dict, line: int, texts: dict[str, str]
) -> CompileSettings:
    settings = CompileSettings(optimizer="rmsprop", metrics=[])  # Keras' compile defaults
    named = dict(zip(("optimizer", "loss", "metrics"), args, strict=False))
    texts = {k: texts.get(str(i), "") for i, k in enumerate(named)} | texts
    for key, value in kwargs.items():
        if key in ("optimizer", "loss", "metrics"):
            named[key] = value
        elif key not in _SPEED_SETTINGS and value is not None:
            ctx.problem(line, f"compile({key}=...) is not imported (line {line}).")
    if "optimizer" in named:
        _read_optimizer(ctx, settings, named["optimizer"], texts.get("optimizer", ""), line)
    if named.get("loss") is None:
        ctx.problem(
            line,
            f"compile gives no loss (line {line}); the design uses {settings.loss}.",
        )
    else:
        _read_loss(ctx, settings, named["loss"], texts.get("loss", ""), line)
    if named.get("metrics") is not None:
        _read_metrics(ctx, settings, named["metrics"], line)
    return settings


def _read_optimizer(ctx: Context, settings: CompileSettings, value: Any, text: str, line: int):
    if isinstance(value, str) and value.lower() in OPTIMIZERS:
        settings.optimizer = value.lower()
        return
    if isinstance(value, Pending) and value.kind == "optimizer":
        ctx.use_pending(value, line)
        if value.name is not None:
            settings.optimizer, settings.optimizer_params = value.name, dict(value.params)
            return
    elif isinstance(value, str):
        ctx.problem(
            line,
            f"The optimizer {value!r} is not available (line {line}); choose one of "
            f"{', '.join(OPTIMIZERS)}.",
        )
    else:
        why = value.reason if isinstance(value, Unknown) else "it is not an optimizer"
        ctx.problem(line, f"optimizer={text or show(value)} (line {line}): {why}.")
    ctx.problem(line, f"The design uses the optimizer {settings.optimizer} (line {line}).")


def _read_loss(ctx: Context, settings: CompileSettings, value: Any, text: str, line: int):
    if isinstance(value, (list, tuple, dict)):
        items = list(value.values() if isinstance(value, dict) else value)
        if items and all(item == items[0] for item in items):
            value = items[0]
        else:
            ctx.problem(
                line,
                f"One loss per output (line {line}) is not imported; the design uses one "
                "loss for every output.",
            )
            value = items[0] if items else None
    name = None
    if isinstance(value, str):
        name = loss_name(value)
    elif isinstance(value, Ref) and meaning(value.path)[0] in ("loss", "metric"):
        name = loss_name(value.last)
    elif isinstance(value, Pending) and value.kind == "loss":
        ctx.use_pending(value, line)
        name = value.name
    elif isinstance(value, UserFunction):
        ctx.problem(
            line,
            f"custom loss {value.name} is not imported (line {line}); the design uses "
            f"{settings.loss}.",
        )
        return
    if name is None:
        ctx.problem(
            line,
            f"The loss {text or show(value)} is not available (line {line}); the design uses "
            f"{settings.loss}.",
        )
        return
    settings.loss = name


def _read_metrics(ctx: Context, settings: CompileSettings, value: Any, line: int) -> None:
    if isinstance(value, dict):
        ctx.problem(line, f"Metrics per output (line {line}) are read as one list.")
        value = [m for v in value.values() for m in (v if isinstance(v, list) else [v])]
    if not isinstance(value, (list, tuple)):
        value = [value]
    for item in value:
        name = None
        label = show(item)
        if isinstance(item, str):
            name, label = metric_name(item), repr(item)
        elif isinstance(item, Ref) and meaning(item.path)[0] in ("metric", "loss"):
            name, label = metric_name(item.last), item.last
        elif isinstance(item, Pending) and item.kind == "metric":
            ctx.use_pending(item, line)
            name, label = item.name, item.label
        elif isinstance(item, UserFunction):
            ctx.problem(line, f"custom metric {item.name} is not imported (line {line}).")
            continue
        elif isinstance(item, Unknown):
            ctx.problem(line, f"A metric is not imported (line {line}): {item.reason}.")
            continue
        if name is None:
            ctx.problem(
                line,
                f"The metric {label} is not offered by the compile panel (line {line}); "
                "it is left out.",
            )
        elif name not in settings.metrics:
            settings.metrics.append(name)
