"""A finished (or stopped) training run: its settings, per-epoch figures and duration."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunRecord:
    name: str
    config: dict[str, Any]
    history: dict[str, list[float]] = field(default_factory=dict)
    epochs: list[int] = field(default_factory=list)
    duration: float = 0.0
    status: str = "running"  # running | finished | stopped | failed
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
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        return cls(
            name=str(data["name"]),
            config=dict(data.get("config", {})),
            history={k: [float(v) for v in vs] for k, vs in data.get("history", {}).items()},
            epochs=[int(e) for e in data.get("epochs", [])],
            duration=float(data.get("duration", 0.0)),
            status=str(data.get("status", "finished")),
            message=str(data.get("message", "")),
            visible=bool(data.get("visible", True)),
        )
