"""A finished (or stopped) training run: its settings, per-epoch figures and duration."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from designer.spec.serialize import (
    check_settings,
    expect_bool,
    expect_int,
    expect_list,
    expect_number,
    expect_object,
    expect_str,
    fail,
    join,
    show,
)
from designer.training.config import TRAINING_PARAMS

# How a run ended. "interrupted": the file was saved while it trained (an autosave just
# before a crash), so its history stops at that moment.
STATUSES = ("running", "finished", "stopped", "failed", "nan", "interrupted")
INTERRUPTED_MESSAGE = (
    "Interrupted: the project was saved while this run was training (the app closed or "
    "crashed); its history ends there."
)
MAX_EPOCH = 10**9


@dataclass
class RunRecord:
    name: str
    config: dict[str, Any]
    history: dict[str, list[float]] = field(default_factory=dict)
    epochs: list[int] = field(default_factory=list)
    duration: float = 0.0
    status: str = "running"  # one of STATUSES
    message: str = ""
    visible: bool = True
    test_logs: dict[str, float] = field(default_factory=dict)  # final evaluation on test data

    def add_epoch(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def to_csv(self) -> str:
        """The history as CSV: one row per epoch, one column per metric."""
        keys = sorted(self.history)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["epoch", *keys])
        for row, epoch in enumerate(self.epochs):
            writer.writerow(
                [
                    epoch + 1,
                    *(self.history[k][row] if row < len(self.history[k]) else "" for k in keys),
                ]
            )
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "config": self.config,
            "history": self.history,
            "epochs": self.epochs,
            "duration": self.duration,
            "status": self.status,
            "message": self.message,
            "visible": self.visible,
            "test_logs": {str(k): float(v) for k, v in self.test_logs.items()},
        }

    @classmethod
    def from_dict(cls, data: Any, path: str = "run") -> RunRecord:
        """Check every field of a saved run and rebuild it (ProjectFormatError naming the
        field otherwise). A run saved as "running" comes back "interrupted": it cannot go
        on. History values may be NaN or infinite (that is how a NaN run ends)."""
        data = expect_object(data, path)
        if "name" not in data:
            fail(f"{path}.name", "missing: every run has a name")
        epochs = [
            expect_int(e, f"{path}.epochs[{i}]", 0, MAX_EPOCH)
            for i, e in enumerate(expect_list(data.get("epochs", []), f"{path}.epochs"))
        ]
        history = {}
        for key, values in expect_object(data.get("history", {}), f"{path}.history").items():
            where = join(f"{path}.history", key)
            values = expect_list(values, where)
            if len(values) > len(epochs):
                fail(where, f"{len(values)} values for {len(epochs)} epochs")
            history[key] = [
                expect_number(v, f"{where}[{i}]", finite=False) for i, v in enumerate(values)
            ]
        test_logs = {
            key: expect_number(value, join(f"{path}.test_logs", key), finite=False)
            for key, value in expect_object(data.get("test_logs", {}), f"{path}.test_logs").items()
        }
        status = data.get("status", "finished")
        if not isinstance(status, str) or status not in STATUSES:
            fail(
                f"{path}.status",
                f"unknown status {show(status)}; expected one of {', '.join(STATUSES)}",
            )
        message = expect_str(data.get("message", ""), f"{path}.message")
        if status == "running":
            status, message = "interrupted", INTERRUPTED_MESSAGE
        duration = expect_number(data.get("duration", 0.0), f"{path}.duration")
        if duration < 0:
            fail(f"{path}.duration", f"expected a number >= 0, received {show(duration)}")
        return cls(
            name=expect_str(data["name"], f"{path}.name"),
            config=check_settings(
                data.get("config", {}), TRAINING_PARAMS, f"{path}.config", defaults=False
            ),
            history=history,
            epochs=epochs,
            duration=duration,
            status=status,
            message=message,
            visible=expect_bool(data.get("visible", True), f"{path}.visible"),
            test_logs=test_logs,
        )
