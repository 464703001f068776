"""How to train: the train panel's settings as plain, JSON-able data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from designer.spec.params import ParamSpec

# The schema of every setting: what the training panel's fields check as you type and
# what a project file's "training" object is checked against (one vocabulary for both).
TRAINING_PARAMS: dict[str, ParamSpec] = {
    spec.name: spec
    for spec in (
        ParamSpec("epochs", "int", 20, "Passes over the training data.", 1, 1_000_000),
        ParamSpec("batch_size", "int", 32, "Samples per weight update.", 1, 1_000_000),
        ParamSpec("shuffle", "bool", True, "Shuffle the training rows every epoch."),
        ParamSpec(
            "validation_split",
            "float",
            0.2,
            "Share of the training rows held out when the data has no validation set.",
            0.0,
            0.9,
        ),
        ParamSpec(
            "seed", "optional_int", 0, "Same seed, same run; empty: random.", 0, 2**31 - 1
        ),
        ParamSpec("early_stopping", "bool", False, "End the run when progress stalls."),
        ParamSpec("early_stopping_monitor", "text", "val_loss", "What to watch."),
        ParamSpec(
            "early_stopping_patience",
            "int",
            5,
            "Epochs without improvement before stopping.",
            0,
            100_000,
        ),
        ParamSpec("restore_best_weights", "bool", True, "Keep the best epoch's weights."),
        ParamSpec("reduce_lr_on_plateau", "bool", False, "Lower the rate when progress stalls."),
        ParamSpec(
            "reduce_lr_factor", "float", 0.5, "Multiply the rate by this.", 0.01, 0.99
        ),
        ParamSpec(
            "reduce_lr_patience",
            "int",
            3,
            "Epochs without improvement before the rate is reduced.",
            0,
            100_000,
        ),
        ParamSpec("stop_on_nan", "bool", True, "End the run when the loss is NaN or inf."),
    )
}


@dataclass
class TrainingConfig:
    epochs: int = 20
    batch_size: int = 32
    shuffle: bool = True
    validation_split: float = 0.2  # used when the data has no separate validation set
    seed: int | None = 0
    # Callbacks the panel offers.
    early_stopping: bool = False
    early_stopping_monitor: str = "val_loss"
    early_stopping_patience: int = 5
    restore_best_weights: bool = True
    reduce_lr_on_plateau: bool = False
    reduce_lr_factor: float = 0.5
    reduce_lr_patience: int = 3
    stop_on_nan: bool = True

    def check(self) -> list[str]:
        """Problems with these settings, in words (empty when fine)."""
        problems = []
        if self.epochs < 1:
            problems.append(f"Epochs must be at least 1 (got {self.epochs}).")
        if self.batch_size < 1:
            problems.append(f"Batch size must be at least 1 (got {self.batch_size}).")
        if not 0.0 <= self.validation_split < 1.0:
            problems.append(f"Validation split must be in [0, 1) (got {self.validation_split}).")
        if self.early_stopping_patience < 0 or self.reduce_lr_patience < 0:
            problems.append("Patience cannot be negative.")
        if not 0.0 < self.reduce_lr_factor < 1.0:
            problems.append(
                f"The learning-rate factor must be in (0, 1) (got {self.reduce_lr_factor})."
            )
        return problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingConfig:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(data).items() if k in known})
