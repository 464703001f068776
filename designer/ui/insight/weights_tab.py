"""The Weights tab: pick a layer, read and edit its arrays, apply them as one undoable edit.

Edits stay pending (yellow) in the tables until Apply, which calls
`document.edit_weights` (undoable, checked); Revert drops them. While a run trains, the
arrays show live snapshots and editing waits; pending edits are kept for later.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from designer.insight.model import current_model, node_label, weight_nodes
from designer.insight.text import shape_text
from designer.ui.insight.array_page import ArrayPage
from designer.ui.insight.style import MESSAGE_COLORS, MessageLabel, guarded

WIDE_WIDTH = 760  # below this the buttons go on their own row
LIVE_TEXT = "Training is running: live values; editing waits for it to stop."


class WeightsTab(QWidget):
    """A layer's weight arrays as tables, heatmaps and histograms."""

    def __init__(self, document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsTab")
        self.setAccessibleName("Weights")
        self.document = document
        self.dirty = True
        self._pages: dict[str, list[ArrayPage]] = {}  # node id -> its arrays' pages
        self._tabs: dict[str, QTabWidget] = {}
        self._frozen: set[str] = set()  # node ids frozen here (engine layer only)

        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("weightsLayerCombo")
        self.layer_combo.setAccessibleName("Layer")
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_combo.currentIndexChanged.connect(self._on_layer_chosen)
        self.trainable_check = QCheckBox("Trainable")
        self.trainable_check.setObjectName("trainableCheck")
        self.trainable_check.setAccessibleName("Trainable")
        self.trainable_check.setToolTip(
            "Untick to freeze this layer: fit() leaves its weights alone."
        )
        self.trainable_check.toggled.connect(self._on_trainable)
        self.apply_button = self._button(
            "Apply", "applyWeightsButton", self.apply, "Use the edited values (one undoable edit)"
        )
        self.revert_button = self._button(
            "Revert", "revertWeightsButton", self.revert, "Drop the edits that were not applied"
        )
        self.reinit_button = self._button(
            "Re-initialise layer",
            "reinitLayerButton",
            self.reinitialise,
            "Fresh initial weights for this layer (undoable)",
        )
        self.apply_button.setDefault(True)
        # Pending edits, or the run that is going: in the button row, so a run starting
        # or ending never re-lays out the plots (costly while the worker holds the GIL).
        self.status_label = QLabel()
        self.status_label.setObjectName("weightsStatus")
        self.status_label.setAccessibleName("Weights status")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        first = QHBoxLayout()
        first.addWidget(QLabel("Layer"))
        first.addWidget(self.layer_combo, 1)
        first.addWidget(self.trainable_check)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.apply_button, self.revert_button, self.reinit_button):
            buttons.addWidget(button)
        self.second = second = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        second.addWidget(self.status_label, 1)
        second.addLayout(buttons)
        self.bar = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.bar.setSpacing(4)
        self.bar.addLayout(first, 2)
        self.bar.addLayout(second, 3)

        self.stack = QStackedWidget()
        self.stack.setObjectName("weightArrays")
        self.stack.setAccessibleName("Weight arrays")
        self.empty = QLabel("No layer with weights.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        self.stack.addWidget(self.empty)
        self.message = MessageLabel("weightsMessage")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(self.bar)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        self._update_buttons()

    def _button(self, text: str, name: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    # -- state ---------------------------------------------------------------------------------
    @property
    def node_id(self) -> str | None:
        return self.layer_combo.currentData()

    def pages(self) -> list[ArrayPage]:
        return self._pages.get(self.node_id or "", [])

    def page(self, name: str) -> ArrayPage | None:
        return next((p for p in self.pages() if p.name == name), None)

    def pending_count(self) -> int:
        return sum(p.model.pending_count() for p in self.pages())

    @property
    def locked(self) -> bool:
        return bool(self.document.locked_reason)

    # -- refresh --------------------------------------------------------------------------------
    @guarded
    def refresh(self) -> None:
        """Re-read the layers and their weights from the document."""
        self.dirty = False
        model, problem = current_model(self.document)
        nodes = [] if model is None else weight_nodes(self.document)
        keep = self.node_id
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for node_id in nodes:
            shapes = ", ".join(shape_text(a.shape) for a in self.document.weights[node_id])
            self.layer_combo.addItem(f"{node_label(self.document, node_id)}  ({shapes})", node_id)
        index = self.layer_combo.findData(keep)
        self.layer_combo.setCurrentIndex(max(index, 0) if nodes else -1)
        self.layer_combo.blockSignals(False)
        for gone in set(self._pages) - set(nodes):
            self._drop_pages(gone)
        self.reapply_frozen()
        if not nodes:
            self.empty.setText(problem or "This design has no layer with weights.")
            self.stack.setCurrentWidget(self.empty)
            self._update_buttons()
            return
        self._show_layer(self.node_id)

    def _drop_pages(self, node_id: str) -> None:
        tabs = self._tabs.pop(node_id, None)
        self._pages.pop(node_id, None)
        if tabs is not None:
            self.stack.removeWidget(tabs)
            tabs.deleteLater()

    def _show_layer(self, node_id: str | None, arrays: list | None = None) -> None:
        if node_id is None:
            return
        layer = self.document.build_result.nodes[node_id].layer
        names = [w.name for w in layer.weights]
        arrays = self.document.weights[node_id] if arrays is None else arrays
        pages = self._pages.get(node_id)
        if pages is None or [(p.name, p.model.shape) for p in pages] != [
            (n, a.shape) for n, a in zip(names, arrays, strict=False)
        ]:
            self._drop_pages(node_id)
            pages = self._make_pages(node_id, names, arrays)
        else:
            for page, array in zip(pages, arrays, strict=True):
                page.set_array(array)
        self.stack.setCurrentWidget(self._tabs[node_id])
        blocked = self.trainable_check.blockSignals(True)
        self.trainable_check.setChecked(bool(layer.trainable))
        self.trainable_check.blockSignals(blocked)
        self._update_buttons()

    def _make_pages(self, node_id: str, names: list[str], arrays: list) -> list[ArrayPage]:
        tabs = QTabWidget()
        tabs.setObjectName("weightArrayTabs")
        tabs.setAccessibleName("Weight arrays of the layer")
        tabs.setDocumentMode(True)
        pages = []
        for name, array in zip(names, arrays, strict=True):
            page = ArrayPage(name, array)
            page.message.connect(self.show_message)
            page.pending_changed.connect(self._update_buttons)
            page.set_editable(not self.locked)
            tabs.addTab(page, f"{name}  {shape_text(array.shape)}")
            pages.append(page)
        self._pages[node_id] = pages
        self._tabs[node_id] = tabs
        self.stack.addWidget(tabs)
        return pages

    @guarded
    def show_snapshot(self, weights: dict) -> None:
        """Live values from a training run, for the layer on screen (cheap updates only)."""
        arrays = weights.get(self.node_id or "")
        pages = self.pages()
        if arrays is None or len(arrays) != len(pages):
            return
        for page, array in zip(pages, arrays, strict=True):
            if page.model.shape == array.shape:
                page.set_array(array)

    @Slot(bool)
    def set_locked(self, locked: bool) -> None:
        for pages in self._pages.values():
            for page in pages:
                page.set_editable(not locked)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        count = self.pending_count()
        has_layer = self.node_id is not None
        locked = self.locked
        self.apply_button.setEnabled(has_layer and count > 0 and not locked)
        self.revert_button.setEnabled(count > 0)
        self.reinit_button.setEnabled(has_layer and not locked)
        self.trainable_check.setEnabled(has_layer and not locked)
        self.layer_combo.setEnabled(has_layer)
        reason = self.document.locked_reason or "Apply the edited values"
        self.apply_button.setToolTip(
            reason if locked else "Use the edited values (one undoable edit)"
        )
        text = f"{count} edited value{'s' if count != 1 else ''} not applied yet" if count else ""
        if locked:
            plural = "s wait" if count != 1 else " waits"
            text = f"Training is running: live values; {count} edit{plural} for it to stop."
            text = text if count else LIVE_TEXT
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        self.status_label.setStyleSheet(f"color: {MESSAGE_COLORS['warn']};" if locked else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        direction = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= WIDE_WIDTH
            else QBoxLayout.Direction.TopToBottom
        )
        if self.bar.direction() != direction:
            self.bar.setDirection(direction)
            self.second.setDirection(direction)  # narrow: the status on its own row
            self.updateGeometry()

    # -- intents ---------------------------------------------------------------------------------
    @Slot(int)
    @guarded
    def _on_layer_chosen(self, _index: int) -> None:
        if self.message.kind in ("ok", "info", "error"):
            self.message.clear_message()
        self._show_layer(self.node_id)

    @Slot()
    @guarded
    def apply(self) -> None:
        node_id, pages = self.node_id, self.pages()
        if node_id is None or not any(p.model.pending_count() for p in pages):
            self.show_message("Nothing to apply: edit a value or paste first.", "info")
            return
        if self.locked:
            self.show_message(LIVE_TEXT, "warn")
            return
        count = self.pending_count()
        arrays = [p.model.merged() for p in pages]
        label = node_label(self.document, node_id).split(" · ")[0]
        self.document.edit_weights(node_id, arrays, f"Edit weights of {label}")
        for page in pages:
            page.model.clear_pending()
        self.show_message(
            f"Applied {count} value{'s' if count != 1 else ''} to {label} (Undo restores them).",
            "ok",
        )

    @Slot()
    @guarded
    def revert(self) -> None:
        for page in self.pages():
            page.model.clear_pending()
        self.show_message("Edits dropped.", "info")

    @Slot()
    @guarded
    def reinitialise(self) -> None:
        if self.node_id is not None:
            self.document.reset_weights([self.node_id])
            self.show_message("Fresh initial weights (Undo brings the old ones back).", "ok")

    @Slot(bool)
    @guarded
    def _on_trainable(self, trainable: bool) -> None:
        node_id = self.node_id
        if node_id is None:
            return
        setter = getattr(self.document, "set_trainable", None)
        if callable(setter):  # a document that keeps it in the design (undoable, saved)
            setter(node_id, trainable)
            return
        (self._frozen.discard if trainable else self._frozen.add)(node_id)
        self.document.build_result.nodes[node_id].layer.trainable = trainable
        self.show_message(
            "Layer unfrozen." if trainable else "Layer frozen: its weights are kept out of fit().",
            "info",
        )

    @guarded
    def reapply_frozen(self) -> None:
        """A rebuilt model gets fresh layers: freeze them again."""
        result = self.document.build_result
        for node_id in list(self._frozen):
            info = result.nodes.get(node_id)
            if info is None or info.layer is None:
                self._frozen.discard(node_id)
            else:
                info.layer.trainable = False
