"""Built-in sample data sets (iris, 8x8 digits) shipped in resources/data/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from designer.data.dataset import Dataset
from designer.data.errors import DataFormatError

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources" / "data"
"""resources/data next to the `designer` package, whatever the working directory."""


@dataclass(frozen=True)
class SampleInfo:
    """A built-in data set as the GUI lists it."""

    name: str
    title: str
    description: str
    filename: str


SAMPLES: dict[str, SampleInfo] = {
    "iris": SampleInfo(
        "iris",
        "Iris flowers",
        "150 flowers, 4 measurements (cm), 3 species. Fisher (1936), UCI; CC BY 4.0.",
        "iris.csv",
    ),
    "digits": SampleInfo(
        "digits",
        "Handwritten digits 8x8",
        "1797 grey 8x8 images (values 0..16) of the digits 0-9. UCI; CC BY 4.0.",
        "digits8x8.csv",
    ),
}


def sample_path(name: str) -> Path:
    """The file behind a sample (raises ValueError for an unknown name)."""
    if name not in SAMPLES:
        raise ValueError(
            f"Unknown sample data set: {name!r}. Valid names are: {', '.join(SAMPLES)}."
        )
    return RESOURCES_DIR / SAMPLES[name].filename


@cache
def load_sample(name: str) -> Dataset:
    """The sample as a Dataset (cached: its arrays are read-only)."""
    from designer.data.csv_loader import load_csv
    from designer.data.source import DataSource

    path = sample_path(name)
    if not path.exists():
        raise DataFormatError(
            path,
            "was not found.",
            f"The built-in samples should be in {RESOURCES_DIR}; reinstall the app.",
        )
    table = load_csv(path, delimiter=",", header=True)
    source = DataSource("sample", {"name": name})
    if name == "digits":
        images = table.x_train.reshape(-1, 8, 8)
        classes = tuple(str(d) for d in range(10))
        return Dataset(images, table.y_train, class_names=classes, source=source, name="digits")
    return table.with_source(source, name=name)
