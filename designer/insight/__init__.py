"""What a trained model does, as numbers the insight tabs show (no Qt).

`trace` follows one input through every layer, `activations` gives every layer's
output, `boundary` the output over a 2-D plane, `classification` the confusion matrix
and worst mistakes, `targets` whether the targets are classes (as `designer.data.labels`
decides), `rows` which data rows to use, `model` the document's built model, `text`
the numbers as text and `trace_report` the trace as HTML.
"""

from designer.insight.activations import feature_maps, layer_outputs
from designer.insight.boundary import decision_grid, output_levels
from designer.insight.classification import (
    confusion_matrix,
    most_confidently_wrong,
    per_class_accuracy,
    predicted_classes,
    true_classes,
)
from designer.insight.targets import class_names, is_classification
from designer.insight.trace import LayerStep, trace_input

__all__ = [
    "LayerStep",
    "class_names",
    "confusion_matrix",
    "decision_grid",
    "feature_maps",
    "is_classification",
    "layer_outputs",
    "most_confidently_wrong",
    "output_levels",
    "per_class_accuracy",
    "predicted_classes",
    "trace_input",
    "true_classes",
]
