"""The data part of an exported training script: load the data source, then prepare it.

The code is plain NumPy + stdlib (never `import designer`), so a Keras script runs on
any machine. It reproduces the app exactly: generators make the same RNG calls in the
same order (same seed, same arrays), loaders parse files as the app's loaders do, and
the preparation follows `designer.data.prepare.prepare` step by step (seeded shuffle,
split = the last rows, reshape, float32, scaling fitted on training rows, labels).
Loading is written by `loader_code`, preparation by `preparation_code`.
"""

from __future__ import annotations

from designer.data.prepare import Preparation
from designer.data.source import DataSource
from designer.export.loader_code import load_code
from designer.export.preparation_code import prepare_code

TARGETS = ("keras", "engine")


def data_code(source: dict, preparation: dict | None, target: str) -> str:
    """Python source defining x_train, y_train (and x_val, y_val) like the app's data panel.

    `source` is a DataSource dict, `preparation` a Preparation dict (None = defaults).
    The code needs only NumPy and the standard library, for either target.
    """
    if target not in TARGETS:
        raise ValueError(f"Invalid export target: {target!r}. Valid targets are: keras, engine.")
    data_source = DataSource.from_dict(source)
    prep = Preparation() if preparation is None else Preparation.from_dict(preparation)
    imports = {"math"}
    loading, has_test = load_code(data_source, imports)
    lines = ["import " + name for name in sorted(imports)] + ["", "import numpy as np", ""]
    lines += loading + prepare_code(data_source, prep, has_test)
    return "\n".join(lines) + "\n"
