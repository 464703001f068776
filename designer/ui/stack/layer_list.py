"""The list under the stack view: layer rows with drag and drop, keys and a context menu.

It changes nothing itself: drops, key presses and menu choices become signals that
`StackView` turns into document intents. A drop indicator line shows the gap a drop
would go into; row drags carry the node id as STACK_ROW mime data.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QMenu, QWidget

from designer.ui.icons import drag_pixmap
from designer.ui.mime import STACK_ROW, layer_type_from
from designer.ui.stack.rows import (
    NODE_ID_ROLE,
    TYPE_ROLE,
    Columns,
    RowDelegate,
    StackModel,
    header_font,
    mix,
    round_pen,
)

EMPTY_HINT = "Drag layers here from the palette, or double-click them."


class _ColumnHeader(QWidget):
    """'Layer · Output shape · Params' above the rows, on the same columns."""

    def __init__(self, columns: Columns, parent: QWidget) -> None:
        super().__init__(parent)
        self.columns = columns
        self.setObjectName("stackHeader")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setFont(header_font(self.font()))
        color = self.palette().color(QPalette.ColorRole.Text)
        color.setAlphaF(0.6)
        painter.setPen(color)
        card = self.columns.card(self.rect())
        _, title, shape, params = self.columns.cells(card, self.fontMetrics().height())
        bottom = Qt.AlignmentFlag.AlignBottom
        for cell, text, side in (
            (title, "Layer", Qt.AlignmentFlag.AlignLeft),
            (shape, "Output shape", Qt.AlignmentFlag.AlignLeft),
            (params, "Params", Qt.AlignmentFlag.AlignRight),
        ):
            area = QRect(cell.left(), 0, cell.width(), self.height() - 3)
            painter.drawText(area, bottom | side, text)
        painter.end()


class StackList(QListView):
    """The rows, with drops from the palette, row drags, keys and a context menu."""

    remove_requested = Signal()
    duplicate_requested = Signal()
    move_requested = Signal(int)  # -1 up, +1 down
    type_dropped = Signal(str, int)  # a palette layer type, dropped into gap n
    row_dropped = Signal(str, int)  # a row (node id), dropped into gap n

    def __init__(self, model: StackModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stackList")
        self.setAccessibleName("Layers of the stack")
        self.columns = Columns()
        self.setModel(model)
        self.setItemDelegate(RowDelegate(self.columns, self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setMouseTracking(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)  # we draw our own line between rows
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.drop_index: int | None = None  # where a drop would go, while dragging

        self.header = _ColumnHeader(self.columns, self)
        self._header_height = self.fontMetrics().height() + 12
        self.setViewportMargins(0, self._header_height, 0, 0)
        self.hint_label = QLabel(self.viewport())
        self.hint_label.setObjectName("stackEmptyHint")
        self.hint_label.setTextFormat(Qt.TextFormat.RichText)
        palette = self.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        muted = mix(text, base, 0.45).name()
        self.hint_label.setText(
            f"<p style='font-size:large'><b>No layers yet</b></p>"
            f"<p style='color:{muted}'>{EMPTY_HINT}</p>"
        )
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint_label.setWordWrap(True)
        self.hint_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.update_empty_state()

    def stack_model(self) -> StackModel:
        return self.model()  # type: ignore[return-value]

    def update_empty_state(self) -> None:
        empty = self.model().rowCount() == 0
        self.hint_label.setVisible(empty)
        self.header.setVisible(not empty)
        self.setViewportMargins(0, 0 if empty else self._header_height, 0, 0)
        self._place_overlays()

    def _place_overlays(self) -> None:
        viewport = self.viewport().geometry()
        self.header.setGeometry(
            viewport.left(), self.frameWidth(), viewport.width(), self._header_height
        )
        self.hint_label.setGeometry(self.viewport().rect().adjusted(40, 0, -40, 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    # -- keys and menu ---------------------------------------------------------------------
    def _command_for(self, event: QKeyEvent) -> str | None:
        key, mods = event.key(), event.modifiers()
        if (
            key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and not mods & ~Qt.KeyboardModifier.KeypadModifier
        ):
            return "delete"
        if key == Qt.Key.Key_D and mods == Qt.KeyboardModifier.ControlModifier:
            return "duplicate"
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods == Qt.KeyboardModifier.AltModifier:
            return "up" if key == Qt.Key.Key_Up else "down"
        return None

    def event(self, event: QEvent) -> bool:
        # Our keys win over window-wide shortcuts while the list has focus.
        if event.type() == QEvent.Type.ShortcutOverride and self._command_for(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        command = self._command_for(event)
        if command == "delete":
            self.remove_requested.emit()
        elif command == "duplicate":
            self.duplicate_requested.emit()
        elif command in ("up", "down"):
            self.move_requested.emit(-1 if command == "up" else 1)
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        menu = QMenu(self)
        menu.setObjectName("stackContextMenu")
        for text, shortcut, signal, enabled in (
            ("Duplicate", "Ctrl+D", self.duplicate_requested, index.row() > 0),
            ("Delete", "Del", self.remove_requested, True),
            (None, None, None, None),
            ("Move Up", "Alt+Up", None, index.row() > 1),
            ("Move Down", "Alt+Down", None, 0 < index.row() < self.model().rowCount() - 1),
        ):
            if text is None:
                menu.addSeparator()
                continue
            action = QAction(text, menu)
            action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(bool(enabled))
            if signal is not None:
                action.triggered.connect(signal.emit)
            else:
                step = -1 if text == "Move Up" else 1
                action.triggered.connect(lambda _=False, s=step: self.move_requested.emit(s))
            menu.addAction(action)
        menu.popup(event.globalPos())

    # -- dragging rows ---------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [STACK_ROW]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData | None:
        """A row drag's payload: the node id of the first row that can move (not the Input)."""
        for index in indexes:
            if index.isValid() and index.row() > 0:
                mime = QMimeData()
                mime.setData(STACK_ROW, str(index.data(NODE_ID_ROLE)).encode())
                mime.setText(index.data())
                return mime
        return None

    def startDrag(self, supported_actions: Qt.DropAction) -> None:
        index = self.currentIndex()
        mime = self.mimeData([index])
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        pixmap = drag_pixmap(index.data(TYPE_ROLE), index.data(), self.font(), self.palette())
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(16, int(pixmap.deviceIndependentSize().height() / 2)))
        drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)
        self._set_drop_index(None)

    # -- drops -----------------------------------------------------------------------------
    def gap_at(self, pos: QPoint) -> int:
        """The gap between rows nearest `pos`: 0 above the first row, n below the last.

        Nothing goes above the Input, so a non-empty stack answers at least 1.
        """
        count = self.model().rowCount()
        if count == 0:
            return 0
        for row in range(count):
            rect = self.visualRect(self.model().index(row, 0))
            if pos.y() < rect.center().y():
                return max(1, row)
        return count

    def _payload(self, event: QDropEvent) -> tuple[str, str] | None:
        mime = event.mimeData()
        if mime.hasFormat(STACK_ROW):
            node_id = bytes(mime.data(STACK_ROW)).decode()
            if node_id in self.stack_model().order[1:]:
                return "row", node_id
            return None
        type_name = layer_type_from(mime)
        if type_name is None:
            return None
        return "type", type_name

    def _useful_gap(self, kind: str, value: str, gap: int) -> int | None:
        """The gap if dropping there changes something, else None (no indicator)."""
        order = self.stack_model().order
        if kind == "row":
            current = order.index(value)
            return None if gap in (current, current + 1) else gap
        if value == "Input" and order:
            return None
        return gap

    def _accept(self, event: QDropEvent) -> tuple[str, str, int | None] | None:
        payload = self._payload(event)
        if payload is None:
            event.ignore()
            return None
        kind, value = payload
        action = Qt.DropAction.MoveAction if kind == "row" else Qt.DropAction.CopyAction
        event.setDropAction(action)
        event.accept()
        gap = self._useful_gap(kind, value, self.gap_at(event.position().toPoint()))
        return kind, value, gap

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accepted = self._accept(event)
        self._set_drop_index(accepted[2] if accepted else None)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accepted = self._accept(event)
        self._set_drop_index(accepted[2] if accepted else None)

    def dragLeaveEvent(self, event: QEvent) -> None:
        self._set_drop_index(None)

    def dropEvent(self, event: QDropEvent) -> None:
        accepted = self._accept(event)
        self._set_drop_index(None)
        if accepted is None:
            return
        kind, value, gap = accepted
        if kind == "row":
            if gap is not None:
                self.row_dropped.emit(value, gap)
        else:
            self.type_dropped.emit(value, self.gap_at(event.position().toPoint()))

    def _set_drop_index(self, index: int | None) -> None:
        if index != self.drop_index:
            self.drop_index = index
            self.viewport().update()

    def drop_line_y(self, gap: int) -> int:
        count = self.model().rowCount()
        if count == 0:
            return self.viewport().height() // 2
        if gap < count:
            return self.visualRect(self.model().index(gap, 0)).top()
        return self.visualRect(self.model().index(count - 1, 0)).bottom() + 1

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        if self.model().rowCount() == 0:
            zone = self.viewport().rect().adjusted(16, 16, -16, -16)
            color = QColor(self.palette().color(QPalette.ColorRole.Text))
            color.setAlphaF(0.25)
            if self.drop_index is not None:
                color = highlight
            pen = QPen(color, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRoundedRect(zone, 10, 10)
        elif self.drop_index is not None:
            y = self.drop_line_y(self.drop_index)
            left = self.columns.margin
            right = self.viewport().width() - self.columns.margin
            painter.setPen(round_pen(highlight, 2.5))
            painter.drawLine(QPointF(left + 8, y), QPointF(right, y))
            painter.setBrush(highlight)
            painter.drawEllipse(QPointF(left + 4, y), 4, 4)
        painter.end()
