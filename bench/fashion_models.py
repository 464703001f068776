"""Benchmark: tutorial-style models on Fashion-MNIST, epoch time vs PyTorch and GEMM bound.

For each model: epoch time (median of 3 after a warm-up epoch), test accuracy after the
timed epochs (4 training epochs in all), the same model in a manual PyTorch CPU loop
measured in the same run, and the GEMM-only lower bound: the model's matrix
multiplications alone, at its shapes, for one epoch. A cProfile of one epoch says
where the rest of the time goes.

Needs Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist).

    .venv/bin/python bench/fashion_models.py --model mlp256
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable

import numpy as np

from designer.data.idx import load_fashion_mnist
from designer.engine import Sequential, callbacks
from designer.engine.layers import Dense

MODELS = {
    "mlp256": {"hidden": 256, "batch": 128},
    "mlp784": {"hidden": 784, "batch": 200},
}


def load() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    x_train = x_train.reshape(len(x_train), -1).astype(np.float32) / 255
    x_test = x_test.reshape(len(x_test), -1).astype(np.float32) / 255
    return x_train, y_train.astype(np.int64), x_test, y_test.astype(np.int64)


def engine_model(hidden: int) -> Sequential:
    model = Sequential(
        [Dense(hidden, input_dim=784, activation="relu"), Dense(10, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def time_epochs(run_epoch: Callable[[], None], epochs: int = 4) -> list[float]:
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        run_epoch()
        times.append(time.perf_counter() - start)
    return times


class EpochTimer(callbacks.Callback):
    """Wall time of each epoch inside one `fit` call."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self._start)


def bench_engine(data, hidden: int, batch: int) -> tuple[float, float, str]:
    x, y, xt, yt = data
    model = engine_model(hidden)
    timer = EpochTimer()
    model.fit(x, y, batch_size=batch, epochs=4, verbose=0, callbacks=[timer])
    times = timer.times
    accuracy = float(np.mean(np.argmax(model.predict(xt, batch_size=1000, verbose=0), 1) == yt))
    profiler = cProfile.Profile()
    profiler.enable()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(8)
    return statistics.median(times[1:]), accuracy, stream.getvalue()


def bench_torch(data, hidden: int, batch: int) -> tuple[float, float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    x, y, xt, yt = (torch.from_numpy(a) for a in data)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch() -> None:
        order = torch.randperm(len(x))
        for s in range(0, len(x), batch):
            idx = order[s : s + batch]
            xb, yb = x[idx], y[idx]
            out = model(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            (out.argmax(1) == yb).sum().item()  # accuracy, as fit reports it

    times = time_epochs(epoch)
    with torch.no_grad():
        accuracy = (model(xt).argmax(1) == yt).float().mean().item()
    return statistics.median(times[1:]), accuracy


def gemm_bound(hidden: int, batch: int, n: int = 60000) -> float:
    """The epoch's matrix multiplications alone (forward, and backward without dx of x)."""
    rng = np.random.default_rng(0)
    f32 = np.float32
    x = rng.random((batch, 784), dtype=f32)
    w1 = rng.random((784, hidden), dtype=f32)
    w2 = rng.random((hidden, 10), dtype=f32)
    h = rng.random((batch, hidden), dtype=f32)
    d2 = rng.random((batch, 10), dtype=f32)
    d1 = rng.random((batch, hidden), dtype=f32)
    steps = -(-n // batch)

    def epoch() -> None:
        for _ in range(steps):
            x @ w1
            h @ w2
            h.T @ d2
            d2 @ w2.T
            x.T @ d1

    return statistics.median(time_epochs(epoch)[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), nargs="+", default=["mlp256"])
    parser.add_argument("--profile", action="store_true", help="print the profile of one epoch")
    args = parser.parse_args()
    data = load()
    for name in args.model:
        hidden, batch = MODELS[name]["hidden"], MODELS[name]["batch"]
        print(f"== {name}: Dense({hidden}, relu) -> Dense(10, softmax), Adam, batch {batch}")
        ours, accuracy, profile = bench_engine(data, hidden, batch)
        bound = gemm_bound(hidden, batch)
        print(f"engine : {ours:6.3f} s/epoch, test accuracy {accuracy:.4f}")
        print(f"GEMM   : {bound:6.3f} s/epoch -> engine is {ours / bound:.2f}x the GEMM bound")
        reference = bench_torch(data, hidden, batch)
        if reference is None:
            print("pytorch: not installed, ratio skipped (pip install torch==2.13.0)")
        else:
            print(f"pytorch: {reference[0]:6.3f} s/epoch, test accuracy {reference[1]:.4f}")
            print(f"ratio engine/pytorch: {ours / reference[0]:.2f}x")
        if args.profile:
            print(profile)


if __name__ == "__main__":
    main()
