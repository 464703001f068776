"""Benchmark: the tutorials' models on Fashion-MNIST vs PyTorch and the GEMM-only bound.

Models (Adam, float32, all cores):
  mlp256  Dense(256, relu) -> Dense(10, softmax), batch 128
  mlp784  Dense(784, relu) -> Dense(10, softmax), batch 200 (the tutorial MLP)
  cnn     Conv2D(32, 5x5, relu) -> MaxPooling2D(2) -> Dropout(0.2) -> Flatten ->
          Dense(128, relu) -> Dense(10, softmax), batch 200 (the tutorial CNN)

For each: epoch time (median of --rounds, default 3, after a warm-up epoch), test
accuracy after those epochs, the same model as a manual PyTorch CPU loop (in its own
process; skipped when PyTorch is absent) and the GEMM-only lower bound (the model's
matrix multiplications alone, at its shapes, for one epoch). The three take turns
epoch by epoch, and each ratio is the median of per-round ratios (with their range),
so the machine's drift cancels. Then `predict` on the 10,000 test images vs PyTorch
inference, peak memory, and (--profile) a profile of one epoch saying where the rest
of the time goes. Each model runs in a fresh process.

Needs Debian's dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist).

    .venv/bin/python bench/fashion_models.py [--model mlp256 mlp784 cnn] [--rounds N]
        [--profile] [--numpy-loop]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import multiprocessing
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy_loop import NumpyLoop

from designer.data.idx_format import load_fashion_mnist
from designer.engine import Sequential, callbacks, layers


@dataclass(frozen=True)
class Spec:
    batch: int
    hidden: int = 0  # MLPs
    image: bool = False  # the CNN takes (28, 28, 1) images


SPECS = {
    "mlp256": Spec(batch=128, hidden=256),
    "mlp784": Spec(batch=200, hidden=784),
    "cnn": Spec(batch=200, image=True),
}


def load(image: bool) -> tuple[np.ndarray, ...]:
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    shape = (28, 28, 1) if image else (784,)
    x_train = x_train.reshape(len(x_train), *shape).astype(np.float32) / 255
    x_test = x_test.reshape(len(x_test), *shape).astype(np.float32) / 255
    return x_train, y_train.astype(np.int64), x_test, y_test.astype(np.int64)


def engine_model(spec: Spec) -> Sequential:
    if spec.image:
        stack = [
            layers.Conv2D(32, (5, 5), input_shape=(28, 28, 1), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.2),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    else:
        stack = [
            layers.Dense(spec.hidden, input_dim=784, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    model = Sequential(stack)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class EpochTimer(callbacks.Callback):
    """Wall time of each epoch inside one `fit` call."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self._start)


class EngineRunner:
    """Our engine: one `fit` epoch per call, timed inside `fit` by a callback."""

    def __init__(self, data, spec: Spec) -> None:
        self.x, self.y, self.xt, self.yt = data
        self.spec = spec
        self.model = engine_model(spec)

    def epoch(self) -> float:
        timer = EpochTimer()
        self.model.fit(self.x, self.y, batch_size=self.spec.batch, epochs=1, verbose=0,
                       callbacks=[timer])
        return timer.times[0]

    def predict(self):
        return self.model.predict(self.xt, batch_size=1000, verbose=0)

    def accuracy(self) -> float:
        return float(np.mean(np.argmax(self.predict(), 1) == self.yt))

    def profile(self) -> str:
        profiler = cProfile.Profile()
        profiler.enable()
        self.epoch()
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(12)
        return stream.getvalue()


def torch_model(torch, spec: Spec):
    nn = torch.nn
    if spec.image:
        return nn.Sequential(
            nn.Conv2d(1, 32, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Dropout(0.2),
            nn.Flatten(),
            nn.Linear(32 * 12 * 12, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )
    return nn.Sequential(nn.Linear(784, spec.hidden), nn.ReLU(), nn.Linear(spec.hidden, 10))


class TorchRunner:
    """The same model as a manual PyTorch CPU loop (Adam, same epsilon as Keras)."""

    def __init__(self, torch, data, spec: Spec) -> None:
        torch.set_num_threads(2)
        self.torch = torch
        x, y, xt, yt = (torch.from_numpy(a) for a in data)
        if spec.image:  # PyTorch wants (N, C, H, W)
            x, xt = x.permute(0, 3, 1, 2).contiguous(), xt.permute(0, 3, 1, 2).contiguous()
        self.x, self.y, self.xt, self.yt = x, y, xt, yt
        self.spec = spec
        self.model = torch_model(torch, spec)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3, eps=1e-7)
        self.loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(self) -> float:
        start = time.perf_counter()
        self.model.train()
        order = self.torch.randperm(len(self.x))
        for s in range(0, len(self.x), self.spec.batch):
            idx = order[s : s + self.spec.batch]
            xb, yb = self.x[idx], self.y[idx]
            out = self.model(xb)
            loss = self.loss_fn(out, yb)
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            (out.argmax(1) == yb).sum().item()  # accuracy, as fit reports it
        return time.perf_counter() - start

    def predict(self):
        self.model.eval()
        with self.torch.no_grad():
            xt = self.xt
            return self.torch.cat([self.model(xt[s : s + 1000]) for s in range(0, len(xt), 1000)])

    def accuracy(self) -> float:
        return (self.predict().argmax(1) == self.yt).float().mean().item()


def _serve_torch(connection, name: str) -> None:
    """Child process: a TorchRunner answering "epoch", "predict" and "accuracy"."""
    import torch

    spec = SPECS[name]
    runner = TorchRunner(torch, load(spec.image), spec)
    predict = _timer(runner.predict)
    while True:
        command = connection.recv()
        if command == "stop":
            return
        answer = {"epoch": runner.epoch, "predict": predict, "accuracy": runner.accuracy}[command]
        connection.send(answer())


class TorchProcess:
    """The PyTorch reference in its own process, as a user would run it.

    Nothing the engine sets for its process (the allocator's kept memory, its worker
    threads) then touches PyTorch, and PyTorch's threads do not touch the engine.
    """

    def __init__(self, name: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve_torch, args=(child, name), daemon=True)
        self._process.start()

    def _ask(self, command: str) -> float:
        self._connection.send(command)
        return self._connection.recv()

    def epoch(self) -> float:
        return self._ask("epoch")

    def predict(self) -> float:
        return self._ask("predict")

    def accuracy(self) -> float:
        return self._ask("accuracy")

    def close(self) -> None:
        self._connection.send("stop")
        self._process.join(timeout=30)


def gemm_shapes(spec: Spec) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(A shape, B shape) of every matrix product in one training step."""
    b = spec.batch
    if spec.image:
        rows = b * 24 * 24
        return [
            ((rows, 25), (25, 32)),  # conv forward (im2col @ kernel)
            ((25, rows), (rows, 32)),  # conv kernel gradient
            ((b, 4608), (4608, 128)),
            ((b, 128), (128, 10)),  # dense forward
            ((128, b), (b, 10)),
            ((b, 10), (10, 128)),  # dense 2 backward
            ((4608, b), (b, 128)),
            ((b, 128), (128, 4608)),  # dense 1 backward
        ]
    h = spec.hidden
    return [
        ((b, 784), (784, h)),
        ((b, h), (h, 10)),  # forward
        ((h, b), (b, 10)),
        ((b, 10), (10, h)),  # dense 2 backward
        ((784, b), (b, h)),  # dense 1 kernel gradient (no input gradient needed)
    ]


def gemm_epoch(spec: Spec, n: int = 60000) -> Callable[[], float]:
    """One epoch of the model's matrix products alone (the GEMM-only bound)."""
    rng = np.random.default_rng(0)
    pairs = [
        (rng.random(a, dtype=np.float32), rng.random(b_, dtype=np.float32))
        for a, b_ in gemm_shapes(spec)
    ]
    steps = -(-n // spec.batch)

    def epoch() -> float:
        start = time.perf_counter()
        for _ in range(steps):
            for a, b_ in pairs:
                a @ b_
        return time.perf_counter() - start

    return epoch


def interleaved(runners: dict[str, Callable[[], float]], rounds: int = 4) -> dict[str, list]:
    """Epoch times, the runners taking turns each round (the first round warms up).

    This machine's speed drifts by tens of percent over minutes; taking turns keeps
    each ratio between epochs run seconds apart.
    """
    times: dict[str, list] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, epoch in runners.items():
            times[name].append(epoch())
    return {name: t[1:] for name, t in times.items()}


def _timer(fn: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    return run


def ratio(times: dict[str, list], a: str, b: str) -> str:
    """Median over rounds of a's time divided by b's in the same round, and the range."""
    ratios = [x / y for x, y in zip(times[a], times[b], strict=True)]
    return f"{statistics.median(ratios):.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(SPECS), nargs="+", default=sorted(SPECS))
    parser.add_argument("--profile", action="store_true", help="print the profile of one epoch")
    parser.add_argument("--numpy-loop", action="store_true",
                        help="also time a minimal hand-written NumPy loop (MLPs)")
    parser.add_argument("--rounds", type=int, default=3, help="timed epochs of each (after one "
                        "warm-up); test accuracy is after all of them")
    args = parser.parse_args()
    if len(args.model) > 1:  # one fresh process per model, as a user would run each
        for name in args.model:
            command = [sys.executable, __file__, "--model", name, "--rounds", str(args.rounds)]
            command += ["--profile"] if args.profile else []
            command += ["--numpy-loop"] if args.numpy_loop else []
            subprocess.run(command, check=True)
        return
    has_torch = importlib.util.find_spec("torch") is not None
    for name in args.model:
        spec = SPECS[name]
        data = load(spec.image)
        print(f"== {name} (batch {spec.batch})")
        ours = EngineRunner(data, spec)
        runners = {"engine": ours.epoch, "gemm": gemm_epoch(spec)}
        plain = None
        if args.numpy_loop and not spec.image:
            plain = NumpyLoop(data[0], data[1], spec.hidden, spec.batch)
            runners["numpy"] = plain.epoch
        reference = TorchProcess(name) if has_torch else None
        if reference is not None:
            runners["pytorch"] = reference.epoch
        times = interleaved(runners, rounds=1 + args.rounds)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine_epoch = statistics.median(times["engine"])
        predict_runners = {"engine": _timer(ours.predict)}
        if reference is not None:
            predict_runners["pytorch"] = reference.predict
        predicts = interleaved(predict_runners, rounds=6)
        predict = statistics.median(predicts["engine"])
        print(
            f"engine : {engine_epoch:6.3f} s/epoch, test accuracy {ours.accuracy():.4f}, "
            f"predict 10k {predict * 1000:6.1f} ms"
        )
        print(
            f"GEMM   : {statistics.median(times['gemm']):6.3f} s/epoch -> engine is "
            f"{ratio(times, 'engine', 'gemm')} the bound"
        )
        if plain is not None:
            print(
                f"NumPy  : {statistics.median(times['numpy']):6.3f} s/epoch (a minimal "
                f"hand-written loop, test accuracy {plain.accuracy(data[2], data[3]):.4f}) -> "
                f"{ratio(times, 'numpy', 'gemm')} the bound; engine is "
                f"{ratio(times, 'engine', 'numpy')} of it"
            )
        if reference is None:
            print("pytorch: not installed, ratios skipped (pip install torch==2.13.0)")
        else:
            torch_predict = statistics.median(predicts["pytorch"])
            print(
                f"pytorch: {statistics.median(times['pytorch']):6.3f} s/epoch, test accuracy "
                f"{reference.accuracy():.4f}, predict 10k {torch_predict * 1000:6.1f} ms"
            )
            print(
                f"ratio engine/pytorch: epoch {ratio(times, 'engine', 'pytorch')}, "
                f"predict {ratio(predicts, 'engine', 'pytorch')}"
            )
        if reference is not None:
            reference.close()
        print(f"peak memory of the engine's process: {peak_mb:.0f} MB")
        if args.profile:
            print(ours.profile())


if __name__ == "__main__":
    main()
