"""File > Import > Keras Code: paste or open a Keras program and see its network.

The program is parsed, never run. The dialog shows each model it found and every line
it could not map; importing makes a new, untitled project from the chosen model.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from designer.importer import import_keras_code
from designer.project import Project
from designer.spec.catalog import catalog

EXAMPLE = """from keras.models import Sequential
from keras.layers import Dense

model = Sequential([Dense(20, input_dim=5, activation='tanh'), Dense(1, activation='tanh')])
model.compile('adam', 'hinge', metrics=['accuracy'])
"""


class CodeImportDialog(QDialog):
    """Paste code → live analysis → Import."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.setObjectName("codeImportDialog")
        self.setWindowTitle("Import Keras Code")
        self.resize(900, 620)
        self.result_ = None
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("codeEditor")
        self.editor.setAccessibleName("Keras code")
        self.editor.setPlaceholderText("Paste a Keras program here, e.g.\n\n" + EXAMPLE)
        self.editor.setFont(QFont("monospace"))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        open_button = QPushButton("Open File…")
        open_button.clicked.connect(self._open_file)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelChoice")
        self.model_combo.currentIndexChanged.connect(self._show_model)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.problems.setWordWrap(True)
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.itemActivated.connect(self._jump_to_line)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(QLabel("Model:"))
        row.addWidget(self.model_combo, 1)
        right.addLayout(row)
        right.addWidget(self.summary)
        right.addWidget(QLabel("Not imported (double-click to see the line):"))
        right.addWidget(self.problems, 1)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.editor, 1)
        left.addWidget(open_button, 0, Qt.AlignmentFlag.AlignLeft)
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.analyse)
        self.editor.textChanged.connect(self._timer.start)
        self.analyse()

    def ask_open_path(self) -> str:
        return QFileDialog.getOpenFileName(
            self, "Open Keras program", "", "Python files (*.py *.txt);;All files (*)"
        )[0]

    @Slot()
    def _open_file(self) -> None:
        path = self.ask_open_path()
        if path:
            try:
                self.editor.setPlainText(Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                self.summary.setText(f"Cannot read {Path(path).name}: {error}")

    @Slot()
    def analyse(self) -> None:
        source = self.editor.toPlainText()
        result = import_keras_code(source)
        if not result.models and any("syntax" in p.message.lower() for p in result.problems):
            repaired = import_keras_code(source, repair=True)
            if repaired.models:
                result = repaired
        self.result_ = result
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for model in result.models:
            self.model_combo.addItem(f"{model.name} (line {model.line})")
        if result.models:
            self.model_combo.setCurrentIndex(result.models.index(result.best))
        self.model_combo.blockSignals(False)
        self.problems.clear()
        for problem in result.problems:
            self.problems.addItem(problem.text())
        self._show_model()

    @Slot()
    def _show_model(self) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        model = self.chosen()
        ok_button.setEnabled(model is not None)
        if model is None:
            self.summary.setText(
                "No model found yet."
                if self.editor.toPlainText().strip()
                else "Paste a program that builds a Keras model."
            )
            return
        order = model.design.chain_order()
        nodes = (
            [model.design.nodes[n] for n in order] if order else list(model.design.nodes.values())
        )
        layers = " → ".join(
            f"{n.type} {catalog()[n.type].key_settings(n.params)}".strip() for n in nodes
        )
        compiled = (
            f"<br>Compile: {model.compile.optimizer}, {model.compile.loss}, "
            f"{', '.join(model.compile.metrics) or 'no metrics'}"
            if model.compile
            else "<br>Not compiled in the code."
        )
        self.summary.setText(f"<b>{len(nodes)} layers</b>: {layers}{compiled}")

    def chosen(self):
        if self.result_ is None or not self.result_.models:
            return None
        index = self.model_combo.currentIndex()
        return self.result_.models[index] if 0 <= index < len(self.result_.models) else None

    @Slot()
    def _jump_to_line(self, item) -> None:
        import re

        match = re.search(r"line (\d+)", item.text())
        if match:
            block = self.editor.document().findBlockByLineNumber(int(match.group(1)) - 1)
            cursor = self.editor.textCursor()
            cursor.setPosition(block.position())
            self.editor.setTextCursor(cursor)
            self.editor.setFocus()

    def apply(self) -> bool:
        """Make the chosen model the open project (after asking about unsaved work)."""
        model = self.chosen()
        if model is None:
            return False
        project = Project(design=model.design)
        if model.compile is not None:
            project.compile = model.compile
        return self.window.projects.new(project)
