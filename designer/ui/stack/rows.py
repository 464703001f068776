"""The rows of the stack view: a list model over the chain and the delegate that draws it.

The model reads the design (type, settings) and the last build (output shape, parameter
count, issues) for each node of `document.stack_order()`; it never changes anything.
The delegate draws each layer as a card with its icon, settings and two right-aligned
columns (output shape, parameters), a red marker and a second line for problems, and a
short connector between cards so the stack reads as a pipeline from Input down.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from designer.spec.build import BuildResult
from designer.spec.catalog import catalog
from designer.ui.document import Document
from designer.ui.icons import layer_color, layer_glyph, paint_badge

NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_ROLE = Qt.ItemDataRole.UserRole + 2
SETTINGS_ROLE = Qt.ItemDataRole.UserRole + 3  # "20 · tanh" (and the layer's name, if set)
SHAPE_ROLE = Qt.ItemDataRole.UserRole + 4  # "(None, 20)"; "" when not built
PARAMS_ROLE = Qt.ItemDataRole.UserRole + 5  # "120"; "" when not built
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 6  # the first problem's message, or ""
HINT_ROLE = Qt.ItemDataRole.UserRole + 7  # what to do about it

ERROR_COLOR = QColor("#c62828")


def error_color(palette: QPalette) -> QColor:
    """Red for problems, lighter on dark themes so it stays readable."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ef6b6b") if dark else QColor(ERROR_COLOR)


_ROOT = QModelIndex()
NOT_BUILT = "—"


def format_shape(shape: tuple | None) -> str:
    if shape is None:
        return ""
    return "(" + ", ".join(str(d) for d in shape) + ")"


class StackModel(QAbstractListModel):
    """One row per layer of the chain, top to bottom; data only, for the view to draw."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.order: list[str] = []
        self.build: BuildResult | None = None

    def set_order(self, order: list[str]) -> bool:
        """Show `order`; returns whether the rows changed (a reset) or just their data."""
        if order == self.order:
            self.refresh_data()
            return False
        self.beginResetModel()
        self.order = list(order)
        self.endResetModel()
        return True

    def refresh_data(self, node_id: str | None = None) -> None:
        if not self.order:
            return
        if node_id is None:
            self.dataChanged.emit(self.index(0), self.index(len(self.order) - 1))
        elif node_id in self.order:
            index = self.index(self.order.index(node_id))
            self.dataChanged.emit(index, index)

    def row_of(self, node_id: str) -> int:
        return self.order.index(node_id) if node_id in self.order else -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.order)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() > 0:
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # the Input stays at the top
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid() or index.row() >= len(self.order):
            return None
        node_id = self.order[index.row()]
        node = self.document.design.nodes.get(node_id)
        if node is None:
            return None
        known = node.type in catalog()
        settings = catalog()[node.type].key_settings(node.params) if known else ""
        if node.name:
            settings = f"{settings}  “{node.name}”".strip()
        info = self.build.nodes.get(node_id) if self.build is not None else None
        built = info is not None and info.output_shape is not None
        issues = self.build.issues_for(node_id) if self.build is not None else []
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{node.type} {settings}".strip()
        if role == NODE_ID_ROLE:
            return node_id
        if role == TYPE_ROLE:
            return node.type
        if role == SETTINGS_ROLE:
            return settings
        if role == SHAPE_ROLE:
            return format_shape(info.output_shape) if built else ""
        if role == PARAMS_ROLE:
            return f"{info.params:,}" if built else ""
        if role == ISSUE_ROLE:
            return issues[0].message if issues else ""
        if role == HINT_ROLE:
            return issues[0].hint if issues else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node.type, issues, built)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = f"{node.type} {settings}".strip()
            if built:
                text += f", output {format_shape(info.output_shape)}, {info.params} parameters"
            if issues:
                text += f". Problem: {issues[0].text()}"
            return text
        return None

    def _tooltip(self, type_name: str, issues: list, built: bool) -> str:
        summary = catalog()[type_name].summary if type_name in catalog() else ""
        if issues:
            problems = "".join(
                f"<p><b style='color:{ERROR_COLOR.name()}'>{_esc(i.message)}</b>"
                + (f"<br>{_esc(i.hint)}" if i.hint else "")
                + "</p>"
                for i in issues
            )
            return f"<b>{_esc(type_name)}</b>{problems}"
        if not built and self.build is not None:
            return f"<b>{_esc(type_name)}</b><br>Not built yet: fix the problem above it first."
        return f"<b>{_esc(type_name)}</b><br>{_esc(summary)}"


def _esc(text: str) -> str:
    import html

    return html.escape(text)


def header_font(font: QFont) -> QFont:
    """The font of column headings: bold, a little smaller."""
    heading = QFont(font)
    heading.setBold(True)
    heading.setPointSizeF(font.pointSizeF() * 0.92)
    return heading


@dataclass
class Columns:
    """Widths of the two right-hand columns, shared by the rows and the header."""

    shape: int = 90
    params: int = 60
    margin: int = 8  # between a card and the viewport's edge
    pad: int = 12  # inside a card
    gap: int = 18  # between columns
    icon: int = 24

    def fit(self, model: StackModel, font: QFont) -> bool:
        """Size the columns to the widest text; returns whether they changed."""
        metrics = QFontMetrics(font)
        header = QFontMetrics(header_font(font))
        shapes = [model.data(model.index(r), SHAPE_ROLE) or "" for r in range(model.rowCount())]
        params = [model.data(model.index(r), PARAMS_ROLE) or "" for r in range(model.rowCount())]
        shape = max(
            [header.horizontalAdvance("Output shape")]
            + [metrics.horizontalAdvance(s) for s in shapes]
        )
        count = max(
            [header.horizontalAdvance("Params")] + [metrics.horizontalAdvance(s) for s in params]
        )
        changed = (shape, count) != (self.shape, self.params)
        self.shape, self.params = shape, count
        return changed

    def card(self, rect: QRect) -> QRect:
        return rect.adjusted(self.margin, 4, -self.margin, -4)

    def cells(self, card: QRect, line_height: int) -> tuple[QRect, QRect, QRect, QRect]:
        """Icon, title, shape and params rectangles on a card's first line."""
        top = card.top() + self.pad - 2
        height = max(self.icon, line_height)
        icon = QRect(
            card.left() + self.pad + 2, top + (height - self.icon) // 2, self.icon, self.icon
        )
        params = QRect(card.right() - self.pad - self.params, top, self.params, height)
        shape = QRect(params.left() - self.gap - self.shape, top, self.shape, height)
        title_left = icon.right() + 10
        title = QRect(title_left, top, max(0, shape.left() - self.gap - title_left), height)
        return icon, title, shape, params


class RowDelegate(QStyledItemDelegate):
    """Draws a layer card: icon, 'Dense 20 · tanh', output shape, parameter count."""

    def __init__(self, columns: Columns, parent: QWidget) -> None:
        super().__init__(parent)
        self.columns = columns

    def _issue_lines(
        self, index: QModelIndex, option: QStyleOptionViewItem
    ) -> tuple[str, str, int, int]:
        """The problem and hint texts of a row and the heights they need when wrapped."""
        issue = index.data(ISSUE_ROLE)
        if not issue:
            return "", "", 0, 0
        hint = index.data(HINT_ROLE) or ""
        metrics = QFontMetrics(option.font)
        bounds = QRect(0, 0, self._text_width(option), 10_000)
        flags = Qt.TextFlag.TextWordWrap
        issue_height = metrics.boundingRect(bounds, flags, issue).height()
        hint_height = metrics.boundingRect(bounds, flags, hint).height() if hint else 0
        return issue, hint, issue_height, hint_height

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        c = self.columns
        return max(80, width - 2 * c.margin - 2 * c.pad - c.icon - 12)

    def _settings_below(self, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        """Whether the settings go on a line of their own (a narrow view)."""
        settings = index.data(SETTINGS_ROLE)
        if not settings:
            return False
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        metrics = QFontMetrics(option.font)
        card = self.columns.card(QRect(0, 0, width, 100))
        _, title, _, _ = self.columns.cells(card, metrics.height())
        bold = QFontMetrics(_bold(option.font))
        needed = bold.horizontalAdvance(index.data(TYPE_ROLE) or "") + 6
        return needed + metrics.horizontalAdvance(settings) > title.width()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        metrics = QFontMetrics(option.font)
        line = max(self.columns.icon, metrics.height())
        _, _, issue, hint = self._issue_lines(index, option)
        extra = issue + hint + 6 if issue else 0
        if self._settings_below(option, index):
            extra += metrics.height() + 2
        height = 8 + 2 * self.columns.pad - 4 + line + extra
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        c = self.columns
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = c.card(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        type_name = index.data(TYPE_ROLE) or ""
        issue_text, hint_text, issue_height, _ = self._issue_lines(index, option)
        error = error_color(palette)
        accent = error if issue_text else layer_color(type_name)

        # Connectors to the previous and next cards, behind the card.
        line_x = card.left() + c.pad + 2 + c.icon // 2 + 0.5
        connector = QColor(palette.color(QPalette.ColorRole.Text))
        connector.setAlphaF(0.28)
        painter.setPen(QPen(connector, 1.5))
        if index.row() > 0:
            painter.drawLine(QPointF(line_x, option.rect.top()), QPointF(line_x, card.top()))
        if index.row() < index.model().rowCount() - 1:
            painter.drawLine(
                QPointF(line_x, card.bottom()), QPointF(line_x, option.rect.bottom() + 1)
            )

        # The card.
        base = palette.color(QPalette.ColorRole.Base)
        border = QColor(palette.color(QPalette.ColorRole.Mid))
        fill = QColor(base)
        if selected:
            highlight = palette.color(QPalette.ColorRole.Highlight)
            fill = mix(base, highlight, 0.14)
            border = highlight
        elif issue_text:
            fill = mix(base, error, 0.06)
            border = mix(border, error, 0.6)
        elif hovered:
            border = border.darker(125)
        box = QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(border, 1.5 if selected else 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 6, 6)
        stripe = QRectF(box.left(), box.top(), 4, box.height())
        painter.save()
        clip = QRectF(box)
        painter.setClipRect(stripe)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent)
        painter.drawRoundedRect(clip, 6, 6)
        painter.restore()

        metrics = QFontMetrics(option.font)
        icon, title, shape, params = c.cells(card, metrics.height())
        paint_badge(painter, icon, layer_color(type_name), layer_glyph(type_name))
        if issue_text:
            _paint_marker(painter, QRectF(icon.right() - 7, icon.top() - 4, 12, 12))

        text = palette.color(QPalette.ColorRole.Text)
        muted = QColor(text)
        muted.setAlphaF(0.6)
        bold = _bold(option.font)
        bold_metrics = QFontMetrics(bold)
        name = bold_metrics.elidedText(type_name, Qt.TextElideMode.ElideRight, title.width())
        painter.setFont(bold)
        painter.setPen(text)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(title, align | Qt.AlignmentFlag.AlignLeft, name)
        painter.setFont(option.font)
        below = title.bottom()  # where the lines under the title start
        wide = QRect(title.left(), 0, card.right() - c.pad - title.left(), metrics.height())
        if self._settings_below(option, index):
            rest = wide.translated(0, below - 1)
            below = rest.bottom()
        else:
            rest = title.adjusted(bold_metrics.horizontalAdvance(name) + 6, 0, 0, 0)
        settings = metrics.elidedText(
            index.data(SETTINGS_ROLE) or "", Qt.TextElideMode.ElideRight, max(0, rest.width())
        )
        painter.drawText(rest, align | Qt.AlignmentFlag.AlignLeft, settings)

        shape_text = index.data(SHAPE_ROLE) or NOT_BUILT
        params_text = index.data(PARAMS_ROLE) or NOT_BUILT
        painter.setPen(text if index.data(SHAPE_ROLE) else muted)
        painter.drawText(shape, align | Qt.AlignmentFlag.AlignLeft, shape_text)
        zero = params_text in ("0", NOT_BUILT)
        painter.setPen(muted if zero else text)
        painter.drawText(params, align | Qt.AlignmentFlag.AlignRight, params_text)

        if issue_text:
            left, width = wide.left(), wide.width()
            wrap = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop
            area = QRect(left, below + 4, width, issue_height)
            painter.setPen(error)
            painter.drawText(area, wrap, issue_text)
            if hint_text:
                painter.setPen(muted)
                area = QRect(left, area.bottom() + 1, width, card.bottom() - area.bottom())
                painter.drawText(area, wrap, hint_text)
        painter.restore()


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _paint_marker(painter: QPainter, rect: QRectF) -> None:
    """A small red disc with '!': this layer has a problem."""
    painter.save()
    painter.setPen(QPen(QColor("white"), 1.5))
    painter.setBrush(ERROR_COLOR)
    painter.drawEllipse(rect)
    painter.setPen(round_pen(QColor("white"), 1.6))
    x = rect.center().x()
    painter.drawLine(QPointF(x, rect.top() + 3), QPointF(x, rect.center().y() + 1))
    painter.drawPoint(QPointF(x, rect.bottom() - 3))
    painter.restore()
