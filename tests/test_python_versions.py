"""The Python versions compatprobe declares are the ones CI runs, and timeouts are caught on each of them."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def floor() -> tuple[int, int]:
    found = re.fullmatch(r">=(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert found, PYPROJECT["project"]["requires-python"]
    return int(found.group(1)), int(found.group(2))


def test_ruff_targets_the_oldest_declared_python() -> None:
    major, minor = floor()
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{major}{minor}"


def test_ci_runs_only_declared_pythons() -> None:
    # .ci/run uses the machine's python3 (this one); the workflows name theirs.
    assert sys.version_info[:2] >= floor()
    versions = [
        tuple(int(n) for n in v.split("."))
        for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml"))
        for v in re.findall(r'python-version:\s*"?(\d+\.\d+)"?', workflow.read_text())
    ]
    assert versions, "no workflow names a python-version"
    assert all(v >= floor() for v in versions), versions


def test_no_bare_timeouterror_is_caught() -> None:
    """asyncio.wait_for raises asyncio.TimeoutError, which only from 3.11 on is the builtin: catch it by that name."""
    found = []
    for path in sorted((ROOT / "src" / "compatprobe").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            caught: ast.expr | None = None
            if isinstance(node, ast.ExceptHandler):
                caught = node.type
            elif isinstance(node, ast.Call) and ast.unparse(node.func) == "contextlib.suppress":
                caught = ast.Tuple(elts=list(node.args))
            if caught is None:
                continue
            names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
            if any(isinstance(n, ast.Name) and n.id == "TimeoutError" for n in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
