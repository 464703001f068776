"""The weight inspector and model insight: the Weights dock's tabs."""

from designer.ui.weights.panel import WeightsPanel

__all__ = ["WeightsPanel"]
