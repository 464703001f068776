"""A CSV table as a data source: sniffed delimiter and header, target and feature columns.

The file is sniffed as soon as it is chosen, so the target and feature columns are
picked from the file's own column names; the delimiter and header can be overridden.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem

from designer.data.csv_sniff import CsvFormat
from designer.data.errors import DataFormatError
from designer.data.source import DataSource
from designer.ui.data.source_forms import SourceForm
from designer.ui.data.widgets import (
    AskPath,
    PathRow,
    compact_form,
    error_label,
    muted_label,
    set_note,
    stacked,
)

CSV_FILTER = "CSV tables (*.csv *.tsv *.txt);;All files (*)"
DELIMITERS = (("Comma", ","), ("Semicolon", ";"), ("Tab", "\t"), ("Pipe", "|"), ("Space", " "))


class CsvForm(SourceForm):
    """A CSV file with its sniffed delimiter and header, target and feature columns."""

    title = "CSV table"
    kinds = ("csv",)

    def __init__(self, ask: AskPath) -> None:
        super().__init__()
        self.format: CsvFormat | None = None
        self.file = PathRow("csv", "CSV file", CSV_FILTER, ask)
        self.file.path_changed.connect(self._sniff)
        self.info = muted_label(name="csvInfo")
        self.info.hide()
        self.error = error_label("csvError")
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("csvDelimiter")
        self.delimiter.setAccessibleName("Delimiter")
        self.delimiter.addItem("Automatic", None)
        for text, value in DELIMITERS:
            self.delimiter.addItem(f"{text}  {value.strip() or ''}".strip(), value)
        self.header = QComboBox()
        self.header.setObjectName("csvHeader")
        self.header.setAccessibleName("Header row")
        for text, value in (("Automatic", None), ("First row", True), ("None", False)):
            self.header.addItem(text, value)
        for combo in (self.delimiter, self.header):
            combo.activated.connect(self._sniff)
        self.target = QComboBox()
        self.target.setObjectName("csvTarget")
        self.target.setAccessibleName("Target column")
        self.target.currentIndexChanged.connect(self._on_target)
        self.features = QListWidget()
        self.features.setObjectName("csvFeatures")
        self.features.setAccessibleName("Feature columns")
        self.features.setMaximumHeight(96)
        self.features.itemChanged.connect(self.changed)
        form = compact_form()
        form.addRow("File", stacked(self.file, self.info, self.error))
        form.addRow("Delimiter", self.delimiter)
        form.addRow("Header", self.header)
        form.addRow("Target", self.target)
        form.addRow("Features", self.features)
        self._column().addLayout(form)

    @Slot()
    def _sniff(self) -> None:
        from designer.data.csv_loader import sniff_csv

        self.format = None
        path = self.file.path
        set_note(self.error, "")
        set_note(self.info, "")
        if path:
            try:
                self.format = sniff_csv(
                    path, delimiter=self.delimiter.currentData(), header=self.header.currentData()
                )
            except DataFormatError as error:
                set_note(self.error, str(error))
        self._show_format()
        self.changed.emit()

    def _show_format(self) -> None:
        fmt = self.format
        previous_target = self.target.currentText()
        self.target.blockSignals(True)
        self.target.clear()
        self.features.clear()
        if fmt is not None:
            name = dict((v, t) for t, v in DELIMITERS).get(fmt.delimiter, repr(fmt.delimiter))
            header = "a header row" if fmt.has_header else "no header row"
            set_note(self.info, f"{len(fmt.columns)} columns, {name.lower()}-separated, {header}.")
            self.delimiter.setItemText(0, f"Automatic ({name.lower()})")
            self.header.setItemText(0, f"Automatic ({'first row' if fmt.has_header else 'none'})")
            for column, numeric in zip(fmt.columns, fmt.numeric, strict=True):
                self.target.addItem(column if numeric else f"{column} (text)", column)
                item = QListWidgetItem(column)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.features.addItem(item)
            index = self.target.findData(previous_target)
            self.target.setCurrentIndex(index if index >= 0 else len(fmt.columns) - 1)
        self.target.blockSignals(False)
        self._on_target()

    @Slot()
    def _on_target(self) -> None:
        """The target column cannot be a feature; the previous target becomes one again."""
        target = self.target.currentIndex()
        enabled = Qt.ItemFlag.ItemIsEnabled
        self.features.blockSignals(True)
        for row in range(self.features.count()):
            item = self.features.item(row)
            if row == target:
                item.setFlags(item.flags() & ~enabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            elif not item.flags() & enabled:
                item.setFlags(item.flags() | enabled)
                item.setCheckState(Qt.CheckState.Checked)
        self.features.blockSignals(False)
        self.changed.emit()

    def _column_ref(self, index: int) -> str | int:
        fmt = self.format
        return fmt.columns[index] if fmt is not None and fmt.has_header else index

    def problem(self) -> str:
        if not self.file.path:
            return "Choose a CSV file."
        return self.error.text() if self.format is None else ""

    def source(self) -> DataSource:
        if not self.file.path:
            raise ValueError("Choose a CSV file first.")
        if self.format is None:
            self._sniff()
            if self.format is None:
                raise ValueError(self.error.text())
        target = self.target.currentIndex()
        checked = [
            row
            for row in range(self.features.count())
            if self.features.item(row).checkState() == Qt.CheckState.Checked
        ]
        if not checked:
            raise ValueError("Choose at least one feature column.")
        others = [row for row in range(self.features.count()) if row != target]
        options = {
            "path": str(Path(self.file.path)),
            "delimiter": self.delimiter.currentData(),
            "header": self.header.currentData(),
            "target_column": self._column_ref(target),
            "feature_columns": None
            if checked == others
            else [self._column_ref(row) for row in checked],
        }
        return DataSource("csv", {k: v for k, v in options.items() if v is not None})

    def set_source(self, source: DataSource) -> None:
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(source.option("delimiter"))))
        self.header.setCurrentIndex(max(0, self.header.findData(source.option("header"))))
        self.file.set_path(source.option("path"))
        self._sniff()
        if self.format is None:
            return
        columns = self.format.columns

        def index_of(ref: str | int) -> int:
            return columns.index(ref) if isinstance(ref, str) else ref % len(columns)

        try:
            target = index_of(source.option("target_column"))
            self.target.setCurrentIndex(target)
            chosen = source.option("feature_columns")
            if chosen is not None:
                wanted = {index_of(ref) for ref in chosen}
                for row in range(self.features.count()):
                    state = Qt.CheckState.Checked if row in wanted else Qt.CheckState.Unchecked
                    self.features.item(row).setCheckState(state)
        except (ValueError, IndexError, ZeroDivisionError):
            pass  # the file changed since; keep the defaults the sniffer gave
