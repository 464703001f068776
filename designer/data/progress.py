"""Progress and cancellation callbacks shared by every loader.

A loader takes `progress(fraction)` (0..1, called between chunks) and `cancelled()`
(polled between chunks; True stops the load with `LoadCancelled`). Both are plain
callables so a GUI worker thread can pass a signal emitter and a thread-safe flag.
"""

from __future__ import annotations

from collections.abc import Callable

from designer.data.errors import LoadCancelled

ProgressFn = Callable[[float], None]
CancelledFn = Callable[[], bool]


class Reporter:
    """Maps the progress of one step onto a sub-range of the whole load."""

    def __init__(
        self,
        progress: ProgressFn | None = None,
        cancelled: CancelledFn | None = None,
        start: float = 0.0,
        stop: float = 1.0,
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.start = start
        self.stop = stop

    def check(self) -> None:
        """Raise LoadCancelled when the user asked to stop."""
        if self._cancelled is not None and self._cancelled():
            raise LoadCancelled("Loading was cancelled.")

    def report(self, fraction: float) -> None:
        """Report `fraction` of this step done, then check for cancellation."""
        if self._progress is not None:
            fraction = min(max(float(fraction), 0.0), 1.0)
            self._progress(self.start + (self.stop - self.start) * fraction)
        self.check()

    def sub(self, start: float, stop: float) -> Reporter:
        """A reporter for the part `start..stop` (fractions of this step)."""
        span = self.stop - self.start
        return Reporter(
            self._progress, self._cancelled, self.start + span * start, self.start + span * stop
        )
