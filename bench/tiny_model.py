"""Benchmark: the first tutorial's 5-20-1 tanh/hinge network, whole `fit`, vs PyTorch.

The tutorial trains on 250 rows (20% held out for validation) for 150 epochs with
batch 32 and Adam: ~1,050 tiny steps, where per-step Python overhead is everything.
Target (issue 4): our whole fit <= 0.3x a manual PyTorch CPU loop of the same model.

    .venv/bin/python bench/tiny_model.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from designer.engine import Sequential
from designer.engine.layers import Dense


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((250, 5)).astype(np.float32)
    y = ((x.sum(axis=1) > 2.5) * 2 - 1).astype(np.float32)
    return x, y


def engine_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    model = Sequential([Dense(20, input_dim=5, activation="tanh"), Dense(1, activation="tanh")])
    model.compile("adam", "hinge", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x, y, epochs=150, batch_size=32, validation_split=0.2, verbose=0)
    return time.perf_counter() - start, history.history["val_accuracy"][-1]


def torch_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The same training, written the way a PyTorch user would (tensors made up front)."""
    import torch

    torch.set_num_threads(2)
    model = torch.nn.Sequential(
        torch.nn.Linear(5, 20), torch.nn.Tanh(), torch.nn.Linear(20, 1), torch.nn.Tanh()
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    split = 200
    xt, yt = torch.from_numpy(x[:split]), torch.from_numpy(y[:split]).reshape(-1, 1)
    xv, yv = torch.from_numpy(x[split:]), torch.from_numpy(y[split:]).reshape(-1, 1)
    start = time.perf_counter()
    for _ in range(150):
        order = torch.randperm(split)
        correct = 0
        total_loss = 0.0
        for s in range(0, split, 32):
            idx = order[s : s + 32]
            xb, yb = xt[idx], yt[idx]
            pred = model(xb)
            loss = torch.clamp(1 - yb * pred, min=0).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
            correct += ((pred > 0) == (yb > 0)).sum().item()
        with torch.no_grad():
            val_pred = model(xv)
            val_loss = torch.clamp(1 - yv * val_pred, min=0).mean().item()
            val_acc = ((val_pred > 0) == (yv > 0)).float().mean().item()
    del total_loss, val_loss
    return time.perf_counter() - start, val_acc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    x, y = data()
    engine_fit(x, y)  # warm-up
    ours = [engine_fit(x, y) for _ in range(args.repeats)]
    ours_time = statistics.median(t for t, _ in ours)
    print(
        f"engine  fit (150 epochs): median {ours_time * 1000:7.1f} ms "
        f"({ours_time / 1050 * 1e6:5.1f} us/step), val accuracy {ours[-1][1]:.3f}"
    )
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch not installed: ratio skipped (pip install torch==2.13.0).")
        return
    torch_fit(x, y)
    theirs = [torch_fit(x, y) for _ in range(args.repeats)]
    torch_time = statistics.median(t for t, _ in theirs)
    print(
        f"pytorch fit (150 epochs): median {torch_time * 1000:7.1f} ms "
        f"({torch_time / 1050 * 1e6:5.1f} us/step), val accuracy {theirs[-1][1]:.3f}"
    )
    print(f"ratio engine/pytorch: {ours_time / torch_time:.2f}x (target <= 0.30x)")


if __name__ == "__main__":
    main()
