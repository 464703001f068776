"""Expressions without running them: names, constants, arithmetic, attributes, indexing.

The state of the walk through a program (what each name holds, the layers, tensors
and models made so far, the image data format, the problems found) lives here too.
Calls are in `calls.py`, statements in `keras_code.py`.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any

from designer.importer.names import canonical, default_path, meaning
from designer.importer.result import Problem
from designer.importer.values import (
    Assumed,
    DataArray,
    DataDict,
    FuncModel,
    GNode,
    LayerObj,
    Pending,
    Ref,
    SeqModel,
    Tensor,
    Unknown,
    binary,
    strip_assumed,
    unary,
)

_BUILTINS = {"int", "float", "len", "tuple", "list", "abs", "round", "max", "min", "sum", "str"}


def text_of(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        return ast.unparse(node)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "..."


class Evaluator:
    """Names and expressions; shared state of one import."""

    def __init__(self, source: str = "") -> None:
        self.source = source
        # ast's columns count UTF-8 bytes; lines split as the tokenizer does.
        self._encoded_lines = [line.encode("utf-8") for line in re.split("\r\n|\r|\n", source)]
        self.scope: dict[str, Any] = {"__name__": "__main__"}
        self.star_modules: list[str] = []
        self.problems: list[Problem] = []
        self.image_format = "channels_last"
        self.nodes: list[GNode] = []
        self.layers: list[LayerObj] = []
        self.models: list[SeqModel | FuncModel] = []
        self.tensor_names: dict[GNode, str] = {}
        self._assumed_imports: set[str] = set()

    def text(self, node: ast.AST | None) -> str:
        """The code of `node` as written (on one line), for messages."""
        if node is None:
            return ""
        try:
            first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
            start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
            if last - first > 30 or last < first:
                return text_of(node)
            rows = self._encoded_lines[first : last + 1]
            if first == last:
                pieces = [rows[0][start:end]]
            else:
                pieces = [rows[0][start:], *rows[1:-1], rows[-1][:end]]
            segment = b"\n".join(pieces).decode("utf-8")
        except (AttributeError, IndexError, TypeError, UnicodeDecodeError):
            return text_of(node)
        return " ".join(segment.split()) or text_of(node)

    def later(self, node: ast.AST) -> Unknown:
        """The value of code that only running the program would give."""
        return Unknown(f"{self.text(node)} is only known when the program runs", generic=True)

    # -- problems ---------------------------------------------------------------------
    def problem(self, line: int, message: str) -> None:
        item = Problem(line, message)
        if item not in self.problems:
            self.problems.append(item)

    def use_pending(self, value: Pending, line: int) -> None:
        """Report the notes of a setting object once, when a design first uses it."""
        if value.reported:
            return
        value.reported = True
        for note in value.notes:
            self.problem(value.line, note if "(line" in note else f"{note} (line {value.line}).")

    # -- names ------------------------------------------------------------------------
    def lookup(self, name: str, line: int, quiet: bool = False) -> Any:
        if name in self.scope:
            return self.scope[name]
        for module in self.star_modules:
            path = canonical(f"{module}.{name}")
            if meaning(path)[0] not in ("keras", "other"):
                return Ref(path)
        if name in _BUILTINS or name == "print":
            return Ref(f"builtins.{name}")
        path = default_path(name)
        if path is not None:
            if not quiet and name not in self._assumed_imports:
                self._assumed_imports.add(name)
                self.problem(
                    line, f"{name} is used without an import (line {line}); it is read as {path}."
                )
            return Ref(path)
        return Unknown(f"{name} is not defined")

    # -- expressions ------------------------------------------------------------------
    def eval(self, node: ast.expr) -> Any:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.lookup(node.id, line)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.eval(node.value), node.attr, node)
        if isinstance(node, (ast.Tuple, ast.List)):
            items = self.eval_items(node.elts)
            return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.Dict):
            return self.eval_dict(node)
        if isinstance(node, ast.BinOp):
            return binary(
                type(node.op).__name__, self.eval(node.left), self.eval(node.right), self.text(node)
            )
        if isinstance(node, ast.UnaryOp):
            return unary(type(node.op).__name__, self.eval(node.operand), self.text(node))
        if isinstance(node, ast.Subscript):
            return self.subscript(self.eval(node.value), self.eval_index(node.slice), node)
        if isinstance(node, ast.Call):
            return self.call(node)  # type: ignore[attr-defined]
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            values = [self.eval(v) for v in node.values]
            if all(isinstance(v, (bool, int, float, str, type(None))) for v in values):
                if isinstance(node.op, ast.And):
                    return all(values)
                return any(values)
            return self.later(node)
        if isinstance(node, ast.IfExp):
            test = self.eval(node.test)
            if isinstance(test, (bool, int, float, str, type(None))):
                return self.eval(node.body if test else node.orelse)
            return self.later(node)
        if isinstance(node, ast.NamedExpr):
            value = self.eval(node.value)
            self.bind(node.target, value, line)  # type: ignore[attr-defined]
            return value
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp)):
            if self.builds([ast.Expr(node)]):  # type: ignore[attr-defined]
                self.problem(
                    line,
                    f"A comprehension (line {line}) makes layers; loops are not imported: "
                    "write each layer out.",
                )
                return Unknown(f"it is made by the comprehension on line {line}")
            return self.later(node)
        if isinstance(node, ast.Lambda):
            from designer.importer.values import UserFunction

            return UserFunction("lambda", line)
        return self.later(node)

    def eval_items(self, elements: list[ast.expr]) -> list[Any]:
        items: list[Any] = []
        for element in elements:
            if isinstance(element, ast.Starred):
                value = self.eval(element.value)
                if isinstance(value, (list, tuple)):
                    items.extend(value)
                else:
                    items.append(self.later(element))
            else:
                items.append(self.eval(element))
        return items

    def eval_dict(self, node: ast.Dict) -> Any:
        result = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.eval(value_node)
            key = self.eval(key_node) if key_node is not None else None
            if isinstance(key, (str, int, float, bool, tuple)):
                result[key] = value
        return result

    def eval_index(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Slice):
            bounds = (node.lower, node.upper, node.step)
            parts = [None if p is None else strip_assumed(self.eval(p))[0] for p in bounds]
            if all(p is None or isinstance(p, int) for p in parts):
                return slice(*parts)
            return Unknown("a slice only known when the program runs")
        return self.eval(node)

    def compare(self, node: ast.Compare) -> Any:
        left = strip_assumed(self.eval(node.left))[0]
        simple = (bool, int, float, str, tuple, type(None))
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = strip_assumed(self.eval(right_node))[0]
            if not isinstance(left, simple) or not isinstance(right, simple):
                return self.later(node)
            table = {
                ast.Eq: lambda a, b: a == b,
                ast.NotEq: lambda a, b: a != b,
                ast.Is: lambda a, b: a is b,
                ast.IsNot: lambda a, b: a is not b,
                ast.Lt: lambda a, b: a < b,
                ast.LtE: lambda a, b: a <= b,
                ast.Gt: lambda a, b: a > b,
                ast.GtE: lambda a, b: a >= b,
                ast.In: lambda a, b: a in b,
                ast.NotIn: lambda a, b: a not in b,
            }
            fn = table.get(type(op))
            if fn is None:
                return self.later(node)
            try:
                holds = fn(left, right)
            except TypeError:
                return Unknown(f"{self.text(node)} cannot be computed", generic=True)
            if not holds:
                return False
            left = right
        return True

    def attribute(self, value: Any, attr: str, node: ast.expr) -> Any:
        if isinstance(value, Ref):
            return Ref(canonical(f"{value.path}.{attr}"))
        if isinstance(value, Unknown):
            return value
        if isinstance(value, DataArray):
            if attr == "shape":
                return data_shape(value)
            if attr == "ndim":
                return len(value.shape)
            if attr == "T":
                return DataArray(tuple(reversed(value.shape)), value.note)
            return value
        if isinstance(value, Tensor):
            return Unknown(f"{self.text(node)} of a tensor is not imported")
        if isinstance(value, (LayerObj, SeqModel, FuncModel)):
            return Unknown(f"{self.text(node)} is not imported")
        return self.later(node)

    def subscript(self, value: Any, index: Any, node: ast.Subscript) -> Any:
        plain_index = strip_assumed(index)[0]
        if isinstance(value, Unknown):
            return value
        if isinstance(value, (tuple, list, str)) and isinstance(plain_index, (int, slice)):
            try:
                return value[plain_index]
            except IndexError:
                return Unknown(f"{self.text(node)} is out of range")
        hashable = isinstance(plain_index, (str, int, float, tuple))
        if isinstance(value, dict) and hashable and plain_index in value:
            return value[plain_index]
        if isinstance(value, DataDict) and plain_index in value.arrays:
            return value.arrays[plain_index]
        if isinstance(value, DataArray) and value.shape:
            if isinstance(plain_index, int):
                return DataArray(value.shape[1:], value.note, value.classes)
            if isinstance(plain_index, slice):
                return DataArray((None, *value.shape[1:]), value.note, value.classes)
        if isinstance(value, Tensor):
            return Unknown(f"slicing a tensor ({self.text(node)}) is not imported")
        return self.later(node)


def data_shape(array: DataArray) -> tuple[Any, ...]:
    """`.shape` of a data array: numbers, Assumed when read from a known data set."""
    if array.note is None:
        return tuple(
            d if d is not None else Unknown("a length only known at run time") for d in array.shape
        )
    return tuple(
        Assumed(d, array.note) if d is not None else Unknown("a length only known at run time")
        for d in array.shape
    )


def reshape(array: DataArray, dims: list[Any]) -> Any:
    """`array.reshape(...)` with -1 resolved when the size is known."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = list(dims[0])
    plain = [strip_assumed(d)[0] for d in dims]
    if not all(isinstance(d, int) and not isinstance(d, bool) for d in plain):
        return Unknown("a reshape only known when the program runs", generic=True)
    if -1 in plain and None not in array.shape:
        known = math.prod(d for d in plain if d != -1)
        total = math.prod(array.shape)
        if known and total % known == 0:
            plain = [total // known if d == -1 else d for d in plain]
    return DataArray(tuple(plain), array.note, array.classes)
