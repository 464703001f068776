"""The one error type for data that cannot be read, naming the file and the place."""

from __future__ import annotations

from pathlib import Path


class DataFormatError(ValueError):
    """A data file is not what it should be; the message says what and where."""

    def __init__(self, path: str | Path | None, message: str, hint: str | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.hint = hint
        prefix = f"{self.path.name}: " if self.path is not None else ""
        text = prefix + message + (f" {hint}" if hint else "")
        super().__init__(text)
