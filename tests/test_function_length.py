"""Every function in src/ under 60 lines (issue #21), counted from its first decorator to its last
line, docstring included: a longer one is doing more than one job."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "compatprobe"
LIMIT = 60


def function_lengths() -> dict[str, int]:
    lengths: dict[str, int] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lengths[f"{path.relative_to(SRC)}:{node.lineno} {node.name}"] = node.end_lineno - first + 1
    return lengths


def test_every_function_in_src_is_under_60_lines() -> None:
    lengths = function_lengths()
    assert len(lengths) > 500  # the walk found the package
    assert {name: n for name, n in lengths.items() if n >= LIMIT} == {}
