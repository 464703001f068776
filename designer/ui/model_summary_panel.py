"""The table `model.summary()` prints, kept live as the design changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Slot
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from designer.engine.models.summary import SummaryRow, readable_size, summary_rows
from designer.ui.document import Document

COLUMNS = ("Layer (type)", "Output shape", "Param #", "Connected to")


class SummaryModel(QAbstractTableModel):
    """Rows of the engine's own summary (`designer.engine.models.summary.summary_rows`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SummaryRow] = []

    def set_rows(self, rows: list[SummaryRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.name} ({row.kind})",
                row.output_shape,
                f"{row.params:,}",
                row.connected_to,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class SummaryPanel(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("summaryPanel")
        self.setAccessibleName("Model summary")
        self.model = SummaryModel(self)
        self.table = QTableView()
        self.table.setObjectName("summaryTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.totals = QLabel()
        self.totals.setObjectName("summaryTotals")
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addWidget(self.totals)
        document.build_changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        result = self.document.build_result
        model = result.model
        if not self.document.design.nodes:
            self.model.set_rows([])
            self.totals.setStyleSheet("color: palette(mid);")
            self.totals.setText("Add layers to see the model summary.")
            return
        if model is None:
            self.model.set_rows([])
            problems = result.issues[:3]
            more = len(result.issues) - len(problems)
            lines = [f"⚠ {i.message}" for i in problems] + ([f"… and {more} more"] if more else [])
            self.totals.setText(
                "The design cannot be built yet:<br>" + "<br>".join(lines) if lines else ""
            )
            self.totals.setStyleSheet("color: #b3261e;")
            return
        self.model.set_rows(summary_rows(model))
        self.table.setColumnHidden(3, type(model).__name__ == "Sequential")
        total = sum(v.size for v in model.weights)
        trainable = sum(v.size for v in model.trainable_weights)
        self.totals.setStyleSheet("")
        self.totals.setText(
            f"<b>Total params:</b> {total:,} ({readable_size(total * 4)}) &nbsp; "
            f"<b>Trainable:</b> {trainable:,} &nbsp; <b>Non-trainable:</b> {total - trainable:,}"
        )
