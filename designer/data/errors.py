"""The error types of the data layer: a bad file (naming the place) and a cancelled load."""

from __future__ import annotations

from pathlib import Path


class DataFormatError(ValueError):
    """A data file is not what it should be; the message says what and where.

    `row` (1-based, counted as lines of the file, header included) and `column`
    (a name or a 0-based index) are set when known, so a GUI can point at the cell.
    """

    def __init__(
        self,
        path: str | Path | None,
        message: str,
        hint: str | None = None,
        *,
        row: int | None = None,
        column: str | int | None = None,
    ) -> None:
        self.path = None if path is None else Path(path)
        self.message = message
        self.hint = hint
        self.row = row
        self.column = column
        prefix = f"{self.path.name}: " if self.path is not None else ""
        text = prefix + message + (f" {hint}" if hint else "")
        super().__init__(text)


class LoadCancelled(Exception):
    """The user cancelled a load (the `cancelled()` callback returned True).

    Not a DataFormatError: nothing is wrong with the file, so the GUI shows no error.
    """
