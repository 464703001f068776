"""What an import hands back: the models found, each as a design with its compile
settings, and every problem met on the way (with the line it is about)."""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Design


@dataclass(frozen=True)
class Problem:
    """Something in the code that the design does not (or cannot) reproduce."""

    line: int
    message: str

    def text(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ImportedModel:
    name: str  # the variable the model was assigned to
    design: Design
    compile: CompileSettings | None  # None when the code never compiles the model
    line: int  # where the model is created


@dataclass
class ImportResult:
    models: list[ImportedModel] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    best_index: int | None = None  # index in `models` of the model compiled/fitted last

    @property
    def best(self) -> ImportedModel | None:
        """The model compiled or fitted last (what the program trains), else the last one."""
        if not self.models:
            return None
        if self.best_index is not None:
            return self.models[self.best_index]
        return self.models[-1]

    def problems_on(self, line: int) -> list[Problem]:
        return [p for p in self.problems if p.line == line]
