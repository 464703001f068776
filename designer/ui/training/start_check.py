"""Why Start cannot run right now, and the one-click fix when there is one.

The reasons come in the order a person meets them: the design locked, no layers, a
design that does not build, an unusable typed setting, no data, data that does not fit.
The data check is the Data panel's own (`DesignCheck`), so both panels say the same.
"""

from __future__ import annotations

from designer.ui.data.checks import DesignCheck
from designer.ui.document import Document
from designer.ui.training.controller import TrainingController
from designer.ui.training.settings import TrainingSettings

NO_DATA = "Load or generate data first (Data panel)."
BUILD_PROBLEM = "The design cannot be built:"
DATA_PROBLEM = "The data does not fit the design:"
# Fixes the panel can apply itself (they edit the design or the compile settings).
DESIGN_ACTIONS = ("input_shape", "units", "loss")


class StartCheck:
    """Answers "can Start run?" for one panel, remembering the last data check."""

    def __init__(self) -> None:
        self._data_check = DesignCheck()

    def run(
        self, document: Document, controller: TrainingController, settings: TrainingSettings
    ) -> tuple[str, dict | None]:
        """The reason Start cannot run ('' when it can), and the fix for it or None."""
        if controller.running:
            return "", None
        if document.locked_reason:
            return document.locked_reason, None
        if not document.design.nodes:
            return "Add layers to the design first.", None
        result = document.build_result
        if not result.ok:
            return f"{BUILD_PROBLEM} {result.issues[0].message}", None
        problems = settings.problems()
        if problems:
            return " ".join(problems), None
        if document.data is None:
            return NO_DATA, None
        return self._data_problem(document)

    def _data_problem(self, document: Document) -> tuple[str, dict | None]:
        """The data does not fit the design: the first error of the Data panel's check."""
        check = self._data_check.run(document, document.data)
        if check.note:
            return f"{DATA_PROBLEM} {check.note}", None
        errors = [a for a in check.advice if a.severity == "error"]
        if not errors:
            return "", None
        first = errors[0]
        fix = next((f for f in first.fixes if f.get("action") in DESIGN_ACTIONS), None)
        return f"{DATA_PROBLEM} {first.message}", fix
