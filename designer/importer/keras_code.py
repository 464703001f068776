"""Import Keras code: a program like the tutorials' becomes designs with compile settings.

The code is parsed with `ast` and never executed. Statements are read top to bottom:
imports give names their Keras meaning, layer calls and `model.add` build graphs,
`model.compile` gives the settings. Data preparation, fitting and printing are
skipped silently; loops, functions and branches that build layers are reported, not
unrolled. Every argument the design cannot hold becomes a `Problem` with its line.
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

from designer.importer.calls import Calls
from designer.importer.designs import imported_models
from designer.importer.names import canonical, default_path, meaning
from designer.importer.result import ImportResult, Problem
from designer.importer.values import (
    FuncModel,
    LayerObj,
    Ref,
    SeqModel,
    Tensor,
    Unknown,
    UserClass,
    UserFunction,
)

_DESIGN_KINDS = {"layer", "input", "input_layer", "sequential", "model", "merge", "merge_k1"}
_MAX_REPAIRS = 50


class Interpreter(Calls):
    """Walks the statements of one program (see the module docstring)."""

    def run(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        line = node.lineno
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.scope[alias.asname] = Ref(canonical(alias.name))
                else:
                    first = alias.name.split(".")[0]
                    self.scope[first] = Ref(canonical(first))
        elif isinstance(node, ast.ImportFrom):
            module = canonical(node.module or "") if not node.level else "."
            for alias in node.names:
                if alias.name == "*":
                    self.star_modules.append(module)
                else:
                    path = canonical(f"{module}.{alias.name}")
                    self.scope[alias.asname or alias.name] = Ref(path)
        elif isinstance(node, ast.Assign):
            value = self.eval(node.value)
            for target in node.targets:
                self.bind(target, value, line)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self.bind(node.target, self.eval(node.value), line)
        elif isinstance(node, ast.AugAssign):
            from designer.importer.values import binary

            current = self.eval(_as_load(node.target))
            self.bind(
                node.target,
                binary(type(node.op).__name__, current, self.eval(node.value), self.text(node)),
                line,
            )
        elif isinstance(node, ast.Expr):
            self.eval(node.value)
        elif isinstance(node, ast.If):
            self.branch(node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.skip(node, "for loop", [node.body, node.orelse], "loops")
        elif isinstance(node, ast.While):
            self.skip(node, "while loop", [node.body, node.orelse], "loops")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                value = self.eval(item.context_expr)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, value, line)
            self.run(node.body)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.run(node.body)
            for handler in node.handlers:  # the try body is what normally runs
                self.skip(handler, "except block", [handler.body], "exception handlers", False)
            self.run(node.orelse)
            self.run(node.finalbody)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            builds = self.builds(node.body)
            self.scope[node.name] = UserFunction(node.name, line, builds)
            if builds:
                self.problem(
                    line,
                    f"The function {node.name} (line {line}) builds layers or a model; code "
                    "inside functions is not imported: move it to the top level.",
                )
        elif isinstance(node, ast.ClassDef):
            self.scope[node.name] = UserClass(node.name, line, self._class_kind(node))
        elif type(node).__name__ == "Match":
            self.skip(node, "match statement", [c.body for c in node.cases], "match statements")

    # -- names ------------------------------------------------------------------------
    def bind(self, target: ast.expr, value: Any, line: int) -> None:
        if isinstance(target, ast.Name):
            if isinstance(value, Unknown):
                value = value.named(target.id, line)
            elif isinstance(value, (SeqModel, FuncModel)) and not value.name:
                value.name = target.id
            elif isinstance(value, Tensor):
                self.tensor_names[value.node] = target.id
            self.scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            plain = not any(isinstance(t, ast.Starred) for t in target.elts)
            if plain and isinstance(value, (tuple, list)) and len(value) == len(target.elts):
                for element, item in zip(target.elts, value, strict=True):
                    self.bind(element, item, line)
                return
            unknown = value if isinstance(value, Unknown) else Unknown("", generic=True)
            for name in _stored_names(target):
                self.scope[name] = unknown.named(name, line)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            if isinstance(owner, (LayerObj, SeqModel, FuncModel)):
                self.problem(line, f"Setting {self.text(target)} (line {line}) is not imported.")
        elif isinstance(target, ast.Subscript):
            owner = self.eval(target.value)
            key = self.eval_index(target.slice)
            in_list = isinstance(owner, list) and isinstance(key, int) and key < len(owner)
            in_dict = isinstance(owner, dict) and isinstance(key, (str, int, float, tuple))
            if in_dict or (in_list and key >= -len(owner)):
                owner[key] = value

    # -- control flow -----------------------------------------------------------------
    def branch(self, node: ast.If) -> None:
        """An `if` whose test is known (`__name__ == '__main__'`, the image data format)
        runs its branch; any other `if` is skipped like a loop."""
        test = self.eval(node.test)
        if isinstance(test, (bool, int, float, str, tuple, type(None))):
            self.run(node.body if test else node.orelse)
        else:
            self.skip(node, "if statement", [node.body, node.orelse], "branches")

    def skip(
        self,
        node: ast.AST,
        label: str,
        bodies: list[list[ast.stmt]],
        plural: str,
        forget: bool = True,
    ) -> None:
        """Report a block that builds layers; names it sets become unknown (`forget`)."""
        line = node.lineno
        statements = [s for body in bodies for s in body]
        if self.builds(statements):
            self.problem(
                line,
                f"The {label} on line {line} adds layers or builds a model; {plural} are not "
                "imported: write each layer out.",
            )
        if not forget:
            return
        targets: list[str] = []
        for statement in statements:
            for sub in ast.walk(statement):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    targets.append(sub.id)
        if isinstance(node, (ast.For, ast.AsyncFor)):
            targets.extend(_stored_names(node.target))
        for name in targets:
            self.scope[name] = Unknown(f"{name} is set inside the {label} on line {line}")

    def builds(self, statements: list[ast.stmt]) -> bool:
        """Whether code makes layers, tensors or models, or adds to or compiles a model."""
        for statement in statements:
            for sub in ast.walk(statement):
                if not isinstance(sub, ast.Call):
                    continue
                func = sub.func
                method = isinstance(func, ast.Attribute) and func.attr in ("add", "compile", "pop")
                if method and isinstance(self.static(func.value), (SeqModel, FuncModel)):
                    return True
                value = self.static(func)
                if isinstance(value, Ref) and meaning(value.path)[0] in _DESIGN_KINDS:
                    return True
                if isinstance(value, LayerObj):
                    return True
                if isinstance(value, UserClass) and value.kind in ("layer", "model"):
                    return True
                if isinstance(value, UserFunction) and value.builds:
                    return True
        return False

    def static(self, node: ast.expr) -> Any:
        """What a name or dotted name holds now, without evaluating any call."""
        if isinstance(node, ast.Name):
            if node.id in self.scope:
                return self.scope[node.id]
            path = default_path(node.id)
            return Ref(path) if path else None
        if isinstance(node, ast.Attribute):
            owner = self.static(node.value)
            if isinstance(owner, Ref):
                return Ref(canonical(f"{owner.path}.{node.attr}"))
        return None

    def _class_kind(self, node: ast.ClassDef) -> str:
        for base in node.bases:
            value = self.static(base)
            name = value.last if isinstance(value, Ref) else self.text(base).rsplit(".", 1)[-1]
            if name in ("Model", "Sequential"):
                return "model"
            if name.endswith("Layer") or (isinstance(value, UserClass) and value.kind == "layer"):
                return "layer"
            if isinstance(value, Ref) and meaning(value.path)[0] == "layer":
                return "layer"
        return "other"

    def result(self) -> ImportResult:
        models, best = imported_models(self)
        problems = sorted(self.problems, key=lambda p: p.line)
        return ImportResult(models, problems, best)


def _as_load(target: ast.expr) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(target.id, ast.Load()), target)
    return target


def _stored_names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _parse(source: str, repair: bool) -> tuple[ast.Module | None, list[Problem], str]:
    """The syntax tree (or None), the problems met and the code the tree was read from.
    With `repair`, lines the parser rejects are re-indented or skipped (each a problem)
    until it accepts them; without, a syntax error leaves nothing to import."""
    try:
        return _ast_parse(source), [], source
    except (SyntaxError, ValueError) as error:
        first = _syntax_problem(error)
    if not repair:
        return None, [first], source
    lines = source.split("\n")
    repairs: list[Problem] = []
    touched: set[int] = set()
    for _ in range(_MAX_REPAIRS):
        repaired = "\n".join(lines)
        try:
            return _ast_parse(repaired), repairs, repaired
        except SyntaxError as error:
            number = error.lineno or 0
            if not 1 <= number <= len(lines) or not lines[number - 1].strip():
                break
            index = number - 1
            message = error.msg
            if index not in touched and (
                "expected an indented block" in message
                or "unexpected indent" in message
                or "unindent does not match" in message
            ):
                lines[index] = _reindent(lines, index, "expected an indented" in message)
                note = "the line is read with the indentation it seems to need"
                repairs.append(Problem(number, f"Syntax error: {message} (line {number}); {note}."))
            else:
                lines[index] = ""
                note = "the line is skipped"
                repairs.append(Problem(number, f"Syntax error: {message} (line {number}); {note}."))
            touched.add(index)
        except ValueError:
            break
    return None, [first], source


def _ast_parse(source: str) -> ast.Module:
    with warnings.catch_warnings():  # "invalid escape sequence" and the like: not ours
        warnings.simplefilter("ignore", SyntaxWarning)
        return ast.parse(source)


def _reindent(lines: list[str], index: int, deeper: bool) -> str:
    previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
    indent = previous[: len(previous) - len(previous.lstrip())]
    return indent + ("    " if deeper else "") + lines[index].lstrip()


def _syntax_problem(error: Exception) -> Problem:
    if isinstance(error, SyntaxError):
        line = error.lineno or 0
        return Problem(line, f"Syntax error: {error.msg} (line {line}). Nothing is imported.")
    return Problem(0, f"The code cannot be read: {error}. Nothing is imported.")


def import_keras_code(source: str, *, repair: bool = False) -> ImportResult:
    """The models a Keras program defines, as designs with compile settings.

    Never executes the code. With `repair=True`, lines with syntax errors (often
    indentation lost when code is copied from a web page) are re-indented or skipped
    and reported, instead of importing nothing.
    """
    tree, problems, code = _parse(source, repair)
    if tree is None:
        return ImportResult([], problems, None)
    interpreter = Interpreter(code)
    interpreter.problems.extend(problems)
    try:
        interpreter.run(tree.body)
    except RecursionError:
        interpreter.problem(0, "The code is nested too deeply to be read.")
    return interpreter.result()
