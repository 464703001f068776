"""Finding a CSV file's delimiter, header and columns by looking at its first rows."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from designer.data.errors import DataFormatError

DELIMITERS = (",", ";", "\t", "|", " ")
SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 50
ENCODING_HINT = "Choose the file's text encoding (for example latin-1 or cp1252)."


@dataclass(frozen=True)
class CsvFormat:
    """What `sniff_csv` found: enough for an import dialog to offer column choices."""

    delimiter: str
    has_header: bool
    columns: tuple[str, ...]
    preview: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_sample(path: Path, encoding: str) -> str:
    try:
        with path.open("r", encoding=encoding, newline="") as stream:
            sample = stream.read(SAMPLE_CHARS)
    except FileNotFoundError:
        raise DataFormatError(path, "was not found.") from None
    except UnicodeDecodeError as error:
        raise DataFormatError(
            path, f"is not {encoding} text ({error.reason} at byte {error.start}).", ENCODING_HINT
        ) from None
    except OSError as error:
        raise DataFormatError(path, f"cannot be read: {error.strerror or error}.") from None
    if "\x00" in sample:
        raise DataFormatError(path, "is not a text file (it contains NUL bytes).")
    if not sample.strip():
        raise DataFormatError(path, "is empty.", "A CSV file needs rows of comma-separated values.")
    if len(sample) == SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    return sample


def _split(lines: Sequence[str], delimiter: str) -> list[list[str]]:
    if delimiter == " ":
        lines = [line.strip() for line in lines]
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=delimiter == " ")
    return [row for row in reader if any(cell.strip() for cell in row)]


def _score(rows: list[list[str]]) -> tuple[float, int, float]:
    """(share of rows with the usual width, that width, share of numeric cells)."""
    if not rows:
        return (0.0, 0, 0.0)
    widths = [len(r) for r in rows]
    usual = max(set(widths), key=widths.count)
    if usual < 2:
        return (0.0, usual, 0.0)
    cells = [c for r in rows[1:] for c in r] or [c for r in rows for c in r]
    numeric = sum(is_number(c) for c in cells) / max(len(cells), 1)
    return (widths.count(usual) / len(widths), usual, numeric)


def _find_delimiter(sample: str) -> str:
    """csv.Sniffer's guess if it splits the lines evenly; else the most even candidate."""
    lines = [line for line in sample.splitlines() if line.strip()][:_SAMPLE_LINES]
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    scores = {d: _score(_split(lines, d)) for d in DELIMITERS}
    if sniffed in scores and scores[sniffed][0] == 1.0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: (scores[d][0] == 1.0, scores[d][2], scores[d][0]))
    return best if scores[best][1] >= 2 else ","


def _find_header(sample: str, rows: list[list[str]]) -> bool:
    """A first row is a header when it has text where the rows below have numbers."""
    first, rest = rows[0], rows[1:]
    if not rest:
        return not any(is_number(c) for c in first)
    for j, cell in enumerate(first):
        below = [r[j] for r in rest if j < len(r) and r[j].strip()]
        if below and not is_number(cell) and all(is_number(c) for c in below):
            return True
    if all(is_number(c) for c in first if c.strip()):
        return False
    try:
        return csv.Sniffer().has_header(sample)
    except csv.Error:
        return False


def _column_names(header: list[str] | None, width: int) -> tuple[str, ...]:
    names = []
    for j in range(width):
        name = header[j].strip() if header is not None and j < len(header) else ""
        names.append(name or f"column {j + 1}")
    return tuple(names)


def sniff_csv(
    path: str | Path,
    *,
    delimiter: str | None = None,
    header: bool | None = None,
    encoding: str = "utf-8-sig",
) -> CsvFormat:
    """Delimiter, header, column names and a few rows, from the start of the file."""
    path = Path(path)
    sample = _read_sample(path, encoding)
    if delimiter is None:
        delimiter = _find_delimiter(sample)
    rows = _split(sample.splitlines(), delimiter)[:_SAMPLE_LINES]
    if header is None:
        header = _find_header(sample, rows)
    body = rows[1:] if header else rows
    width = len(rows[0])
    numeric = tuple(
        all(is_number(r[j]) for r in body if j < len(r) and r[j].strip()) and bool(body)
        for j in range(width)
    )
    return CsvFormat(
        delimiter=delimiter,
        has_header=bool(header),
        columns=_column_names(rows[0] if header else None, width),
        preview=tuple(tuple(r) for r in body[:10]),
        numeric=numeric,
    )
