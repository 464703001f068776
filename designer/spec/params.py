"""Typed parameter descriptions: what the property editor shows and what validation checks.

A `ParamSpec` knows its kind, default, limits, choices and help text; `check` turns a
value typed by a user (or read from a file) into the value the engine gets, or says
precisely what is wrong with it.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

# Kinds the editor knows how to show.
KINDS = (
    "int",  # spin box
    "float",  # spin box with decimals
    "bool",  # check box
    "choice",  # drop-down of `choices`
    "activation",  # drop-down of the engine's activations
    "initializer",  # drop-down of the engine's initializers
    "regularizer",  # drop-down: none, l1, l2, l1_l2
    "int_tuple",  # "5, 5" → (5, 5); `size` fixes the length
    "shape",  # "28, 28, 1" → (28, 28, 1), any length >= 1
    "optional_int",  # an int or empty (None)
    "text",  # a non-empty name, e.g. the metric early stopping watches
)


class ParamError(ValueError):
    """A parameter value that cannot be used; the message names the parameter."""

    def __init__(self, name: str, message: str, reason: str = "") -> None:
        self.param = name
        self.reason = reason or message  # the message without the parameter's label
        super().__init__(message)


@dataclass(frozen=True)
class ParamSpec:
    name: str
    kind: str
    default: Any
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    size: int | None = None  # for int_tuple: how many numbers (a single int is repeated)
    advanced: bool = False  # shown under "More settings"
    title: str = ""  # the label a form shows, when the name reads badly ("n" -> "Samples")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown parameter kind {self.kind!r} for {self.name}")

    @property
    def label(self) -> str:
        return self.title or self.name.replace("_", " ").capitalize()

    def check(self, value: Any) -> Any:
        """The engine-ready value, or ParamError naming what was expected."""
        kind = self.kind
        if kind == "bool":
            if isinstance(value, bool):
                return value
            raise self._error(f"expected true or false, received {value!r}")
        if kind in ("int", "optional_int"):
            if kind == "optional_int" and (value is None or value == ""):
                return None
            number = _parse_int(value)
            if number is None:
                raise self._error(f"expected a whole number, received {value!r}")
            return self._in_range(number)
        if kind == "float":
            if isinstance(value, bool):
                raise self._error(f"expected a number, received {value!r}")
            try:
                number = float(value.strip() if isinstance(value, str) else value)
            except (TypeError, ValueError):
                raise self._error(f"expected a number, received {value!r}") from None
            if not math.isfinite(number):  # NaN, inf, and "1e309" (which overflows to inf)
                raise self._error(f"expected a finite number, received {value!r}")
            return self._in_range(number)
        if kind in ("choice", "activation", "initializer", "regularizer"):
            options = self.options()
            if value in options:
                return value
            raise self._error(
                f"expected one of {', '.join(str(o) for o in options)}; received {value!r}"
            )
        if kind == "text":
            if isinstance(value, str) and value.strip():
                return value.strip()
            raise self._error(f"expected a name, received {value!r}")
        if kind in ("int_tuple", "shape"):
            if value in (None, "") and self.default is None:
                return None  # optional, e.g. pooling strides default to the window
            return self._tuple(value)
        raise self._error(f"unsupported kind {kind}")  # pragma: no cover

    def options(self) -> tuple[Any, ...]:
        """The values a drop-down offers."""
        if self.choices:
            return self.choices
        if self.kind == "activation":
            return activation_names()
        if self.kind == "initializer":
            return initializer_names()
        if self.kind == "regularizer":
            return (None, "l1", "l2", "l1_l2")
        return ()

    def format(self, value: Any) -> str:
        """How a value reads in the editor and in row labels."""
        if value is None:
            return ""
        if isinstance(value, (tuple, list)):
            return ", ".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def _in_range(self, number: float) -> float:
        if self.kind != "float" and self.minimum == 1 and number < 1:
            raise self._error(f"expected a positive integer, received {_number(number)}")
        if self.minimum is not None and number < self.minimum:
            raise self._error(
                f"must be at least {_number(self.minimum)}; received {_number(number)}"
            )
        if self.maximum is not None and number > self.maximum:
            raise self._error(
                f"must be at most {_number(self.maximum)}; received {_number(number)}"
            )
        return number

    def _tuple(self, value: Any) -> tuple[int, ...]:
        if isinstance(value, str):
            parts = [p for p in value.replace("x", ",").replace("×", ",").split(",") if p.strip()]
            items: list[Any] = [p.strip() for p in parts]
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            items = [value]
        numbers = [_parse_int(v) for v in items]
        if not numbers or any(n is None for n in numbers):
            raise self._error(f"expected whole numbers separated by commas, received {value!r}")
        if self.size is not None:
            if len(numbers) == 1:
                numbers = numbers * self.size
            if len(numbers) != self.size:
                raise self._error(
                    f"expected {self.size} numbers (or one for all), received {len(numbers)}"
                )
        minimum = 1 if self.minimum is None else self.minimum
        if any(n < minimum for n in numbers):  # type: ignore[operator]
            raise self._error(f"every number must be at least {minimum:g}; received {value!r}")
        return tuple(int(n) for n in numbers)  # type: ignore[arg-type]

    def _error(self, message: str) -> ParamError:
        return ParamError(self.name, f"{self.label}: {message}.", f"{message}.")


def _number(value: float) -> str:
    """A limit or value as typed: 1000000, not 1e+06 (floats keep %g)."""
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return str(int(value)) if whole and abs(value) < 1e15 else f"{value:g}"


def _parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def activation_names() -> tuple[str, ...]:
    """Activations offered in the editor: the engine's, most common first."""
    from designer.engine import activations

    common = ["linear", "relu", "tanh", "sigmoid", "softmax"]
    others = sorted(n for n in activations.ALL_OBJECTS_DICT if n not in common)
    return tuple(common + others)


def initializer_names() -> tuple[str, ...]:
    from designer.engine import initializers

    hidden = {"initializer", "constant", "variance_scaling", "identity", "zero", "one"}
    return tuple(sorted(n for n in initializers.ALL_OBJECTS_DICT if n not in hidden))
