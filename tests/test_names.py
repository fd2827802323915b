"""Each concept is said once: no module-level name is defined in two packages, and no table of words
(a dict, tuple, list or set literal) is written out twice, unless the entry below says why the two
are different things that happen to share a name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "compatprobe"

# Names that two packages define for different concepts, and why they are not one.
DIFFERENT_CONCEPTS = {
    "Page": "browsers.session's is a browser tab; report.formats.html's is an HTML page of the report",
    "compare": "a verb in two modules named for what they compare: runs (diff) and runs with BCD (bcd)",
    "plain": "yamlfile's strips line numbers from parsed YAML; bcd.display's strips HTML from a BCD note",
}
# Names every command module defines by the commands' contract (see commands/__init__.py).
CONTRACT = {"NAME", "SUMMARY", "add_arguments", "handle"}


def _package(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0] if len(parts) > 1 else "(base)"


def _definitions(tree: ast.Module) -> list[tuple[str, ast.AST | None]]:
    found: list[tuple[str, ast.AST | None]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            found += [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.append((node.target.id, node.value))
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            found.append((node.name, None))
    return [(name, value) for name, value in found if not name.startswith("_") and name != "__all__"]


def definitions() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Where each name is defined (module paths by name) and where each literal table is written."""
    names: dict[str, set[str]] = defaultdict(set)
    tables: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE))
        for name, value in _definitions(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in CONTRACT or not where.startswith("commands/"):
                names[name].add(where)
            literal = isinstance(value, ast.Dict | ast.Tuple | ast.List | ast.Set)
            if literal and len(getattr(value, "elts", getattr(value, "keys", []))) > 1:
                tables[ast.dump(value)].add(f"{where}:{name}")
    return names, tables


def shared(found: dict[str, set[str]]) -> dict[str, list[str]]:
    return {
        name: sorted(where)
        for name, where in found.items()
        if len({_package(PACKAGE / w.partition(":")[0]) for w in where}) > 1
    }


def test_no_name_is_defined_in_two_packages() -> None:
    names, _ = definitions()
    twice = shared(names)
    assert {name: where for name, where in twice.items() if name not in DIFFERENT_CONCEPTS} == {}
    # An entry that no longer applies goes, so the list stays the list of real exceptions.
    assert set(DIFFERENT_CONCEPTS) <= set(twice)


def test_no_table_of_words_is_written_twice() -> None:
    _, tables = definitions()
    assert [sorted(where) for where in tables.values() if len(where) > 1] == []


def test_the_check_finds_a_name_in_two_packages() -> None:
    found = {"ENGINES": {"engines.py", "config/matrix.py"}, "KINDS": {"diff/compare.py", "diff/other.py"}}
    assert shared(found) == {"ENGINES": ["config/matrix.py", "engines.py"]}
