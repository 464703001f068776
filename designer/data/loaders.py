"""One entry point per DataSource kind: `load_kind(kind, options, progress, cancelled)`."""

from __future__ import annotations

from typing import Any

from designer.data.dataset import Dataset
from designer.data.progress import CancelledFn, ProgressFn, Reporter


def load_kind(
    kind: str,
    options: dict[str, Any],
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """Dispatch to the loader for `kind`; `options` holds every option (defaults filled)."""
    callbacks = {"progress": progress, "cancelled": cancelled}
    if kind == "csv":
        from designer.data.csv_loader import load_csv

        return load_csv(options.pop("path"), **options, **callbacks)
    if kind == "npy":
        from designer.data.numpy_loader import load_npy

        return load_npy(**options, **callbacks)
    if kind == "npz":
        from designer.data.numpy_loader import load_npz

        return load_npz(options.pop("path"), **options, **callbacks)
    if kind == "idx":
        from designer.data.idx_loader import load_idx

        return load_idx(**options, **callbacks)
    if kind == "fashion_mnist":
        from designer.data.idx_loader import load_fashion_mnist_dataset

        return load_fashion_mnist_dataset(options.get("directory"), **callbacks)
    reporter = Reporter(progress, cancelled)
    reporter.check()
    if kind == "sample":
        from designer.data.samples import load_sample

        dataset = load_sample(options["name"])
    elif kind == "generator":
        from designer.data.generators import generate

        dataset = generate(options["name"], **(options.get("params") or {}))
    else:
        raise ValueError(f"Invalid data source kind: {kind!r}.")
    reporter.report(1.0)
    return dataset
