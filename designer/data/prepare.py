"""From a loaded Dataset to the float32 arrays `fit` takes: shuffle, split, reshape, scale,
encode labels. The settings are plain JSON (saved with the project); the fitted scaler
statistics come from the training rows only and are applied to validation and test rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from designer.data.cleaning import drop_rows, nonfinite_rows, refusal
from designer.data.dataset import Dataset
from designer.data.labels import LabelInfo
from designer.data.scaling import SCALINGS, ScalerStats, fit_scaler
from designer.engine.utils import to_categorical

LABEL_ENCODINGS = ("keep", "one_hot", "integer", "plus_minus_one")
VALIDATIONS = ("none", "split", "test")


@dataclass(frozen=True)
class Preparation:
    """How to turn a Dataset into training arrays.

    validation: "none"; "split" = the last `validation_split` of the rows (as Keras'
    `validation_split`, after the optional seeded shuffle); "test" = the data set's own
    test set. `sample_shape` reshapes each sample, e.g. (784,) ↔ (28, 28, 1) ↔ (1, 28, 28).
    `drop_nonfinite` removes every row (training and test) whose inputs or targets hold
    NaN or ±inf, before anything else; when off, such rows are refused with their count.
    """

    scaling: str = "none"
    labels: str = "keep"
    num_classes: int | None = None
    sample_shape: tuple[int, ...] | None = None
    validation: str = "split"
    validation_split: float = 0.2
    shuffle: bool = False
    seed: int = 0
    drop_nonfinite: bool = False

    def __post_init__(self) -> None:
        for name, valid in (
            ("scaling", SCALINGS),
            ("labels", LABEL_ENCODINGS),
            ("validation", VALIDATIONS),
        ):
            if getattr(self, name) not in valid:
                raise ValueError(
                    f"Invalid value for `{name}`: {getattr(self, name)!r}. "
                    f"Valid values are: {', '.join(valid)}."
                )
        fraction = self.validation_split
        if isinstance(fraction, bool) or not isinstance(fraction, int | float):
            raise ValueError(f"`validation_split` must be a number. Received: {fraction!r}")
        if not 0 <= fraction < 1:
            raise ValueError(
                f"`validation_split` must be between 0 and 1 (1 excluded). Received: {fraction}"
            )
        if self.num_classes is not None and (
            isinstance(self.num_classes, bool)
            or not isinstance(self.num_classes, int)
            or self.num_classes < 1
        ):
            raise ValueError(
                "Invalid value for `num_classes`: expected a positive integer or None. "
                f"Received: num_classes={self.num_classes!r}"
            )
        if self.sample_shape is not None:
            shape = tuple(self.sample_shape)
            if not shape or any(
                isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in shape
            ):
                raise ValueError(
                    "Invalid value for `sample_shape`: expected positive integers. "
                    f"Received: sample_shape={self.sample_shape!r}"
                )
            object.__setattr__(self, "sample_shape", shape)
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"`seed` must be a non-negative integer. Received: {self.seed!r}")
        object.__setattr__(self, "validation_split", float(fraction))
        object.__setattr__(self, "shuffle", bool(self.shuffle))
        object.__setattr__(self, "drop_nonfinite", bool(self.drop_nonfinite))

    def to_dict(self) -> dict[str, Any]:
        return {
            "scaling": self.scaling,
            "labels": self.labels,
            "num_classes": self.num_classes,
            "sample_shape": None if self.sample_shape is None else list(self.sample_shape),
            "validation": self.validation,
            "validation_split": self.validation_split,
            "shuffle": self.shuffle,
            "seed": self.seed,
            "drop_nonfinite": self.drop_nonfinite,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Preparation:
        """Validate and rebuild; missing keys take their defaults."""
        if not isinstance(data, dict):
            raise ValueError(f"Data preparation settings must be a dict. Received: {data!r}")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(map(str, set(data) - known))
        if unknown:
            raise ValueError(
                f"Unknown data preparation setting(s): {', '.join(unknown)}. "
                f"Valid settings are: {', '.join(sorted(known))}."
            )
        values = dict(data)
        for name, spec in cls.__dataclass_fields__.items():
            # Read from a file, a flag is true or false (never "no", which bool() takes as True).
            if isinstance(spec.default, bool) and not isinstance(values.get(name, False), bool):
                raise ValueError(f"`{name}` must be true or false. Received: {values[name]!r}")
        shape = values.get("sample_shape")
        if isinstance(shape, list):
            values["sample_shape"] = tuple(shape)
        elif shape is not None and not isinstance(shape, tuple):
            raise ValueError(
                "Invalid value for `sample_shape`: expected a list of positive integers or "
                f"null. Received: sample_shape={shape!r}"
            )
        return cls(**values)


def reshape_samples(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Each sample to `shape`; moving a channel axis (H, W, C) ↔ (C, H, W) transposes.

    A plain row-major reshape covers 784 ↔ 28×28 ↔ 28×28×1 ↔ 1×28×28; colour images
    (C > 1) need the axes moved, not the values re-flowed, so that case transposes.
    """
    shape = tuple(int(d) for d in shape)
    current = x.shape[1:]
    if current == shape:
        return x
    have, want = math.prod(current), math.prod(shape)
    if have != want:
        raise ValueError(
            f"Cannot reshape samples of shape {current} ({have} values) to {shape} "
            f"({want} values): the number of values must stay the same."
        )
    if len(current) == 3 and len(shape) == 3 and min(current[0], current[2]) > 1:
        if shape == (current[2], current[0], current[1]):
            return np.transpose(x, (0, 3, 1, 2))
        if shape == (current[1], current[2], current[0]):
            return np.transpose(x, (0, 2, 3, 1))
    return x.reshape((len(x), *shape))


def encode_labels(
    y: np.ndarray, mode: str, info: LabelInfo, num_classes: int | None = None
) -> np.ndarray:
    """Targets in the encoding `mode` (one of LABEL_ENCODINGS); `info` describes all labels."""
    if mode not in LABEL_ENCODINGS:
        raise ValueError(
            f"Invalid label encoding: {mode!r}. Valid values are: {', '.join(LABEL_ENCODINGS)}."
        )
    if mode == "keep":
        if info.kind == "continuous" or y.dtype.kind == "f":
            return np.array(y, dtype=np.float32)
        return np.array(y)
    if info.kind == "continuous":
        raise ValueError(
            f"Label encoding {mode!r} needs class labels; the targets are continuous values "
            f"(from {info.minimum:g} to {info.maximum:g}). Use 'keep' for regression."
        )
    if info.kind == "one_hot":
        index = np.argmax(y, axis=-1).astype(np.int64)
    elif info.kind == "plus_minus_one":
        index = (np.asarray(y) > 0).astype(np.int64).reshape(len(y))
    else:
        index = np.asarray(y).astype(np.int64).reshape(len(y))
    count = num_classes or info.num_classes
    if mode == "integer":
        return index
    if mode == "one_hot":
        return to_categorical(index, count)
    if count is not None and count > 2:
        raise ValueError(
            f"Labels -1/+1 need two classes; the targets have {count} classes. "
            "Use 'one_hot' or 'integer' for more classes."
        )
    return (index * 2 - 1).astype(np.float32)


@dataclass(frozen=True, eq=False)
class PreparedData:
    """The arrays to train on; `scaler` holds the statistics fitted on `x_train`."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    scaler: ScalerStats | None = None
    preparation: Preparation = field(default_factory=Preparation)
    class_names: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    dropped_rows: int = 0  # rows removed by the "Drop rows with NaN/inf" step

    @property
    def validation_data(self) -> tuple[np.ndarray, np.ndarray] | None:
        """`(x_val, y_val)` for `fit(validation_data=...)`, or None."""
        return None if self.x_val is None else (self.x_val, self.y_val)

    def describe(self) -> str:
        """What was done, in a few lines for the data panel."""
        lines = [
            f"Training: {len(self.x_train)} samples of shape {self.x_train.shape[1:]} "
            f"({self.x_train.dtype}); targets {self.y_train.shape[1:] or 'scalar'} "
            f"({self.y_train.dtype})."
        ]
        if self.x_val is not None:
            lines.append(f"Validation: {len(self.x_val)} samples.")
        else:
            lines.append("Validation: none.")
        if self.x_test is not None:
            lines.append(f"Test: {len(self.x_test)} samples.")
        lines.extend(self.notes)
        return "\n".join(lines)


def _split(
    dataset: Dataset, prep: Preparation, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    x, y = dataset.x_train, dataset.y_train
    if prep.shuffle:
        order = np.random.default_rng(prep.seed).permutation(len(x))
        x, y = x[order], y[order]
        notes.append(f"Rows shuffled with seed {prep.seed}.")
    if prep.validation == "split" and prep.validation_split > 0:
        n = len(x)
        split_at = math.floor(n * (1.0 - prep.validation_split))
        if split_at == 0 or split_at == n:
            raise ValueError(
                f"`validation_split={prep.validation_split}` leaves no training or no "
                f"validation samples out of {n}."
            )
        notes.append(
            f"Validation rows: the last {prep.validation_split:.0%} of the training rows, "
            "as Keras' validation_split takes them."
        )
        return x[:split_at], y[:split_at], x[split_at:], y[split_at:]
    if prep.validation == "test":
        if not dataset.has_test:
            raise ValueError(
                "Validation on the test set was chosen, but this data set has no test set. "
                "Use a validation split instead."
            )
        notes.append("Validation rows: the data set's test set.")
        return x, y, dataset.x_test, dataset.y_test
    return x, y, None, None


def _drop_nonfinite(dataset: Dataset, prep: Preparation, notes: list[str]) -> tuple[Dataset, int]:
    """The data set without NaN/inf rows (when the step is on; refused when off)."""
    train_bad = nonfinite_rows(dataset.x_train, dataset.y_train)
    test_bad = nonfinite_rows(dataset.x_test, dataset.y_test) if dataset.has_test else None
    if train_bad is None and test_bad is None:
        return dataset, 0
    if not prep.drop_nonfinite:
        raise ValueError(refusal(train_bad, test_bad))
    x, y = drop_rows(dataset.x_train, dataset.y_train, train_bad, "training")
    x_test, y_test = dataset.x_test, dataset.y_test
    if dataset.has_test:
        x_test, y_test = drop_rows(x_test, y_test, test_bad, "test")
    dropped = dataset.n_samples - len(x) + dataset.n_test - (0 if x_test is None else len(x_test))
    notes.append(f"Dropped {dropped:,} row{'' if dropped == 1 else 's'} with NaN/inf.")
    cleaned = Dataset(
        x,
        y,
        x_test,
        y_test,
        dataset.feature_names,
        dataset.class_names,
        dataset.source,
        dataset.name,
    )
    return cleaned, dropped


def prepare(dataset: Dataset, preparation: Preparation | None = None) -> PreparedData:
    """Drop NaN/inf rows (if asked), shuffle (seeded), split, reshape, scale (fitted on
    training rows), encode labels."""
    prep = preparation or Preparation()
    notes: list[str] = []
    dataset, dropped = _drop_nonfinite(dataset, prep, notes)
    x_train, y_train, x_val, y_val = _split(dataset, prep, notes)
    x_test = y_test = None
    if dataset.has_test and prep.validation != "test":
        x_test, y_test = dataset.x_test, dataset.y_test
    parts = [x_train, x_val, x_test]
    if prep.sample_shape is not None:
        parts = [None if p is None else reshape_samples(p, prep.sample_shape) for p in parts]
        notes.append(f"Samples reshaped to {prep.sample_shape}.")
    parts = [None if p is None else np.array(p, dtype=np.float32) for p in parts]
    scaler = fit_scaler(prep.scaling, parts[0])
    if scaler is not None:
        parts = [None if p is None else scaler.apply_in_place(p) for p in parts]
        where = (
            "" if prep.scaling == "divide_255" else f" (fitted on {len(parts[0])} training rows)"
        )
        notes.append(f"Inputs scaled: {prep.scaling}{where}.")
    info = dataset.labels
    count = prep.num_classes or info.num_classes
    targets = [
        None if t is None else encode_labels(t, prep.labels, info, count)
        for t in (y_train, y_val, y_test)
    ]
    if prep.labels == "one_hot":
        notes.append(f"Labels one-hot encoded over {count} classes.")
    elif prep.labels != "keep":
        notes.append(f"Labels encoded as {prep.labels.replace('_', ' ')}.")
    return PreparedData(
        parts[0],
        targets[0],
        parts[1],
        targets[1],
        parts[2],
        targets[2],
        scaler,
        prep,
        dataset.class_names,
        tuple(notes),
        dropped,
    )
