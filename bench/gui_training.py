"""Benchmark: the window stays responsive while training, and the GUI costs little.

1. Event-loop delay: while the worker trains, a 10 ms QTimer records how late each tick
   fires; the 95th percentile must stay under 50 ms.
2. Cost of the GUI: the same training through the panel with live plots vs the same
   headless `fit` (same model, data and settings), taking turns three times after a
   warm-up; the median of the per-turn ratios, target under 1.15x.

Runs offscreen (QT_QPA_PLATFORM=offscreen is set when no display is given).

    .venv/bin/python bench/gui_training.py [--epochs 8] [--rows 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from designer.spec.build import build_design
from designer.spec.templates import template
from designer.training import TrainingConfig, fit_model
from designer.ui.document import Document
from designer.ui.training.controller import TrainingController


class Data:
    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.x_train, self.y_train, self.x_val, self.y_val = x, y, None, None


def make_data(rows: int) -> Data:
    rng = np.random.default_rng(0)
    x = rng.random((rows, 784), dtype=np.float32)
    y = (x[:, :392].sum(axis=1) > x[:, 392:].sum(axis=1)).astype(np.int64)
    return Data(x, y)


def headless_time(data: Data, config: TrainingConfig) -> float:
    design, settings = template("mnist_mlp").make()
    settings.loss = "sparse_categorical_crossentropy"
    model = build_design(design).model
    settings.compile(model)
    start = time.perf_counter()
    fit_model(model, data.x_train, data.y_train, config)
    return time.perf_counter() - start


def gui_time(app: QApplication, data: Data, config: TrainingConfig) -> tuple[float, list[float]]:
    from designer.ui.training.panel import TrainingPanel

    document = Document()
    design, settings = template("mnist_mlp").make()
    settings.loss = "sparse_categorical_crossentropy"
    document.reset(design, settings)
    document.set_data(data)
    controller = TrainingController(document)
    panel = TrainingPanel(document, controller)
    panel.resize(1200, 320)
    panel.show()
    delays: list[float] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)

    def tick() -> None:
        if clock.isValid():
            delays.append(max(0.0, clock.restart() - 10.0))
        else:
            clock.start()

    timer.timeout.connect(tick)
    loop = QEventLoop()  # the real event loop: it sleeps while nothing happens
    controller.finished.connect(loop.quit)
    controller.failed.connect(loop.quit)
    timer.start()
    start = time.perf_counter()
    controller.start(data.x_train, data.y_train, config)
    loop.exec()
    elapsed = time.perf_counter() - start
    timer.stop()
    controller.shutdown()
    panel.close()
    return elapsed, delays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    data = make_data(args.rows)
    config = TrainingConfig(epochs=args.epochs, batch_size=128, validation_split=0.1, seed=0)
    headless_time(data, config)  # warm-up: kernels, caches, first-use imports
    headless, gui, delays = [], [], []
    for _ in range(3):  # taking turns, so the machine's drift hits both alike
        headless.append(headless_time(data, config))
        seconds, tick_delays = gui_time(app, data, config)
        gui.append(seconds)
        delays += tick_delays
    ratio = statistics.median(g / h for g, h in zip(gui, headless, strict=True))
    p95 = float(np.percentile(delays, 95)) if delays else float("nan")
    print(f"training {args.epochs} epochs of an MLP 784-784-10 on {args.rows} rows")
    print(f"headless fit : {statistics.median(headless):6.2f} s (runs: "
          f"{', '.join(f'{h:.2f}' for h in headless)})")
    print(f"GUI with plots: {statistics.median(gui):6.2f} s (runs: "
          f"{', '.join(f'{g:.2f}' for g in gui)}) -> {ratio:.2f}x headless (target < 1.15x)")
    print(
        f"event-loop delay: median {statistics.median(delays):.1f} ms, 95th percentile "
        f"{p95:.1f} ms, max {max(delays):.1f} ms over {len(delays)} ticks (target p95 < 50 ms)"
    )

if __name__ == "__main__":
    main()
