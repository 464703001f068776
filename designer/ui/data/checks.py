"""Checking prepared data against the document's design, and the design-side fixes.

`DesignCheck.run(document, data)` answers with the advice of
`designer.data.compatibility.check_data`, or a note saying why nothing can be checked
(no data, no design, a design that does not build, several inputs). The result is
remembered: most design edits keep the input shape, output shape and loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from designer.data.compatibility import Advice, check_data
from designer.spec.compile_settings import CompileSettings
from designer.spec.design import DesignError
from designer.ui.data.fixes import output_layer
from designer.ui.document import Document


@dataclass(frozen=True)
class CheckResult:
    advice: list[Advice]
    note: str = ""  # why nothing was checked ("" when it was)
    ok_text: str = ""  # what to say when there is no advice


def fits_text(data: Any, model: Any, loss: str) -> str:
    """The one line shown when every check passes."""
    targets = tuple(data.y_train.shape[1:])
    shown = str(targets) if targets else "(one value each)"
    return (
        f"The data fits the design: samples {tuple(data.x_train.shape[1:])} match the input "
        f"{model.input_shape}, and targets {shown} suit the output {model.output_shape} "
        f"with {loss}."
    )


class DesignCheck:
    """Runs the data-versus-model checks, remembering the last answer."""

    def __init__(self) -> None:
        self._cache: tuple[Any, Any, list[Advice]] | None = None

    def run(self, document: Document, data: Any) -> CheckResult:
        if data is None:
            return CheckResult([], "Load data to check it against the design.")
        if not document.design.nodes:
            return CheckResult([], "Add layers to the design to check the data against it.")
        model = document.build_result.model
        if model is None:
            return CheckResult(
                [], "The design does not build yet; the data is checked once it does."
            )
        if isinstance(model.input_shape, list) or isinstance(model.output_shape, list):
            return CheckResult(
                [],
                "The design has several inputs or outputs; this panel prepares one input "
                "and one target array, so it cannot check them.",
            )
        loss = document.compile_settings.loss
        return CheckResult(
            self._advice(model.input_shape, model.output_shape, loss, data),
            ok_text=fits_text(data, model, loss),
        )

    def _advice(self, input_shape: Any, output_shape: Any, loss: str, data: Any) -> list[Advice]:
        # The check reads every value (ranges), which takes a moment on big image sets.
        key = (input_shape, output_shape, loss, id(data.x_train), id(data.y_train))
        if self._cache is None or self._cache[0] != key:
            advice = check_data(input_shape, output_shape, loss, data.x_train, data.y_train)
            self._cache = (key, data, advice)  # holding `data` keeps the ids valid
        return list(self._cache[2])


def input_node(design) -> str | None:
    """The design's only Input node (None when there are none or several)."""
    inputs = [n.id for n in design.nodes.values() if n.type == "Input"]
    return inputs[0] if len(inputs) == 1 else None


def design_fix_problem(document: Document, fix: dict[str, Any]) -> str:
    """Why a loss, units or input-shape fix cannot apply ('' when it can)."""
    if fix.get("action") == "units" and output_layer(document.design) is None:
        return "Cannot tell which layer is the output: set its units in the design."
    if fix.get("action") == "input_shape" and input_node(document.design) is None:
        return "The design has several inputs: set the right Input's shape in the design."
    return ""


def apply_design_fix(document: Document, fix: dict[str, Any]) -> None:
    """A loss, units (output layer) or input-shape fix (the Input), each one undoable edit.

    Raises DesignError/ParamError when the document refuses (locked, bad value).
    """
    if fix.get("action") == "loss":
        settings = CompileSettings.from_dict(document.compile_settings.to_dict())
        settings.loss = str(fix["value"])
        document.set_compile(settings, f"Set loss to {settings.loss}")
    elif fix.get("action") == "units":
        node_id = output_layer(document.design)
        if node_id is None:
            raise DesignError(design_fix_problem(document, fix))
        document.set_param(node_id, "units", int(fix["value"]))
    elif fix.get("action") == "input_shape":
        node_id = input_node(document.design)
        if node_id is None:
            raise DesignError(design_fix_problem(document, fix))
        document.set_param(node_id, "shape", tuple(int(d) for d in fix["value"]))
    else:
        raise ValueError(f"Not a design fix: {fix!r}")
