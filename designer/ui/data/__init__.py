"""The Data panel: load, generate, prepare, preview and check training data."""

from designer.ui.data.panel import DataPanel

__all__ = ["DataPanel"]
