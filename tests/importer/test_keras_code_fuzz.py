"""Property test for the Keras code reader: mutated programs end in an ImportResult.

The importer reads code as data, so it never raises: a damaged program gives fewer
models and more problems. Mutations drop, repeat and swap lines, change numbers and
names, garble tokens and indentation, and flip bytes of the text.
"""

from __future__ import annotations

import numpy as np

from designer.importer import ImportResult, import_keras_code
from tests.data.fuzzing import byte_mutations, run_fuzz
from tests.importer.helpers import PROGRAMS

SOURCES = [path.read_text(encoding="utf-8") for path in sorted(PROGRAMS.glob("*.txt"))]
TOKENS = (
    "(",
    ")",
    "[",
    "]",
    ",",
    "=",
    ":",
    "0",
    "-1",
    "10**12",
    "1e400",
    "None",
    "'relu'",
    "Dense",
    "Input",
    "model",
    "x",
    "lambda",
    "*",
    "**",
    "'",
    '"',
    "\\",
    "#",
    "    ",
    "\t",
    "pass",
    "shape=",
    "units=",
    "(None,)",
    "[[[[[[",
    "ä",
    "\x00",
    "\ufeff",
)


def mutate_program(source: str, rng: np.random.Generator) -> str:
    lines = source.split("\n")
    for _ in range(int(rng.integers(1, 4))):
        i = int(rng.integers(len(lines))) if lines else 0
        kind = int(rng.integers(6))
        if kind == 0 and lines:
            del lines[i]
        elif kind == 1 and lines:
            lines.insert(i, lines[i])
        elif kind == 2 and len(lines) > 1:
            j = int(rng.integers(len(lines)))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == 3 and lines:
            at = int(rng.integers(len(lines[i]) + 1))
            token = str(rng.choice(TOKENS))
            lines[i] = lines[i][:at] + token + lines[i][at:]
        elif kind == 4 and lines:
            lines[i] = " " * int(rng.integers(1, 9)) + lines[i].lstrip()
        elif kind == 5 and lines:
            digits = [k for k, c in enumerate(lines[i]) if c.isdigit()]
            if digits:
                k = digits[int(rng.integers(len(digits)))]
                lines[i] = (
                    lines[i][:k] + str(rng.choice(["0", "999999999", "-7"])) + lines[i][k + 1 :]
                )
    text = "\n".join(lines)
    if rng.random() < 0.2:
        text = byte_mutations(text.encode(), rng)().decode("utf-8", errors="replace")
    return text


def test_keras_code_reader_fuzz() -> None:
    rng = np.random.default_rng(21)

    def load(i: int) -> ImportResult:
        source = SOURCES[i % len(SOURCES)]
        return import_keras_code(mutate_program(source, rng), repair=bool(i % 2))

    def check(result: object) -> None:
        assert isinstance(result, ImportResult)
        for problem in result.problems:
            assert isinstance(problem.message, str) and problem.message
        for model in result.models:
            assert model.design.nodes, model

    outcomes = run_fuzz(load, (), check)
    assert outcomes["usable"] == 200
