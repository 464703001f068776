"""Benchmark: the window stays responsive while a large project is saved.

A design holding ~50 MB of weights (Input 3500 -> Dense 3500 -> Dense 10: 12.3 M
float32 values) is saved with File > Save (the worker-thread save the window uses,
waiting in a local event loop) and by the autosave. Meanwhile a 10 ms QTimer records
how late each tick fires: the 95th percentile must stay under 50 ms. The reference is
the same `save_project` call made directly on the GUI thread, which blocks the window
for its whole duration (the longest tick delay is then about the save time).

    .venv/bin/python bench/save_responsiveness.py [--units 3500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication

from designer.project import save_project
from designer.project.files import snapshot_project
from designer.ui.main_window import MainWindow


class TickRecorder:
    """A 10 ms timer that records how late each tick comes (ms)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.delays.append(max(0.0, self.clock.restart() - 10.0))

    def __enter__(self) -> TickRecorder:
        self.delays = []
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.timer.stop()
        QApplication.processEvents()


def big_window(units: int) -> MainWindow:
    window = MainWindow(settings=None)
    document = window.document
    document.insert_in_stack("Dense", params={"units": units})
    document.insert_in_stack("Dense", params={"units": 10})
    first = document.stack_order()[0]
    document.set_param(first, "shape", (units,))
    QApplication.processEvents()
    document.build_result  # noqa: B018
    return window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    window = big_window(args.units)
    window.show()
    megabytes = sum(a.nbytes for arrays in window.document.weights.values() for a in arrays) / 1e6
    folder = Path(tempfile.mkdtemp())
    path = folder / "big.ndproj"
    window.projects.ask_save_path = lambda: str(path)
    rows = {"blocking save on the GUI thread (reference)": [], "File > Save": [], "autosave": []}
    times = {key: [] for key in rows}
    for _ in range(args.rounds):
        with TickRecorder() as ticks:
            start = time.perf_counter()
            save_project(path, snapshot_project(window.projects.capture()))
            QApplication.processEvents()
            times["blocking save on the GUI thread (reference)"].append(time.perf_counter() - start)
        rows["blocking save on the GUI thread (reference)"] += ticks.delays or [
            1000 * times["blocking save on the GUI thread (reference)"][-1]
        ]
        window.projects.mark_dirty()
        with TickRecorder() as ticks:
            start = time.perf_counter()
            assert window.projects.save_as()
            times["File > Save"].append(time.perf_counter() - start)
        rows["File > Save"] += ticks.delays
        window.projects.mark_dirty()
        with TickRecorder() as ticks:
            start = time.perf_counter()
            window.projects.autosave()
            window.projects.saver.wait()
            times["autosave"].append(time.perf_counter() - start)
        rows["autosave"] += ticks.delays
    print(f"project: {megabytes:.1f} MB of weights, file {path.stat().st_size / 1e6:.1f} MB")
    for key, delays in rows.items():
        p95 = float(np.percentile(delays, 95)) if delays else float("nan")
        print(
            f"{key}: {statistics.median(times[key]):.2f} s median; event-loop delay p95 "
            f"{p95:.1f} ms, max {max(delays):.1f} ms over {len(delays)} ticks (target p95 < 50 ms)"
        )
    window.projects.discard_recovery()
    window.close()


if __name__ == "__main__":
    main()
