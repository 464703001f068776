"""Facts about a Dataset for the data panel: shapes, dtypes, value ranges, class counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from designer.data.cleaning import DROP_STEP, nonfinite_rows
from designer.data.dataset import Dataset
from designer.data.labels import LabelInfo


@dataclass(frozen=True)
class ArrayFacts:
    """Shape, dtype and value range of one array."""

    shape: tuple[int, ...]
    dtype: str
    minimum: float
    maximum: float
    mean: float

    @classmethod
    def of(cls, array: np.ndarray) -> ArrayFacts:
        """Facts about the finite values (NaN and inf are counted by the summary instead)."""
        shape = tuple(int(d) for d in array.shape)
        values = array
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            values = array[np.isfinite(array)]
        if values.size == 0 or array.dtype.kind not in "biuf":
            return cls(shape, str(array.dtype), 0.0, 0.0, 0.0)
        return cls(
            shape,
            str(array.dtype),
            float(np.min(values)),
            float(np.max(values)),
            float(np.mean(values, dtype=np.float64)),
        )

    def describe(self) -> str:
        return (
            f"shape {self.shape}, {self.dtype}, values {self.minimum:g} to {self.maximum:g} "
            f"(mean {self.mean:.4g})"
        )


@dataclass(frozen=True)
class ClassCount:
    label: int
    name: str
    train: int
    test: int


@dataclass(frozen=True)
class DataSummary:
    name: str
    source: str
    task: str
    num_classes: int | None
    is_image: bool
    input_shape: tuple[int, ...]
    feature_names: tuple[str, ...]
    x_train: ArrayFacts
    y_train: ArrayFacts
    x_test: ArrayFacts | None
    y_test: ArrayFacts | None
    classes: tuple[ClassCount, ...]
    nonfinite_rows: int = 0  # training and test rows with NaN or inf (Prepare drops or refuses)

    def lines(self) -> list[str]:
        """Plain text lines, one fact each."""
        title = self.name or "Data"
        if self.source.lower() != title.lower():
            title += f" ({self.source})"
        out = [title, f"Task (guessed): {self.task}"]
        out.append(f"Training inputs: {self.x_train.describe()}")
        out.append(f"Training targets: {self.y_train.describe()}")
        if self.x_test is not None and self.y_test is not None:
            out.append(f"Test inputs: {self.x_test.describe()}")
            out.append(f"Test targets: {self.y_test.describe()}")
        if self.classes:
            counts = ", ".join(
                f"{c.name}: {c.train}" + (f"/{c.test}" if self.x_test is not None else "")
                for c in self.classes
            )
            suffix = " (train/test)" if self.x_test is not None else ""
            out.append(f"Classes{suffix}: {counts}")
        if self.nonfinite_rows:
            rows = (
                "1 row contains"
                if self.nonfinite_rows == 1
                else (f"{self.nonfinite_rows:,} rows contain")
            )
            out.append(f"{rows} NaN or infinite values ('{DROP_STEP}' in Prepare removes them).")
        return out


def _class_index(y: np.ndarray, info: LabelInfo) -> np.ndarray:
    if y.dtype.kind == "f":  # rows with NaN/inf targets belong to no class
        y = y[np.isfinite(y.reshape(len(y), -1)).all(axis=1)]
    if info.kind == "one_hot":
        return np.argmax(y, axis=-1)
    if info.kind == "plus_minus_one":
        return (y.reshape(len(y)) > 0).astype(np.int64)
    return y.reshape(len(y)).astype(np.int64)


def class_counts(dataset: Dataset) -> tuple[ClassCount, ...]:
    """Samples per class in the training and test sets (empty for regression)."""
    info = dataset.labels
    if info.num_classes is None:
        return ()
    k = info.num_classes
    train = np.bincount(_class_index(dataset.y_train, info), minlength=k)
    test = (
        np.bincount(_class_index(dataset.y_test, info), minlength=k)
        if dataset.has_test
        else np.zeros(k, dtype=np.int64)
    )
    names = ("-1", "+1") if info.kind == "plus_minus_one" else None
    return tuple(
        ClassCount(i, names[i] if names else dataset.class_name(i), int(train[i]), int(test[i]))
        for i in range(k)
    )


def summarize(dataset: Dataset) -> DataSummary:
    """All the preview facts at once (a few passes over the arrays)."""
    return DataSummary(
        name=dataset.name,
        source=dataset.source.describe() if dataset.source is not None else "in memory",
        task=dataset.task,
        num_classes=dataset.num_classes,
        is_image=dataset.is_image,
        input_shape=dataset.input_shape,
        feature_names=dataset.feature_names,
        x_train=ArrayFacts.of(dataset.x_train),
        y_train=ArrayFacts.of(dataset.y_train),
        x_test=ArrayFacts.of(dataset.x_test) if dataset.has_test else None,
        y_test=ArrayFacts.of(dataset.y_test) if dataset.has_test else None,
        classes=class_counts(dataset),
        nonfinite_rows=_nonfinite_count(dataset),
    )


def _nonfinite_count(dataset: Dataset) -> int:
    train = nonfinite_rows(dataset.x_train, dataset.y_train)
    test = nonfinite_rows(dataset.x_test, dataset.y_test) if dataset.has_test else None
    return sum(0 if mask is None else int(mask.sum()) for mask in (train, test))
