"""One rule for the panels that live in a dock: wide in the bottom area, tall at a side.

The Data and Training panels lay their settings beside their views when the dock is
wide and stack them when it is narrow or taller than wide; both switch at the same
width, so tabs of one dock never disagree.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent

WIDE_MIN_WIDTH = 760  # below this (or taller than wide) a panel stacks vertically


def is_wide(width: int, height: int) -> bool:
    """True when a panel of this size lays out side by side."""
    return width >= WIDE_MIN_WIDTH and width >= height


class DockShape:
    """Mixin for a QWidget panel: calls `set_wide(wide)` whenever its shape flips.

    List it before the Qt class (`class Panel(DockShape, QWidget)`) and call
    `update_shape()` once at the end of `__init__`.
    """

    _wide: bool | None = None  # None until the first layout

    def set_wide(self, wide: bool) -> None:
        raise NotImplementedError

    def update_shape(self) -> None:
        """Lay out for the current size if it crossed the wide/tall line."""
        wide = is_wide(self.width(), self.height())
        if wide != self._wide:
            self._wide = wide
            self.set_wide(wide)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.update_shape()
