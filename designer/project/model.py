"""Everything a project file holds, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design
from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord


@dataclass
class Project:
    design: Design = field(default_factory=Design)
    compile: CompileSettings = field(default_factory=CompileSettings)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    # Where the data comes from (designer.data.source.DataSource.to_dict()), or None.
    data_source: dict[str, Any] | None = None
    # Data preparation settings (designer.data.prepare.Preparation as a dict), or None.
    preparation: dict[str, Any] | None = None
    # Optionally the data itself (name -> array), for sets that cannot be re-created.
    data_arrays: dict[str, np.ndarray] = field(default_factory=dict)
    weights: dict[str, list[np.ndarray]] = field(default_factory=dict)  # node id -> arrays
    runs: list[RunRecord] = field(default_factory=list)
    next_epoch: int = 0  # where "Continue training" resumes
