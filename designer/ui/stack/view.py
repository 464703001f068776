"""The stack view: a Sequential design as a list of layers, edited by drag and drop.

It mirrors `document.stack_order()` (rows drawn by `rows`, list in `layer_list`)
and sends intents only: drop a palette layer between rows (`insert_in_stack`), drag a
row to reorder (`move_in_stack`), Delete / Ctrl+D / Alt+Up/Down / the context menu
(`remove_layers`, `duplicate_layer`, `move_in_stack`). Selection is shared with the
other views through `document.selection`. A branching design is not a stack: the view
then says so and offers the graph view instead.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStackedLayout, QVBoxLayout, QWidget

from designer.spec.design import DesignError
from designer.spec.params import ParamError
from designer.ui.document import Document
from designer.ui.icons import layer_icon
from designer.ui.stack.layer_list import EMPTY_HINT, StackList
from designer.ui.stack.rows import PARAMS_ROLE, SHAPE_ROLE, Columns, StackModel, error_color

__all__ = ["BRANCH_MESSAGE", "EMPTY_HINT", "StackList", "StackView"]

BRANCH_MESSAGE = "This design branches (Functional API), so it is edited in the graph view."


class StackView(QWidget):
    """The Sequential editor: the chain as rows, or a note that the design branches."""

    graph_view_requested = Signal()
    message_posted = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("stackView")
        self.setAccessibleName("Stack view")
        self._syncing = False

        self.model = StackModel(document, self)
        self.list_view = StackList(self.model, self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("stackMessage")
        self.message_label.setWordWrap(True)
        red = error_color(self.palette())
        rgb = f"{red.red()}, {red.green()}, {red.blue()}"
        self.message_label.setStyleSheet(
            f"QLabel {{ color: rgb({rgb}); background: rgba({rgb}, 24);"
            f" border: 1px solid rgba({rgb}, 90); border-radius: 4px; padding: 4px 8px;"
            f" margin: 0px {Columns.margin}px; }}"
        )
        self.message_label.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(6000)
        self._message_timer.timeout.connect(self.message_label.hide)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("stackSummary")
        self.summary_label.setAccessibleName("Parameter summary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)

        rows_page = QWidget(self)
        rows_layout = QVBoxLayout(rows_page)
        rows_layout.setSpacing(6)
        rows_layout.addWidget(self.list_view, 1)
        rows_layout.addWidget(self.message_label)
        rows_layout.addWidget(self.summary_label)
        summary_margin = self.list_view.columns.margin + 2
        rows_layout.setContentsMargins(0, 0, 0, 4)
        self.summary_label.setContentsMargins(summary_margin, 0, summary_margin, 0)

        self.branch_page = self._make_branch_page()
        self.pages = QStackedLayout(self)
        self.pages.addWidget(rows_page)
        self.pages.addWidget(self.branch_page)

        self.list_view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.list_view.remove_requested.connect(self.remove_selected)
        self.list_view.duplicate_requested.connect(self.duplicate_current)
        self.list_view.move_requested.connect(self.move_current)
        self.list_view.type_dropped.connect(self.insert_type)
        self.list_view.row_dropped.connect(self.move_row)
        document.design_reset.connect(self._on_design_reset)
        for signal in (
            document.node_added,
            document.node_removed,
            document.edge_added,
            document.edge_removed,
        ):
            signal.connect(self._on_structure_changed)
        document.node_changed.connect(self._on_node_changed)
        document.build_changed.connect(self._on_build_changed)
        document.selection.changed.connect(self._on_document_selection)
        document.locked_changed.connect(self._on_locked_changed)
        self.model.build = document.build_result
        self.refresh()

    def _make_branch_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("stackBranchPage")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        icon = QLabel(page)
        icon.setPixmap(layer_icon("Concatenate").pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.branch_label = QLabel(BRANCH_MESSAGE, page)
        self.branch_label.setObjectName("stackBranchMessage")
        self.branch_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.branch_label.setWordWrap(True)
        self.graph_button = QPushButton("Open Graph View", page)
        self.graph_button.setObjectName("openGraphViewButton")
        self.graph_button.setAccessibleName("Open graph view")
        self.graph_button.clicked.connect(self.graph_view_requested.emit)
        layout.addWidget(icon)
        layout.addSpacing(8)
        layout.addWidget(self.branch_label)
        layout.addSpacing(8)
        layout.addWidget(self.graph_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        layout.setContentsMargins(32, 16, 32, 16)
        return page

    # -- what a user sees ------------------------------------------------------------------
    def is_branching(self) -> bool:
        return self.pages.currentWidget() is self.branch_page

    def row_texts(self, row: int) -> tuple[str, str, str]:
        """The title, output shape and parameter count drawn on a row."""
        index = self.model.index(row)
        return index.data(), index.data(SHAPE_ROLE), index.data(PARAMS_ROLE)

    # -- following the document ------------------------------------------------------------
    def refresh(self) -> None:
        """Match the rows to the document's chain, keeping selection and scroll position."""
        order = self.document.stack_order()
        self.pages.setCurrentWidget(self.branch_page if order is None else self.pages.widget(0))
        if order is None:
            order = []
        scroll = self.list_view.verticalScrollBar().value()
        if self.model.set_order(order):
            self.list_view.update_empty_state()
            self.list_view.doItemsLayout()
            self.list_view.verticalScrollBar().setValue(scroll)
            self._on_document_selection(self.document.selection.ids, scroll_to=False)
        self._update_columns()
        self._update_summary()

    def _on_design_reset(self) -> None:
        self.model.build = None
        self.refresh()

    def _on_structure_changed(self, _id: str) -> None:
        self.refresh()

    def _on_node_changed(self, node_id: str) -> None:
        self.model.refresh_data(node_id)

    def _on_build_changed(self) -> None:
        self.model.build = self.document.build_result
        self.refresh()
        self.model.refresh_data()
        self.list_view.doItemsLayout()  # issue lines change row heights

    def _update_columns(self) -> None:
        if self.list_view.columns.fit(self.model, self.list_view.font()):
            self.list_view.viewport().update()
            self.list_view.header.update()

    def _update_summary(self) -> None:
        build = self.model.build
        if not self.model.order:
            self.summary_label.setText("")
            self.summary_label.hide()
            return
        self.summary_label.show()
        layers = {}
        for node_id in self.model.order:
            info = build.nodes.get(node_id) if build is not None else None
            if info is not None and info.layer is not None:
                layers[id(info.layer)] = info.layer
        trainable = sum(w.value.size for layer in layers.values() for w in layer.trainable_weights)
        frozen = sum(w.value.size for layer in layers.values() for w in layer.non_trainable_weights)
        problems = len(build.issues) if build is not None else 0
        if problems:
            noun = "problem" if problems == 1 else "problems"
            text = (
                f"<span style='color:{error_color(self.palette()).name()}'>"
                f"<b>{problems} {noun}</b>:"
                " the model cannot be built yet, so its size is unknown.</span>"
            )
        else:
            text = (
                f"Total params:&nbsp;<b>{trainable + frozen:,}</b> &nbsp;·&nbsp; "
                f"Trainable:&nbsp;{trainable:,} &nbsp;·&nbsp; Non‑trainable:&nbsp;{frozen:,}"
            )
        self.summary_label.setText(text)

    def _on_locked_changed(self, locked: bool) -> None:
        self.list_view.setAcceptDrops(not locked)
        self.list_view.setDragEnabled(not locked)

    # -- selection -------------------------------------------------------------------------
    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        rows = sorted(i.row() for i in self.list_view.selectionModel().selectedRows())
        ids = [self.model.order[r] for r in rows]
        current = self.list_view.currentIndex()
        if current.isValid() and current.row() in rows:
            ids.remove(self.model.order[current.row()])
            ids.append(self.model.order[current.row()])
        self._syncing = True
        try:
            self.document.selection.set(ids)
        finally:
            self._syncing = False

    def _on_document_selection(self, ids: list[str], scroll_to: bool = True) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = QItemSelection()
            for node_id in ids:
                row = self.model.row_of(node_id)
                if row >= 0:
                    selection.select(self.model.index(row), self.model.index(row))
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            self.list_view.selectionModel().select(selection, flags)
            rows = [self.model.row_of(n) for n in ids if self.model.row_of(n) >= 0]
            if rows:
                current = self.model.index(rows[-1])
                self.list_view.selectionModel().setCurrentIndex(
                    current, QItemSelectionModel.SelectionFlag.NoUpdate
                )
                if scroll_to:
                    self.list_view.scrollTo(current)
        finally:
            self._syncing = False

    # -- intents ---------------------------------------------------------------------------
    def _run(self, action, *args):
        try:
            return action(*args)
        except (DesignError, ParamError) as error:
            self.post_message(str(error))
            return None

    def post_message(self, message: str) -> None:
        """Say why an edit was refused, in a small banner that fades after a while."""
        self.message_label.setText(message)
        self.message_label.show()
        self._message_timer.start()
        self.message_posted.emit(message)

    def insert_type(self, type_name: str, index: int) -> str | None:
        if type_name == "Input" and self.model.order:
            self.post_message("A stack has one Input, at the top.")
            return None
        node_id = self._run(self.document.insert_in_stack, type_name, index)
        if node_id is not None:
            self.document.selection.set([node_id])
        return node_id

    def move_row(self, node_id: str, gap: int) -> None:
        """Move a layer into the gap `gap` of the current order (rows dragged to reorder)."""
        order = self.model.order
        current = order.index(node_id)
        target = gap if gap <= current else gap - 1
        self._run(self.document.move_in_stack, node_id, target)
        self.document.selection.set([node_id])

    def selected_ids(self) -> list[str]:
        return self.document.selection.ids

    def remove_selected(self) -> None:
        ids = [n for n in self.selected_ids() if n in self.model.order]
        if ids:
            self._run(self.document.remove_layers, ids)

    def duplicate_current(self) -> None:
        node_id = self.document.selection.current
        if node_id not in self.model.order:
            return
        if self.model.row_of(node_id) == 0:
            self.post_message("A stack has one Input; it cannot be duplicated.")
            return
        copy = self._run(self.document.duplicate_layer, node_id)
        if copy is not None:
            self.document.selection.set([copy])

    def move_current(self, step: int) -> None:
        node_id = self.document.selection.current
        row = self.model.row_of(node_id) if node_id else -1
        if row <= 0:
            return
        target = row + step
        if 1 <= target < len(self.model.order):
            self._run(self.document.move_in_stack, node_id, target)
            self.document.selection.set([node_id])
