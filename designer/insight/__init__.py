"""What a trained model does, as numbers the weight inspector shows (no Qt)."""

from designer.insight.classification import (
    confusion_matrix,
    most_confidently_wrong,
    per_class_accuracy,
    predicted_classes,
)
from designer.insight.trace import LayerStep, decision_grid, layer_outputs, trace_input

__all__ = [
    "LayerStep",
    "confusion_matrix",
    "decision_grid",
    "layer_outputs",
    "most_confidently_wrong",
    "per_class_accuracy",
    "predicted_classes",
    "trace_input",
]
