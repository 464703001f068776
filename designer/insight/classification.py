"""Classification results: predicted classes, confusion matrix, confident mistakes."""

from __future__ import annotations

from typing import Any

import numpy as np


def predicted_classes(outputs: np.ndarray, output_activation: str | None = None) -> np.ndarray:
    """Class indices from model outputs: argmax for many units; for one unit, a
    threshold at 0 for tanh/linear outputs (±1 labels) and at 0.5 otherwise."""
    outputs = np.asarray(outputs)
    if outputs.ndim > 1 and outputs.shape[-1] > 1:
        return outputs.argmax(axis=-1)
    flat = outputs.reshape(len(outputs))
    threshold = 0.0 if output_activation in ("tanh", "linear", None) else 0.5
    return (flat > threshold).astype(np.int64)


def true_classes(targets: Any) -> np.ndarray:
    """Class indices from targets: one-hot rows, integer labels, or ±1/0-1 labels."""
    targets = np.asarray(targets)
    if targets.ndim > 1 and targets.shape[-1] > 1:
        return targets.argmax(axis=-1)
    flat = targets.reshape(len(targets))
    if flat.size and flat.min() < 0:  # -1/+1 labels
        return (flat > 0).astype(np.int64)
    return np.rint(flat).astype(np.int64)


def confusion_matrix(
    true: np.ndarray, predicted: np.ndarray, num_classes: int | None = None
) -> np.ndarray:
    """counts[i, j] = samples of class i predicted as class j."""
    true = np.asarray(true, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    n = num_classes or int(max(true.max(initial=0), predicted.max(initial=0)) + 1)
    counts = np.zeros((n, n), dtype=np.int64)
    np.add.at(counts, (true, predicted), 1)
    return counts


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Recall of each class (NaN for a class with no samples)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)


def most_confidently_wrong(
    outputs: np.ndarray, true: np.ndarray, predicted: np.ndarray, count: int = 12
) -> np.ndarray:
    """Indices of wrong predictions, the most confident first."""
    outputs = np.asarray(outputs)
    if outputs.ndim > 1 and outputs.shape[-1] > 1:
        confidence = outputs.max(axis=-1)
    else:
        flat = outputs.reshape(len(outputs))
        confidence = np.abs(flat - (0.5 if flat.min(initial=0) >= 0 else 0.0))
    wrong = np.flatnonzero(np.asarray(true) != np.asarray(predicted))
    return wrong[np.argsort(-confidence[wrong], kind="stable")][:count]
