"""The layer palette: every layer type of the catalog, grouped, filterable, draggable.

Drag a type onto the stack or graph view (the drag carries `mime.layer_type_mime`), or
double-click it (Enter works too) to append it: into the stack when the design is one,
as a free layer of the graph otherwise. The palette only sends intents to the document;
an edit the document refuses becomes a message, never an exception.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDrag, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.spec.catalog import LayerType, catalog
from designer.spec.design import DesignError
from designer.spec.params import ParamError
from designer.ui.document import Document
from designer.ui.icons import drag_pixmap, layer_icon, search_icon
from designer.ui.mime import LAYER_TYPE, layer_type_mime

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1  # the layer type name on type items
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2  # lower-cased name + summary, for the filter


def layer_tooltip(layer_type: LayerType) -> str:
    """Rich-text tooltip: name, category, summary and the main settings with defaults."""
    main = [p for p in layer_type.params if not p.advanced][:5]
    lines = [
        f"<b>{html.escape(layer_type.name)}</b>"
        f" <span style='color:#777'>· {html.escape(layer_type.category)}</span>",
        html.escape(layer_type.summary),
    ]
    if main:
        items = "".join(
            f"<li>{html.escape(p.label)}: <i>{html.escape(p.format(p.default) or '—')}</i></li>"
            for p in main
        )
        lines.append(f"<ul style='margin:4px 0 0 -24px'>{items}</ul>")
    hint = "Drag into the design, or double-click to append."
    lines.append(f"<span style='color:#777'>{hint}</span>")
    return "<p style='white-space:pre-wrap'>" + "<br>".join(lines[:2]) + "</p>" + "".join(lines[2:])


class _GroupDelegate(QStyledItemDelegate):
    """Draws group rows as quiet section headers: muted bold text and a hairline."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.data(TYPE_ROLE):
            super().paint(painter, option, index)
            return
        painter.save()
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.92)
        painter.setFont(font)
        color = option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        color.setAlphaF(0.62)
        painter.setPen(color)
        rect = option.rect.adjusted(6, 0, -6, -3)
        metrics = QFontMetrics(font)
        text = metrics.elidedText(index.data(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)
        tree = self.parent()
        above = range(index.row())
        if any(not tree.isRowHidden(r, QModelIndex()) for r in above):
            line = QColor(color)
            line.setAlphaF(0.18)
            painter.setPen(line)
            painter.drawLine(
                rect.left(), option.rect.top() + 4, rect.right(), option.rect.top() + 4
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(TYPE_ROLE):
            return QSize(size.width(), max(size.height(), 26))
        return QSize(size.width(), option.fontMetrics.height() + 14)


class PaletteTree(QTreeWidget):
    """The grouped tree of layer types; a drag carries the type as LAYER_TYPE mime data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paletteTree")
        self.setAccessibleName("Layer types")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIconSize(QSize(20, 20))
        self.setIndentation(12)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setExpandsOnDoubleClick(False)
        self.setItemDelegate(_GroupDelegate(self))
        self.setUniformRowHeights(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setMouseTracking(True)

    def type_of(self, item: QTreeWidgetItem | None) -> str | None:
        return None if item is None else item.data(0, TYPE_ROLE)

    # -- drag ------------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [LAYER_TYPE]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData | None:
        for item in items:
            type_name = self.type_of(item)
            if type_name:
                return layer_type_mime(type_name)
        return None

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        item = self.currentItem()
        type_name = self.type_of(item)
        if not type_name:
            return
        drag = QDrag(self)
        drag.setMimeData(layer_type_mime(type_name))
        pixmap = drag_pixmap(type_name, type_name, self.font(), self.palette())
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(16, int(pixmap.deviceIndependentSize().height() / 2)))
        drag.exec(Qt.DropAction.CopyAction, Qt.DropAction.CopyAction)


class _FilterEdit(QLineEdit):
    """The filter box: Down moves into the list, Escape clears."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
        elif event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class PaletteWidget(QWidget):
    """Filter box over the grouped layer types; appends or drags layers into the design."""

    layer_activated = Signal(str)  # a type was double-clicked or chosen with Enter
    message_posted = Signal(str)  # an edit the document refused, in words

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("palette")
        self.setAccessibleName("Layer palette")

        self.filter_edit = _FilterEdit(self)
        self.filter_edit.setObjectName("paletteFilter")
        self.filter_edit.setAccessibleName("Filter layers")
        self.filter_edit.setPlaceholderText("Filter layers…")
        self.filter_edit.setClearButtonEnabled(True)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self.filter_edit.addAction(search_icon(muted), QLineEdit.ActionPosition.LeadingPosition)
        self.tree = PaletteTree(self)
        # Shown inside the list when the filter hides everything.
        self.no_match_label = QLabel(self.tree.viewport())
        self.no_match_label.setObjectName("paletteNoMatch")
        self.no_match_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match_label.setWordWrap(True)
        self.no_match_label.setEnabled(False)  # muted text
        self.no_match_label.hide()
        overlay = QVBoxLayout(self.tree.viewport())
        overlay.setContentsMargins(12, 24, 12, 12)
        overlay.addWidget(self.no_match_label, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)

        self._populate()
        self.filter_edit.textChanged.connect(self.set_filter)
        self.filter_edit.returnPressed.connect(self._activate_first_match)
        self.filter_edit.down_pressed.connect(self._focus_first_match)
        self.tree.itemActivated.connect(self._on_item_activated)

    # -- content ---------------------------------------------------------------------------
    def _populate(self) -> None:
        self.tree.clear()
        for category, types in catalog().by_category().items():
            group = QTreeWidgetItem(self.tree, [category])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setToolTip(0, category)
            group.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{category} layers")
            for layer_type in types:
                item = QTreeWidgetItem(group, [layer_type.name])
                item.setIcon(0, layer_icon(layer_type.name))
                item.setToolTip(0, layer_tooltip(layer_type))
                item.setStatusTip(0, layer_type.summary)
                item.setData(0, TYPE_ROLE, layer_type.name)
                item.setData(0, SEARCH_ROLE, f"{layer_type.name}\n{layer_type.summary}".lower())
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleDescriptionRole,
                    f"{layer_type.category} layer. {layer_type.summary}",
                )
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsDragEnabled
                )
        self.tree.expandAll()

    def type_items(self) -> list[QTreeWidgetItem]:
        """Every layer-type item, in palette order (hidden ones included)."""
        items = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            items.extend(group.child(i) for i in range(group.childCount()))
        return items

    def item_for_type(self, type_name: str) -> QTreeWidgetItem | None:
        return next((i for i in self.type_items() if self.tree.type_of(i) == type_name), None)

    def visible_types(self) -> list[str]:
        """The type names a user can see right now (the filter applied)."""
        return [
            self.tree.type_of(i)
            for i in self.type_items()
            if not i.isHidden() and not i.parent().isHidden()
        ]

    # -- filter ----------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Show only types whose name or summary contains `text` (any case)."""
        if self.filter_edit.text() != text:
            self.filter_edit.setText(text)  # comes back here through textChanged
            return
        needle = text.strip().lower()
        any_visible = False
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            visible = 0
            for i in range(group.childCount()):
                child = group.child(i)
                match = needle in child.data(0, SEARCH_ROLE)
                child.setHidden(not match)
                visible += match
            group.setHidden(visible == 0)
            any_visible = any_visible or visible > 0
        if needle:
            self.tree.expandAll()
        current = self.tree.currentItem()
        if current is not None and (current.isHidden() or current.parent().isHidden()):
            self.tree.setCurrentItem(None)
        self.no_match_label.setText(f"No layer matches “{text.strip()}”.")
        self.no_match_label.setVisible(not any_visible)

    def _first_match(self) -> QTreeWidgetItem | None:
        current = self.tree.currentItem()
        if self.tree.type_of(current) and not current.isHidden():
            return current
        return next(
            (i for i in self.type_items() if not i.isHidden() and not i.parent().isHidden()),
            None,
        )

    def _focus_first_match(self) -> None:
        item = self._first_match()
        if item is not None:
            self.tree.setCurrentItem(item)
        self.tree.setFocus()

    def _activate_first_match(self) -> None:
        item = self._first_match()
        if item is not None:
            self.tree.setCurrentItem(item)
            self.activate(self.tree.type_of(item))

    # -- appending -------------------------------------------------------------------------
    def _on_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        type_name = self.tree.type_of(item)
        if type_name:
            self.activate(type_name)

    def activate(self, type_name: str) -> str | None:
        """Append a layer of `type_name` to the design; returns its id (None if refused)."""
        self.layer_activated.emit(type_name)
        document = self.document
        try:
            order = document.stack_order()
            if order is not None:
                if type_name == "Input" and order:
                    raise DesignError("A stack has one Input, at the top.")
                node_id = document.insert_in_stack(type_name)
            else:
                node_id = document.add_layer(type_name)
        except (DesignError, ParamError) as error:
            self._post(str(error), type_name)
            return None
        document.selection.set([node_id])
        return node_id

    def _post(self, message: str, type_name: str | None = None) -> None:
        self.message_posted.emit(message)
        item = self.item_for_type(type_name) if type_name else None
        if item is not None and self.isVisible():
            rect = self.tree.visualItemRect(item)
            QToolTip.showText(
                self.tree.viewport().mapToGlobal(rect.bottomLeft()), message, self.tree
            )
