"""Keras 2's `keras.utils.np_utils` (the tutorials import `to_categorical` from here)."""

from designer.engine.utils import normalize, to_categorical

__all__ = ["normalize", "to_categorical"]
