"""CSV tables: delimiter and header found by looking, numbers parsed by NumPy in chunks.

Rows in messages are counted as lines of the file (header included), as a text
editor shows them, so "row 7" is the seventh line. Each chunk is parsed by NumPy's C
reader; a chunk that it refuses (or that has quotes) is parsed again cell by cell with
the csv module, which finds the exact row and column to report. Fields with line
breaks inside quotes are not supported. Empty cells, nan and inf are kept (as NaN and
±inf): Prepare refuses them with their count, or drops their rows when asked.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from designer.data.csv_sniff import ENCODING_HINT, CsvFormat, is_number, sniff_csv
from designer.data.dataset import Dataset
from designer.data.errors import DataFormatError
from designer.data.labels import text_to_indices
from designer.data.progress import CancelledFn, ProgressFn, Reporter

__all__ = ["CsvFormat", "load_csv", "sniff_csv"]

CHUNK_ROWS = 4096


def _resolve(path: Path, spec: str | int, columns: tuple[str, ...]) -> int:
    if isinstance(spec, bool) or not isinstance(spec, int | str):
        raise DataFormatError(path, f"column {spec!r} is neither a column name nor an index.")
    if isinstance(spec, int):
        if not -len(columns) <= spec < len(columns):
            raise DataFormatError(
                path, f"column index {spec} is out of range: the file has {len(columns)} columns."
            )
        return spec % len(columns)
    if spec not in columns:
        raise DataFormatError(
            path, f"has no column {spec!r}. Its columns are: {', '.join(map(repr, columns))}."
        )
    return columns.index(spec)


def _bad_cell(
    path: Path, cells: np.ndarray, lines: list[int], columns: list[str]
) -> DataFormatError:
    """The first cell that is not a number (only run once parsing failed)."""
    for j, name in enumerate(columns):
        try:
            cells[:, j].astype(np.float64)
        except ValueError:
            for i, text in enumerate(cells[:, j]):
                if not is_number(text):
                    return DataFormatError(
                        path,
                        f"row {lines[i]}, column {name!r}: {str(text)!r} is not a number.",
                        row=lines[i],
                        column=name,
                    )
    return DataFormatError(path, "has a cell that is not a number.")


def _targets(
    path: Path, text: np.ndarray, lines: list[int], name: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Numbers stay numbers (integers become int64 labels); text becomes class indices.

    In a column of numbers an empty cell is a missing value (NaN), like nan and inf kept
    for Prepare to refuse or drop; in a column of class names it is an error.
    """
    text = np.char.strip(text)
    blank = text == ""
    try:
        values = np.where(blank, "nan", text).astype(np.float64)
    except ValueError:
        numeric = np.array([is_number(t) for t in text], dtype=bool)
    else:
        if np.isfinite(values).all() and np.all(values == np.round(values)):
            return values.astype(np.int64), ()
        with np.errstate(over="ignore"):
            return values.astype(np.float32), ()
    empty = np.flatnonzero(blank)
    if len(empty):
        row = lines[int(empty[0])]
        raise DataFormatError(
            path, f"row {row}, column {name!r} is empty (a missing target).", row=row, column=name
        )
    if numeric.mean() >= 0.5:
        i = int(np.flatnonzero(~numeric)[0])
        raise DataFormatError(
            path,
            f"row {lines[i]}, column {name!r}: {str(text[i])!r} is not a number.",
            row=lines[i],
            column=name,
        )
    (labels,), names = text_to_indices(text)
    return labels, names


class _Table:
    """Parses chunks of data lines into float32 features and target text."""

    def __init__(self, path: Path, fmt: CsvFormat, features: list[int], target: int) -> None:
        self.path = path
        self.delimiter = fmt.delimiter
        self.width = len(fmt.columns)
        self.features = features
        self.target = target
        self.feature_names = [fmt.columns[j] for j in features]
        self.x: list[np.ndarray] = []
        self.targets: list[np.ndarray] = []
        self.lines: list[int] = []

    def _widths_ok(self, lines: list[str]) -> bool:
        if self.delimiter == " ":
            return all(len(line.split()) == self.width for line in lines)
        expected = self.width - 1
        return all(line.count(self.delimiter) == expected for line in lines)

    def _fast(self, lines: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """NumPy's reader for plain chunks; None when the careful path must look."""
        if any('"' in line for line in lines) or not self._widths_ok(lines):
            return None
        delimiter = None if self.delimiter == " " else self.delimiter
        try:
            values = np.loadtxt(
                lines,
                delimiter=delimiter,
                usecols=self.features,
                dtype=np.float64,
                comments=None,
                quotechar=None,
                ndmin=2,
            )
        except ValueError:
            return None
        t = self.target
        if t == self.width - 1:
            text = [line.rsplit(delimiter, 1)[-1] for line in lines]
        else:
            text = [line.split(delimiter, t + 1)[t] for line in lines]
        return values, np.array(text, dtype=str)

    def _careful(self, lines: list[str], numbers: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The csv module, cell by cell: exact rows and columns for every error."""
        strip = self.delimiter == " "
        if strip:
            lines = [line.strip() for line in lines]
        reader = csv.reader(lines, delimiter=self.delimiter, skipinitialspace=strip)
        rows = []
        for index, row in enumerate(reader):
            if len(row) != self.width:
                line = numbers[min(index, len(numbers) - 1)]
                raise DataFormatError(
                    self.path,
                    f"row {line} has {len(row)} columns, expected {self.width}.",
                    row=line,
                )
            rows.append(row)
        cells = np.array(rows, dtype=str)
        picked = cells[:, self.features]
        picked = np.where(np.char.strip(picked) == "", "nan", picked)  # a missing value
        try:
            values = picked.astype(np.float64)
        except ValueError:
            raise _bad_cell(self.path, picked, numbers, self.feature_names) from None
        return values, cells[:, self.target]

    def add(self, lines: list[str], numbers: list[int]) -> None:
        parsed = self._fast(lines) or self._careful(lines, numbers)
        with np.errstate(over="ignore"):
            values = parsed[0].astype(np.float32)  # too large for float32: inf
        self.x.append(values)
        self.targets.append(parsed[1])
        self.lines.extend(numbers)


def _read_rows(
    path: Path, fmt: CsvFormat, encoding: str, table: _Table, reporter: Reporter
) -> None:
    total = max(path.stat().st_size, 1)
    done = 0
    lines: list[str] = []
    numbers: list[int] = []
    skip_header = fmt.has_header
    try:
        with path.open("r", encoding=encoding, newline="") as stream:
            for number, line in enumerate(stream, start=1):
                done += len(line)
                if not line.strip():
                    continue
                if skip_header:
                    skip_header = False
                    continue
                lines.append(line)
                numbers.append(number)
                if len(lines) >= CHUNK_ROWS:
                    table.add(lines, numbers)
                    lines, numbers = [], []
                    reporter.report(0.98 * done / total)
            if lines:
                table.add(lines, numbers)
    except UnicodeDecodeError as error:
        raise DataFormatError(
            path, f"is not {encoding} text ({error.reason}).", ENCODING_HINT
        ) from None
    except csv.Error as error:
        raise DataFormatError(path, f"is not valid CSV: {error}.") from None


def load_csv(
    path: str | Path,
    *,
    delimiter: str | None = None,
    header: bool | None = None,
    feature_columns: Sequence[str | int] | None = None,
    target_column: str | int | None = -1,
    encoding: str = "utf-8-sig",
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> Dataset:
    """A Dataset from a CSV table: features as float32, the target column as labels.

    By default the last column is the target and all others are features. A text
    target (e.g. "setosa") is mapped to class indices in sorted order, kept in
    `class_names`. Raises DataFormatError naming the row and column of a bad cell.
    """
    from designer.data.source import DataSource

    path = Path(path)
    reporter = Reporter(progress, cancelled)
    reporter.check()
    fmt = sniff_csv(path, delimiter=delimiter, header=header, encoding=encoding)
    columns = fmt.columns
    width = len(columns)
    target = _resolve(path, -1 if target_column is None else target_column, columns)
    if feature_columns is None:
        features = [j for j in range(width) if j != target]
    else:
        features = [_resolve(path, c, columns) for c in feature_columns]
    if not features:
        raise DataFormatError(
            path,
            f"has {width} column(s) but no feature columns besides the target {columns[target]!r}.",
            "A CSV file needs feature columns and a target column.",
        )
    if target in features:
        raise DataFormatError(path, f"column {columns[target]!r} is both a feature and the target.")
    table = _Table(path, fmt, features, target)
    _read_rows(path, fmt, encoding, table, reporter)
    if not table.x:
        raise DataFormatError(
            path, "has a header but no data rows." if fmt.has_header else "has no data rows."
        )
    x = np.concatenate(table.x)
    y, class_names = _targets(path, np.concatenate(table.targets), table.lines, columns[target])
    reporter.report(1.0)
    options: dict = {"path": str(path), "encoding": encoding}
    if delimiter is not None:
        options["delimiter"] = delimiter
    if header is not None:
        options["header"] = header
    if feature_columns is not None:
        options["feature_columns"] = list(feature_columns)
    options["target_column"] = target_column
    return Dataset(
        x,
        y,
        feature_names=tuple(table.feature_names),
        class_names=class_names,
        source=DataSource("csv", options),
        name=path.stem,
    )
