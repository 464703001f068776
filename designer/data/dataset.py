"""A loaded data set: arrays plus the names and provenance the GUI and project need."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from designer.data.labels import LabelInfo, describe_labels

if TYPE_CHECKING:
    from designer.data.source import DataSource


def _read_only(array: np.ndarray | None) -> np.ndarray | None:
    """A read-only view: a Dataset can be shared (cached samples, threads) safely."""
    if array is None:
        return None
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs and targets for training, and optionally a separate test set.

    Arrays are stored as read-only views; `prepare()` makes the writable float32
    copies that training uses. `class_names[i]` is the name of class `i` (kept when
    text labels were mapped to integers). `source` says how to load it again.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    source: DataSource | None = None
    name: str = ""

    def __post_init__(self) -> None:
        for attr in ("x_train", "y_train", "x_test", "y_test"):
            object.__setattr__(self, attr, _read_only(getattr(self, attr)))
        object.__setattr__(self, "feature_names", tuple(str(n) for n in self.feature_names))
        object.__setattr__(self, "class_names", tuple(str(n) for n in self.class_names))
        if self.x_train.ndim == 0 or self.y_train.ndim == 0:
            raise ValueError("Dataset arrays need a leading sample axis; received a scalar.")
        if len(self.x_train) != len(self.y_train):
            raise ValueError(
                f"x_train and y_train must have the same number of samples. Received: "
                f"x_train.shape={self.x_train.shape}, y_train.shape={self.y_train.shape}"
            )
        if (self.x_test is None) != (self.y_test is None):
            raise ValueError("Give both x_test and y_test, or neither.")
        if self.x_test is not None:
            if len(self.x_test) != len(self.y_test):
                raise ValueError(
                    f"x_test and y_test must have the same number of samples. Received: "
                    f"x_test.shape={self.x_test.shape}, y_test.shape={self.y_test.shape}"
                )
            if self.y_test.shape[1:] != self.y_train.shape[1:]:
                raise ValueError(
                    f"Test targets must have the training targets' shape "
                    f"{self.y_train.shape[1:]}. Received: {self.y_test.shape[1:]}"
                )
            if self.x_test.shape[1:] != self.x_train.shape[1:]:
                raise ValueError(
                    f"Test samples must have the training samples' shape "
                    f"{self.x_train.shape[1:]}. Received: {self.x_test.shape[1:]}"
                )

    @property
    def n_samples(self) -> int:
        """Training samples."""
        return len(self.x_train)

    @property
    def n_test(self) -> int:
        return 0 if self.x_test is None else len(self.x_test)

    @property
    def has_test(self) -> bool:
        return self.x_test is not None

    @property
    def input_shape(self) -> tuple[int, ...]:
        """The shape of one sample, as Keras' `Input(shape=...)` wants it."""
        return tuple(int(d) for d in self.x_train.shape[1:])

    @property
    def target_shape(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.y_train.shape[1:])

    @property
    def is_image(self) -> bool:
        """Samples are 2-D (H, W) or 3-D (H, W, C or C, H, W) grids."""
        return self.x_train.ndim in (3, 4)

    @cached_property
    def labels(self) -> LabelInfo:
        """What the targets are (class ids, ±1, one-hot or continuous), over train and test."""
        y = self.y_train if self.y_test is None else np.concatenate([self.y_train, self.y_test])
        return describe_labels(y, self.class_names)

    @property
    def num_classes(self) -> int | None:
        """Number of classes, or None for regression targets."""
        return self.labels.num_classes

    @property
    def task(self) -> str:
        """A guess: "binary", "multiclass" or "regression"."""
        count = self.labels.num_classes
        if count is None:
            return "regression"
        return "binary" if count <= 2 else "multiclass"

    def class_name(self, label: int) -> str:
        """The name of class `label` (its number when the labels had no names)."""
        label = int(label)
        if 0 <= label < len(self.class_names):
            return self.class_names[label]
        return str(label)

    def with_source(self, source: DataSource, name: str | None = None) -> Dataset:
        """The same arrays under another provenance (e.g. a built-in sample)."""
        return Dataset(
            self.x_train,
            self.y_train,
            self.x_test,
            self.y_test,
            self.feature_names,
            self.class_names,
            source,
            self.name if name is None else name,
        )
