"""The Weights dock: Weights · Trace · Predict · Boundary · Results · Activations.

Every tab reads the document (model, weights, data) and refreshes when it changes;
tabs that are not on screen are only marked stale and catch up when shown. While a
run trains and the panel is visible, it asks the controller for weight snapshots and
passes them to the Weights and Boundary tabs.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QWidget

from designer.ui.insight.activations_tab import ActivationsTab
from designer.ui.insight.boundary_tab import BoundaryTab
from designer.ui.insight.predict_tab import PredictTab
from designer.ui.insight.results_tab import ResultsTab
from designer.ui.insight.trace_tab import TraceTab
from designer.ui.insight.weights_tab import WeightsTab


class WeightsPanel(QTabWidget):
    """The weight inspector and model insight, one tab each."""

    def __init__(self, document, controller=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsPanel")
        self.setAccessibleName("Weights and model insight")
        self.setDocumentMode(True)
        self.document = document
        self.controller = controller
        self.weights_tab = WeightsTab(document)
        self.trace_tab = TraceTab(document)
        self.predict_tab = PredictTab(document)
        self.boundary_tab = BoundaryTab(document)
        self.results_tab = ResultsTab(document)
        self.activations_tab = ActivationsTab(document)
        for tab, title, tip in (
            (self.weights_tab, "Weights", "Read, edit and paste a layer's weights"),
            (self.trace_tab, "Trace", "Follow one input through every layer, with the numbers"),
            (self.predict_tab, "Predict", "The model's outputs for inputs or data rows"),
            (self.boundary_tab, "Boundary", "Decision regions of a model with 2 inputs"),
            (self.results_tab, "Results", "Confusion matrix and the worst mistakes"),
            (self.activations_tab, "Activations", "Every layer's output for one input"),
        ):
            index = self.addTab(tab, title)
            self.setTabToolTip(index, tip)
        self.currentChanged.connect(self._on_tab_changed)
        for signal in (
            document.build_changed,
            document.weights_changed,
            document.data_changed,
            document.design_reset,
        ):
            signal.connect(self.refresh)
        document.locked_changed.connect(self._on_locked)
        if controller is not None:
            controller.weights_snapshot.connect(self._on_snapshot)
        self.refresh()
        self._on_locked(bool(document.locked_reason))

    def tabs(self) -> list[QWidget]:
        return [self.widget(i) for i in range(self.count())]

    @Slot()
    def refresh(self) -> None:
        """The document changed: redraw the tab on screen, the others when shown."""
        for tab in self.tabs():
            tab.dirty = True
        self.weights_tab.reapply_frozen()  # a rebuilt model has fresh layers
        current = self.currentWidget()
        if current is not None and self.isVisible():
            current.refresh()

    @Slot(int)
    def _on_tab_changed(self, _index: int) -> None:
        current = self.currentWidget()
        if current is not None and current.dirty:
            current.refresh()

    @Slot(bool)
    def _on_locked(self, locked: bool) -> None:
        self.weights_tab.set_locked(locked)

    @Slot(dict)
    def _on_snapshot(self, weights: dict) -> None:
        """Live weights of a run: cheap updates of what is on screen."""
        current = self.currentWidget()
        if current is self.weights_tab:
            self.weights_tab.show_snapshot(weights)
        elif current is self.boundary_tab:
            self.boundary_tab.show_snapshot(weights)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.controller is not None:
            self.controller.set_live_weights(True)
        current = self.currentWidget()
        if current is not None and current.dirty:
            current.refresh()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        if self.controller is not None:
            self.controller.set_live_weights(False)
