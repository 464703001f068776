"""The Weights dock: the weight inspector and model insight, one tab per module.

`panel.WeightsPanel` holds the tabs: `weights_tab` (read, edit and paste a layer's
arrays, drawn by `array_page`, `array_model`, `heatmap`, `paste`), `trace_tab`,
`predict_tab`, `boundary_tab`, `results_tab` and `activations_tab` (inputs chosen with
`input_picker`). The numbers they show come from `designer.insight` (no Qt).
"""

from designer.ui.insight.panel import WeightsPanel

__all__ = ["WeightsPanel"]
