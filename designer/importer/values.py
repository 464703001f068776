"""The values the importer reasons with instead of running the code.

Plain Python constants stand for themselves. Everything else is one of the small
classes below: a reference into the Keras API (`Ref`), a layer made in the code
(`LayerObj`), a symbolic tensor (`Tensor`), a model under construction, or `Unknown`
with the reason it cannot be known without running the program. Arithmetic is the
tiny evaluator the brief allows: numbers, strings and tuples only.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any

from designer.spec.compile_settings import CompileSettings


@dataclass(frozen=True)
class Unknown:
    """A value that only running the program would give; `reason` says why."""

    reason: str
    generic: bool = False  # True: reword with the variable's name when it is bound
    source: str = ""  # e.g. "the data loaded on line 9": "<name> comes from <source>"

    def named(self, name: str, line: int) -> Unknown:
        """The same unknown, explained through the variable it is bound to."""
        if self.source:
            return Unknown(f"{name} comes from {self.source}", source=self.source)
        if self.generic:
            return Unknown(f"{name} is only known when the program runs (line {line})")
        return self


@dataclass(frozen=True)
class Assumed:
    """A number read from the standard shapes of a known data set (MNIST, CIFAR...)."""

    value: int | float
    note: str


@dataclass(frozen=True)
class DataArray:
    """An array whose shape is known (random data of literal size, a known data set)."""

    shape: tuple[Any, ...]
    note: str | None = None  # set when the shape is assumed from a known data set
    classes: int | None = None  # integer labels 0..classes-1


@dataclass(frozen=True)
class DataDict:
    arrays: dict[str, DataArray]


@dataclass(frozen=True)
class Ref:
    """A module, class or function reached through imports, by canonical dotted path."""

    path: str

    @property
    def last(self) -> str:
        return self.path.rsplit(".", 1)[-1]


@dataclass(eq=False)
class UserFunction:
    name: str
    line: int
    builds: bool = False  # its body makes layers or models


@dataclass(eq=False)
class UserClass:
    name: str
    line: int
    kind: str = "other"  # "layer", "model" or "other"


@dataclass(eq=False)
class LayerObj:
    """A layer object made in the code: `Dense(20, activation='tanh')`."""

    class_name: str
    type: str | None  # catalog type; None when the designer has no such layer
    line: int
    params: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    declared_shape: Any = None  # input_shape=/input_dim=/batch_input_shape= (no batch)
    shape_text: str = ""  # the argument as written, for messages
    calls: list[GNode] = field(default_factory=list)
    used: bool = False


@dataclass(eq=False)
class GNode:
    """One call of a layer on tensors (an Input is a call without inputs)."""

    key: int
    layer: LayerObj
    inputs: list[GNode | None]
    line: int


@dataclass(eq=False)
class Tensor:
    node: GNode


@dataclass(eq=False)
class SeqModel:
    line: int
    items: list[Any] = field(default_factory=list)  # LayerObj, or a Tensor of an Input
    name: str = ""
    compile: CompileSettings | None = None
    last_used: int = 0  # line of the latest compile/fit


@dataclass(eq=False)
class FuncModel:
    line: int
    inputs: list[GNode]
    outputs: list[GNode]
    name: str = ""
    compile: CompileSettings | None = None
    last_used: int = 0
    implicit: bool = False  # layers never wrapped in Model(...)


@dataclass(eq=False)
class Pending:
    """A setting object (optimizer, loss, metric, initializer, regularizer) with the
    problems it carries; they are reported when the object is used in a design."""

    kind: str  # "optimizer", "loss", "metric", "initializer", "regularizer", "activation"
    name: str | None  # the app's name for it; None when it has none
    line: int
    label: str = ""  # as written, e.g. "AUC"
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reported: bool = False


Model = SeqModel | FuncModel

_OPS = {
    "Add": operator.add,
    "Sub": operator.sub,
    "Mult": operator.mul,
    "Div": operator.truediv,
    "FloorDiv": operator.floordiv,
    "Mod": operator.mod,
    "Pow": operator.pow,
}


def _plain(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, Assumed):
        return value.value, value.note
    return value, None


def binary(op: str, left: Any, right: Any, text: str) -> Any:
    """`left op right` for numbers, strings and tuples; Unknown otherwise."""
    for side in (left, right):
        if isinstance(side, Unknown):
            return side
    if isinstance(left, Tensor) or isinstance(right, Tensor):
        return Unknown(
            f"arithmetic on tensors ({text}) is not imported; use a merge layer such as Add"
        )
    if isinstance(left, DataArray) and _number(right):
        return left
    if isinstance(right, DataArray) and _number(left):
        return right
    a, note_a = _plain(left)
    b, note_b = _plain(right)
    fn = _OPS.get(op)
    allowed = (int, float, str, tuple, list)
    if fn is None or not isinstance(a, allowed) or not isinstance(b, allowed) or _too_big(op, a, b):
        return Unknown(f"{text} is computed when the program runs", generic=True)
    try:
        result = fn(a, b)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return Unknown(f"{text} cannot be computed", generic=True)
    if isinstance(result, (str, tuple, list)) and len(result) > 10_000:
        return Unknown(f"{text} is too large to evaluate", generic=True)
    note = note_a or note_b
    if note and isinstance(result, (int, float)) and not isinstance(result, bool):
        return Assumed(result, note)
    return result


def _too_big(op: str, a: Any, b: Any) -> bool:
    """Whether computing `a op b` could take much time or memory (`'x' * 10**9`)."""
    sequence = (str, tuple, list)
    if op == "Mult" and (isinstance(a, sequence) or isinstance(b, sequence)):
        count = b if isinstance(a, sequence) else a
        return isinstance(count, int) and count > 10_000
    if op == "Pow":
        return isinstance(b, (int, float)) and abs(b) > 256
    return False


def unary(op: str, value: Any, text: str) -> Any:
    if isinstance(value, Unknown):
        return value
    plain, note = _plain(value)
    if op == "Not":
        return not plain if isinstance(plain, (bool, int, float, str, tuple)) else Unknown(text)
    if not _number(plain):
        return Unknown(f"{text} is computed when the program runs", generic=True)
    result = -plain if op == "USub" else +plain if op == "UAdd" else ~plain
    return Assumed(result, note) if note else result


def _number(value: Any) -> bool:
    return isinstance(value, (int, float, Assumed)) and not isinstance(value, bool)


def is_constant(value: Any) -> bool:
    """Plain data that can stand in a layer parameter (maybe with Assumed numbers)."""
    if isinstance(value, (tuple, list)):
        return all(is_constant(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str, Assumed))


def strip_assumed(value: Any) -> tuple[Any, str | None]:
    """The plain value and the note of any assumed number inside it."""
    if isinstance(value, Assumed):
        return value.value, value.note
    if isinstance(value, (tuple, list)):
        items, notes = zip(*(strip_assumed(v) for v in value), strict=True) if value else ((), ())
        note = next((n for n in notes if n), None)
        return type(value)(items), note
    return value, None


def find_unknown(value: Any) -> Unknown | None:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (tuple, list)):
        for item in value:
            found = find_unknown(item)
            if found is not None:
                return found
    return None
