"""Export a design as runnable Python (real Keras, or this engine) and Keras model files."""

from designer.export.script import ScriptOptions, export_script

__all__ = ["ScriptOptions", "export_script"]
