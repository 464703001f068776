"""Data loading and preparation shared by the GUI and scripts (no Qt)."""
