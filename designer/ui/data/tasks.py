"""The work the data panel sends to its worker thread (plain functions, no Qt).

A load reads the source, summarises it and prepares it with the current settings, so
the GUI thread only has to show the outcome. A preparation that does not fit the new
data (a sample shape of another size) is dropped rather than failing the load; any
other preparation problem is reported next to the loaded data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from designer.data.dataset import Dataset
from designer.data.dataset_summary import DataSummary, summarize
from designer.data.prepare import Preparation, PreparedData, prepare
from designer.data.progress import CancelledFn, ProgressFn
from designer.data.source import DataSource

SYNC_PREPARE_BYTES = 16 * 1024 * 1024
"""Smaller data sets are prepared on the GUI thread at once; larger ones in the worker."""


@dataclass(frozen=True, eq=False)
class Outcome:
    """A loaded (or re-prepared) data set, ready to show."""

    dataset: Dataset
    summary: DataSummary
    preparation: Preparation
    prepared: PreparedData | None
    problem: str = ""  # why preparing failed (prepared is None then)


def fit_preparation(preparation: Preparation, dataset: Dataset) -> Preparation:
    """The preparation, without a sample shape that cannot hold this data set's samples."""
    shape = preparation.sample_shape
    if shape is not None and math.prod(shape) != math.prod(dataset.input_shape):
        return replace(preparation, sample_shape=None)
    return preparation


def prepare_outcome(
    dataset: Dataset, preparation: Preparation, summary: DataSummary | None = None
) -> Outcome:
    """Prepare `dataset`; a ValueError becomes the outcome's `problem`."""
    preparation = fit_preparation(preparation, dataset)
    summary = summary if summary is not None else summarize(dataset)
    try:
        prepared = prepare(dataset, preparation)
    except ValueError as error:
        return Outcome(dataset, summary, preparation, None, str(error))
    return Outcome(dataset, summary, preparation, prepared)


def load_outcome(
    source: DataSource,
    preparation: Preparation,
    base_dir: str | Path | None,
    progress: ProgressFn,
    cancelled: CancelledFn,
) -> Outcome:
    """Runs on the worker thread: load, summarise, prepare."""
    dataset = source.load(progress, cancelled, base_dir=base_dir)
    return prepare_outcome(dataset, preparation)


def prepare_task(
    dataset: Dataset,
    preparation: Preparation,
    summary: DataSummary | None,
    progress: ProgressFn,
    cancelled: CancelledFn,
) -> Outcome:
    """Runs on the worker thread for big data sets (preparing reports no progress)."""
    return prepare_outcome(dataset, preparation, summary)


def is_small(dataset: Dataset) -> bool:
    return dataset.x_train.nbytes + dataset.y_train.nbytes < SYNC_PREPARE_BYTES
