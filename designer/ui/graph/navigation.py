"""Zoom, pan and fit for a graphics view: view state only, never an edit.

Zoom stays within 0.2x-3x; the wheel zooms around the cursor; the middle button, or
the left button on empty canvas with Space held, pans. The scene rectangle always
covers what is visible plus the content, so zooming and panning never make the
view jump, and scroll bars appear only when the content does not fit.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from designer.ui.graph import style

FIT_MARGIN = 40.0


class NavigableView(QGraphicsView):
    """A QGraphicsView that zooms, pans and fits its content (`content_rect`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self._pan_from: QPointF | None = None
        self._fit_pending = True

    def content_rect(self) -> QRectF:
        """The scene area worth showing (subclasses say what it is)."""
        return self.scene().itemsBoundingRect() if self.scene() else QRectF()

    # -- zoom and fit ---------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, value: float) -> None:
        """Zoom to `value` (clamped to 0.2x-3x) around the transformation anchor."""
        value = min(style.MAX_ZOOM, max(style.MIN_ZOOM, value))
        factor = value / self.zoom()
        if abs(factor - 1.0) < 1e-6:
            return
        self._update_scene_rect(grow=max(1.0, 1.0 / factor))
        self.scale(factor, factor)
        self._update_scene_rect()

    def zoom_in(self) -> None:
        self._zoom_centred(1.25)

    def zoom_out(self) -> None:
        self._zoom_centred(1 / 1.25)

    def _zoom_centred(self, factor: float) -> None:
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.set_zoom(self.zoom() * factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def fit_to_view(self) -> None:
        """Show every layer, at most at 100% (a small design is not blown up)."""
        self._fit_pending = False
        rect = self.content_rect()
        if rect.isNull():
            rect = QRectF(-100, -100, 200, 200)
        rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        area = self.viewport().rect()
        scale = min(area.width() / rect.width(), area.height() / rect.height())
        scale = min(1.0, max(style.MIN_ZOOM, scale))
        self.setTransform(QTransform.fromScale(scale, scale))
        seen = QRectF(0, 0, area.width() / scale, area.height() / scale)
        seen.moveCenter(rect.center())
        self._update_scene_rect(around=seen)
        self.centerOn(rect.center())

    def _update_scene_rect(self, around: QRectF | None = None, grow: float = 1.0) -> None:
        """Let the canvas scroll over the layers plus a margin, and never jump the view."""
        visible = around or self.mapToScene(self.viewport().rect()).boundingRect()
        visible = visible.adjusted(1, 1, -1, -1)
        if grow > 1.0:
            dx, dy = visible.width() * (grow - 1), visible.height() * (grow - 1)
            visible = visible.adjusted(-dx, -dy, dx, dy)
        content = self.content_rect()
        if not content.isNull():
            margin = FIT_MARGIN - 10
            visible = visible.united(content.adjusted(-margin, -margin, margin, margin))
        if self.scene() is not None:
            self.scene().setSceneRect(visible)

    # -- Qt events ------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_pending:
            QTimer.singleShot(0, self.fit_to_view)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_pending and self.isVisible():
            self.fit_to_view()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if not delta or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.set_zoom(self.zoom() * 1.0015**delta)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            self._update_scene_rect(grow=2.0)
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            bars = self.horizontalScrollBar(), self.verticalScrollBar()
            bars[0].setValue(bars[0].value() - round(delta.x()))
            bars[1].setValue(bars[1].value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            self._update_scene_rect()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self._update_scene_rect()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._update_scene_rect(grow=2.0)
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            self._update_scene_rect()
            return
        super().keyReleaseEvent(event)
