"""Import Keras code: a pasted Keras program becomes designs with compile settings.

    from designer.importer import import_keras_code
    result = import_keras_code(source)
    result.best.design, result.best.compile, result.problems

The code is parsed, never run (no Qt, no engine training).
"""

from designer.importer.keras_code import import_keras_code
from designer.importer.result import ImportedModel, ImportResult, Problem

__all__ = ["ImportResult", "ImportedModel", "Problem", "import_keras_code"]
