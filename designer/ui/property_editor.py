"""The selected layer's settings, each with a fitting widget, every change undoable.

Fields come from the layer's parameter specs (`ParamField`): what was typed stays in the
field; a value that cannot be used is marked with the reason and never becomes an edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from designer.engine.models.summary import format_shape as describe_shape
from designer.spec import DesignError, ParamError
from designer.spec.catalog import catalog
from designer.ui.document import Document
from designer.ui.empty_state import EmptyState
from designer.ui.param_widgets import FieldGroup, ParamField


class PropertyEditor(QScrollArea):
    """Edits `document.selection.current`; shows its shape, parameters and problems."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("propertyEditor")
        self.setAccessibleName("Property editor")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.fields: dict[str, ParamField] = {}
        self.field_group = FieldGroup(self)
        self.field_group.validity_changed.connect(self._on_field_problem)
        self.node_id: str | None = None
        self._empty = EmptyState("Nothing selected", "Select a layer to edit its settings.")
        self.setWidget(self._empty)
        document.selection.changed.connect(self._on_selection)
        document.node_changed.connect(self._on_node_changed)
        document.node_removed.connect(self._on_node_removed)
        document.build_changed.connect(self._refresh_status)
        document.design_reset.connect(self._on_reset)
        document.locked_changed.connect(self._on_locked)

    # -- which node -----------------------------------------------------------------------
    @Slot(list)
    def _on_selection(self, ids: list) -> None:
        self.show_node(ids[-1] if len(ids) == 1 else None)

    @Slot()
    def _on_reset(self) -> None:
        self.show_node(None)

    @Slot(str)
    def _on_node_removed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self.show_node(None)

    @Slot(str)
    def _on_node_changed(self, node_id: str) -> None:
        if node_id == self.node_id:
            self._show_values()

    @Slot(bool)
    def _on_locked(self, locked: bool) -> None:
        self.widget().setEnabled(not locked)
        if locked:
            self.widget().setToolTip(self.document.locked_reason)

    def show_node(self, node_id: str | None) -> None:
        """Build the form for a node (or the empty state for None)."""
        self.node_id = node_id
        self.fields = {}
        self.field_group.clear()
        if node_id is None or node_id not in self.document.design.nodes:
            self.node_id = None
            self._empty = EmptyState("Nothing selected", "Select a layer to edit its settings.")
            self.setWidget(self._empty)
            return
        node = self.document.design.node(node_id)
        layer_type = catalog()[node.type]
        page = QWidget()
        page.setObjectName("propertyPage")
        layout = QVBoxLayout(page)
        title = QLabel(f"<b>{node.type}</b>")
        title.setObjectName("propertyTitle")
        summary = QLabel(layer_type.summary)
        summary.setWordWrap(True)
        summary.setEnabled(False)
        layout.addWidget(title)
        layout.addWidget(summary)

        basic = QFormLayout()
        basic.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(node.name)
        self.name_edit.setObjectName("layerName")
        self.name_edit.setAccessibleName("Layer name")
        self.name_edit.setPlaceholderText("automatic")
        self.name_edit.editingFinished.connect(self._on_name_edited)
        basic.addRow("Name", self.name_edit)
        advanced = QFormLayout()
        shared = node.shares is not None
        for spec in layer_type.params:
            field = self.field_group.add(ParamField(spec, page))
            field.committed.connect(lambda value, name=spec.name: self._commit(name, value))
            field.widget.setEnabled(not shared)
            self.fields[spec.name] = field
            (advanced if spec.advanced else basic).addRow(spec.label, field.widget)
        layout.addLayout(basic)
        if advanced.rowCount():
            # A disclosure arrow, not a check box group: closed, it leaves no empty frame.
            toggle = QToolButton()
            toggle.setObjectName("advancedSettings")
            toggle.setText("More settings")
            toggle.setCheckable(True)
            toggle.setAutoRaise(True)
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            inner = QWidget()
            inner.setLayout(advanced)
            advanced.setContentsMargins(12, 0, 0, 0)
            inner.setVisible(False)
            toggle.toggled.connect(inner.setVisible)
            toggle.toggled.connect(
                lambda shown, t=toggle: t.setArrowType(
                    Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
                )
            )
            layout.addWidget(toggle)
            layout.addWidget(inner)
        if shared:
            owner = self.document.design.node(node.shares)
            note = QLabel(
                f"Shares its layer and weights with {owner.name or owner.id} "
                f"({owner.type}); edit that layer to change both."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        self.message = QLabel()
        self.message.setObjectName("propertyMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("propertyStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setWidget(page)
        self._show_values()
        self._refresh_status()
        page.setEnabled(not self.document.locked_reason)

    def _show_values(self) -> None:
        node = self.document.design.nodes.get(self.node_id)
        if node is None:
            return
        for name, field in self.fields.items():
            field.show_value(node.params.get(name, field.spec.default))
        if self.name_edit.text() != node.name:
            self.name_edit.setText(node.name)

    # -- edits ----------------------------------------------------------------------------
    def _commit(self, name: str, value) -> None:
        try:
            self.document.set_param(self.node_id, name, value)
        except (ParamError, DesignError) as error:
            self.fields[name].refuse(str(error))  # keeps the typed text, says why
            self._say(str(error), error=True)
        else:
            self._say("")

    @Slot(str)
    def _on_field_problem(self, message: str) -> None:
        self._say(message, error=bool(message))

    @Slot()
    def _on_name_edited(self) -> None:
        name = self.name_edit.text().strip()
        if name and not name.replace("_", "").isalnum():
            self._say("Layer names may contain letters, digits and underscores only.", True)
            return
        try:
            self.document.rename_layer(self.node_id, name)
            self._say("")
        except DesignError as error:
            self._say(str(error), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")

    @Slot()
    def _refresh_status(self) -> None:
        if self.node_id is None or self.node_id not in self.document.design.nodes:
            return
        result = self.document.build_result
        info = result.nodes.get(self.node_id)
        issues = result.issues_for(self.node_id)
        if issues:
            text = "<br>".join(
                f"<span style='color:#b3261e'>⚠ {i.message}</span>"
                + (f"<br><i>{i.hint}</i>" if i.hint else "")
                for i in issues
            )
        elif info is not None and info.output_shape is not None:
            text = (
                f"Output shape: <b>{describe_shape(info.output_shape)}</b><br>"
                f"Parameters: <b>{info.params:,}</b>"
            )
        else:
            text = "<i>Shape unknown until the layers above it are valid.</i>"
        self.status.setText(text)
