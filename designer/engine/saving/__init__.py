"""Saving and loading weights in Keras 3's file layout (nothing is ever unpickled)."""

from designer.engine.saving.weights_file import load_weights, save_weights

__all__ = ["load_weights", "save_weights"]
