"""Training runs shared by the GUI's worker thread and the headless command (no Qt)."""

from designer.training.config import TrainingConfig
from designer.training.runs import RunRecord
from designer.training.session import build_callbacks, fit_model

__all__ = ["RunRecord", "TrainingConfig", "build_callbacks", "fit_model"]
