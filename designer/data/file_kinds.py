"""Which data source a file (or a pair of files) is, from its name: for drops and typed paths.

The Data panel's forms ask for each path; a person dropping `mnist.npz` or the two
Fashion-MNIST IDX files onto the window expects them to open as they are. The kind is
read from the file names only (the loaders then check the contents), and a set of
files that cannot make a data set is refused with what was expected.
"""

from __future__ import annotations

from pathlib import Path

from designer.data.errors import DataFormatError
from designer.data.source import DataSource

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
ACCEPTED = (
    "a CSV table (.csv, .tsv, .txt), NumPy arrays (.npz, or two .npy files) "
    "or MNIST-style IDX files (images and labels)"
)


def is_idx_name(name: str) -> bool:
    """MNIST-style names: train-images-idx3-ubyte(.gz), t10k-labels.idx1-ubyte, x.idx."""
    lowered = name.lower().removesuffix(".gz")
    return "ubyte" in lowered or lowered.endswith(".idx") or "-idx" in lowered or ".idx" in lowered


def is_data_name(name: str) -> bool:
    """Could this file be data the panel opens (by its name)?"""
    lowered = name.lower()
    return lowered.endswith((*CSV_SUFFIXES, ".npy", ".npz")) or is_idx_name(lowered)


def _pick(paths: list[Path], words: tuple[str, ...]) -> Path | None:
    hits = [p for p in paths if any(word in p.name.lower() for word in words)]
    return hits[0] if len(hits) == 1 else None


def source_for_files(paths: list[str | Path]) -> DataSource:
    """The data source these files make, or DataFormatError naming what was expected."""
    files = [Path(p) for p in paths]
    names = ", ".join(p.name for p in files)
    if not files:
        raise DataFormatError(None, f"No file was given; expected {ACCEPTED}.")
    if len(files) == 1:
        path = files[0]
        lowered = path.name.lower()
        if lowered.endswith(CSV_SUFFIXES):
            return DataSource("csv", {"path": str(path)})
        if lowered.endswith(".npz"):
            return DataSource("npz", {"path": str(path)})
        if lowered.endswith(".npy"):
            raise DataFormatError(
                None,
                f"{path.name} holds one array; a data set needs the features and the labels: "
                "drop the two .npy files together (e.g. x.npy and y.npy).",
            )
        if is_idx_name(lowered):
            raise DataFormatError(
                None,
                f"{path.name} is one IDX file; a data set needs the images and the labels: "
                "drop both files together.",
            )
        raise DataFormatError(None, f"Cannot open {path.name} as data; expected {ACCEPTED}.")
    if len(files) == 2 and all(p.name.lower().endswith(".npy") for p in files):
        x = _pick(files, ("x", "feature", "image", "input"))
        y = _pick(files, ("y", "label", "target"))
        if x is None or y is None or x == y:
            x, y = sorted(files, key=lambda p: p.name)
        return DataSource("npy", {"x_path": str(x), "y_path": str(y)})
    if len(files) == 2 and all(is_idx_name(p.name) for p in files):
        images = _pick(files, ("image", "idx3"))
        labels = _pick(files, ("label", "idx1"))
        if images is None or labels is None or images == labels:
            raise DataFormatError(
                None,
                f"Cannot tell the images from the labels among {names}: name them like "
                "train-images-idx3-ubyte and train-labels-idx1-ubyte.",
            )
        return DataSource("idx", {"images": str(images), "labels": str(labels)})
    raise DataFormatError(
        None, f"Cannot open {names} together as one data set; expected {ACCEPTED}."
    )
