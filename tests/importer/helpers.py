"""Reading imported designs back as short, comparable lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from designer.importer import ImportResult, Problem, import_keras_code
from designer.spec import Design, build_design

PROGRAMS = Path(__file__).parent / "programs"

# The parameters worth comparing per layer type (the rest keep catalog defaults).
KEY_PARAMS = {
    "Input": ("shape",),
    "Dense": ("units", "activation"),
    "Activation": ("activation",),
    "Dropout": ("rate",),
    "Conv2D": ("filters", "kernel_size", "activation", "data_format"),
    "MaxPooling2D": ("pool_size", "data_format"),
    "Flatten": ("data_format",),
    "Reshape": ("target_shape",),
    "Concatenate": ("axis",),
}


def program(name: str) -> str:
    return (PROGRAMS / name).read_text(encoding="utf-8")


def import_program(name: str, **options: Any) -> ImportResult:
    return import_keras_code(program(name), **options)


def describe(node) -> tuple:
    keys = KEY_PARAMS.get(node.type, ())
    return (node.type, *(node.params[k] for k in keys))


def stack(design: Design) -> list[tuple]:
    """The layers of a single-chain design from Input to output, each with key params."""
    order = design.chain_order()
    assert order is not None, "the design is not a single chain"
    return [describe(design.nodes[n]) for n in order]


def wires(design: Design) -> set[tuple[str, str, int]]:
    """(source name or type, target name or type, port) of every wire."""

    def label(node_id: str) -> str:
        node = design.nodes[node_id]
        return node.name or node.type

    return {(label(e.source), label(e.target), e.port) for e in design.edges.values()}


def builds(design: Design) -> bool:
    result = build_design(design)
    assert result.ok, [issue.text() for issue in result.issues]
    return True


def messages(problems: list[Problem]) -> str:
    return "\n".join(f"{p.line}: {p.message}" for p in problems)


def find(problems: list[Problem], *words: str) -> Problem:
    """The one problem whose message contains every word (case-sensitive)."""
    found = [p for p in problems if all(w in p.message for w in words)]
    assert len(found) == 1, f"{words} in:\n{messages(problems)}"
    return found[0]
