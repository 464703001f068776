"""Loss, optimizer (with its hyper-parameters) and metrics, as the compile panel edits them.

Optimizer hyper-parameters are read from the engine optimizer's own signature, so the
panel shows exactly the engine's names and defaults. `check_combination` explains
choices that are allowed but probably not what the user wants.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from designer.spec.params import ParamSpec

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adamw", "adagrad", "adadelta", "adamax", "nadam")
LOSSES = (
    "mean_squared_error",
    "mean_absolute_error",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "huber",
    "log_cosh",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "kl_divergence",
    "poisson",
    "cosine_similarity",
)
METRICS = (
    "accuracy",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "mae",
    "mse",
    "root_mean_squared_error",
)
# Optimizer arguments that are not hyper-parameters a learner tunes.
_NOT_TUNABLE = {"self", "name", "kwargs", "clipnorm", "clipvalue", "global_clipnorm"}


def optimizer_class(name: str) -> type:
    from designer.engine import optimizers

    return type(optimizers.get(name))


# Limits Keras checks itself (or that make the update meaningless), per argument name.
_HYPER_LIMITS: dict[str, tuple[float | None, float | None]] = {
    "beta_1": (0.0, 1.0),
    "beta_2": (0.0, 1.0),
    "rho": (0.0, 1.0),
    "momentum": (0.0, 1.0),
    "ema_momentum": (0.0, 1.0),
}


def hyper_parameters(optimizer: str) -> list[ParamSpec]:
    """The optimizer's tunable arguments with the engine's defaults, as parameter specs.

    Numbers are never negative (learning rates, epsilons, decays); bools are flags such
    as `nesterov` or `amsgrad`. The one schema type lets the compile panel, the project
    reader and the code importer check values the same way.
    """
    result = []
    signature = inspect.signature(optimizer_class(optimizer).__init__)
    for parameter in signature.parameters.values():
        if parameter.name in _NOT_TUNABLE or parameter.kind == parameter.VAR_KEYWORD:
            continue
        default = parameter.default
        if parameter.name == "weight_decay" and default is None:
            default = 0.0
        if isinstance(default, bool):
            result.append(ParamSpec(parameter.name, "bool", default))
        elif isinstance(default, (int, float)):
            low, high = _HYPER_LIMITS.get(parameter.name, (0.0, None))
            result.append(
                ParamSpec(parameter.name, "float", float(default), minimum=low, maximum=high)
            )
    return result


@dataclass
class CompileSettings:
    optimizer: str = "adam"
    optimizer_params: dict[str, Any] = field(default_factory=dict)  # only non-defaults
    loss: str = "mean_squared_error"
    metrics: list[str] = field(default_factory=lambda: ["accuracy"])

    def optimizer_value(self, name: str) -> Any:
        for hp in hyper_parameters(self.optimizer):
            if hp.name == name:
                return self.optimizer_params.get(name, hp.default)
        raise KeyError(f"{self.optimizer} has no hyper-parameter {name!r}")

    def make_optimizer(self) -> Any:
        from designer.engine import optimizers

        kwargs = dict(self.optimizer_params)
        if kwargs.get("weight_decay") == 0.0:
            kwargs.pop("weight_decay")
        cls = type(optimizers.get(self.optimizer))
        return cls(**kwargs)

    def compile(self, model: Any) -> None:
        """Compile an engine model with these settings (raises ValueError when impossible)."""
        model.compile(optimizer=self.make_optimizer(), loss=self.loss, metrics=list(self.metrics))

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "optimizer_params": dict(self.optimizer_params),
            "loss": self.loss,
            "metrics": list(self.metrics),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CompileSettings:
        return cls(
            optimizer=str(data.get("optimizer", "adam")),
            optimizer_params=dict(data.get("optimizer_params", {})),
            loss=str(data.get("loss", "mean_squared_error")),
            metrics=[str(m) for m in data.get("metrics", [])],
        )


def check_combination(
    settings: CompileSettings, output_activation: str | None, output_units: int | None
) -> list[str]:
    """Warnings about choices that work but are probably mistakes."""
    warnings = []
    loss = settings.loss
    if loss in ("hinge", "squared_hinge") and output_activation == "softmax":
        warnings.append(
            "A softmax output with a hinge loss trains, but hinge expects scores in "
            "[-1, 1] (tanh or linear)."
        )
    if loss == "binary_crossentropy" and output_activation not in (None, "sigmoid"):
        warnings.append(
            "binary_crossentropy expects probabilities: use a sigmoid output "
            f"(the output is {output_activation})."
        )
    if loss in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        if output_activation != "softmax":
            warnings.append(
                f"{loss} expects class probabilities: use a softmax output "
                f"(the output is {output_activation})."
            )
        if output_units == 1:
            warnings.append(
                f"{loss} with a single output unit always predicts that one class; use one "
                "unit per class, or binary_crossentropy with a sigmoid output."
            )
    return warnings
