"""The package's layout is its data flow: each layer imports only from layers below it, and no
modules import each other in a circle (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "compatprobe"

# Lowest first. A module may import from its own layer and the ones before it.
LAYERS: list[tuple[str, ...]] = [
    ("version", "errors", "files", "forked", "features", "terminal", "engines", "scopes", "kinds"),
    ("config",),
    ("data",),
    ("probes",),
    ("results",),
    ("browsers",),
    ("run",),
    ("diff",),
    ("bcd",),
    ("report",),
    ("saving",),
    ("api",),
    ("commands",),
    ("cli", "__main__", "__init__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(source: str, name: str, known: set[str]) -> set[str]:
    """The compatprobe modules that the module `name` imports, anywhere in its `source`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{name}: relative import; the package imports absolutely"
            base = node.module or ""
            # `from compatprobe.x import y` is module x.y when y is a module, else module x.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in known)
    found.discard(name)
    return found


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for index, names in enumerate(LAYERS):
        if top in names:
            return index
    raise AssertionError(f"{module}: not in any layer of tests/test_layers.py; add its subpackage to LAYERS")


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path.read_text(encoding="utf-8"), name, set(found)) for name, path in found.items()}


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    for module in graph:
        layer_of(module)


def test_no_module_imports_from_a_layer_above(graph: dict[str, set[str]]) -> None:
    upward = [
        f"{module} imports {imported}"
        for module, imported_set in graph.items()
        for imported in sorted(imported_set)
        if layer_of(imported) > layer_of(module)
    ]
    assert upward == []


def test_no_import_circles(graph: dict[str, set[str]]) -> None:
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                circles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_checker_sees_imports_inside_functions_and_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from compatprobe.report.table import Table\n"
        "def f():\n    from compatprobe.results import model\n    import compatprobe.errors\n"
    )
    known = {"compatprobe.report.table", "compatprobe.results", "compatprobe.results.model", "compatprobe.errors"}
    found = imports_of(source, "compatprobe.x", known)
    assert found == {"compatprobe.report.table", "compatprobe.results.model", "compatprobe.errors"}


# What a command may import: the library's front (api), errors and atomic files, and the commands' own helpers.
COMMANDS_MAY_IMPORT = ("compatprobe.api", "compatprobe.errors", "compatprobe.files", "compatprobe.commands")


def commands_beyond(graph: dict[str, set[str]]) -> list[str]:
    """Each import of a command module that COMMANDS_MAY_IMPORT does not allow."""
    return [
        f"{module} imports {imported}"
        for module, imported_set in graph.items()
        if module.startswith("compatprobe.commands")
        for imported in sorted(imported_set)
        if not any(imported == allowed or imported.startswith(f"{allowed}.") for allowed in COMMANDS_MAY_IMPORT)
    ]


def test_commands_import_only_the_api_errors_files_and_their_own_helpers(graph: dict[str, set[str]]) -> None:
    assert commands_beyond(graph) == []


def test_the_commands_rule_finds_a_command_reaching_past_the_api() -> None:
    graph = {
        "compatprobe.commands.x": {"compatprobe.api", "compatprobe.commands.flags", "compatprobe.report.table"},
        "compatprobe.api": {"compatprobe.report.table"},
    }
    assert commands_beyond(graph) == ["compatprobe.commands.x imports compatprobe.report.table"]
