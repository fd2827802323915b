"""Versions: the Pythons compatprobe declares are the ones CI runs (and timeouts are caught on each);
Playwright is pinned for this project's own install only, and a Playwright too new for the Firefox
at hand is said in one line."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from compatprobe.browsers.playwright_session import FIREFOX_ESR_PLAYWRIGHT, playwright_version, version_mismatch
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


# What Playwright 1.65 says at new_context() to Firefox ESR 153 over WebDriver BiDi (moz-firefox).
BIDI_UNKNOWN = "Browser.new_context: Protocol error (emulation.setMediaFeaturesOverride): unknown command"


def test_playwright_too_new_for_firefox_is_one_line_naming_what_works() -> None:
    line = version_mismatch("firefox", "153.7.0", BIDI_UNKNOWN, "1.65.0")
    assert line == (
        "Playwright 1.65.0 cannot drive Firefox 153.7.0: this Firefox does not know "
        "emulation.setMediaFeaturesOverride; use Playwright 1.63 to 1.64 with Firefox ESR 153 "
        "(pip install 'playwright>=1.63,<1.65'), or a newer Firefox"
    )
    assert "\n" not in line


def test_other_failures_are_not_called_a_version_mismatch() -> None:
    assert version_mismatch("chromium", "156.0", BIDI_UNKNOWN, "1.65.0") is None
    closed = "Browser.new_context: Target page, context or browser has been closed"
    assert version_mismatch("firefox", "153.7.0", closed, "1.65.0") is None


def test_pinned_playwright_is_one_that_drives_firefox_esr() -> None:
    pins = dict(
        line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if line and line[0] != "#"
    )
    first, last = FIREFOX_ESR_PLAYWRIGHT
    assert pins["playwright"].rsplit(".", 1)[0] in (first, last)
    # The package itself asks for no more than the oldest that works: users may take newer releases.
    assert f"playwright>={first}" in PYPROJECT["project"]["dependencies"]
    # It is the version this test run has.
    assert playwright_version() == pins["playwright"]


def test_this_project_installs_with_the_constraints() -> None:
    assert "pip install --quiet -c constraints.txt -e " in (ROOT / "install.sh").read_text()
    workflow = (ROOT / ".github" / "workflows" / "compatprobe.yml").read_text()
    installs = re.findall(r"pip install (.*)", workflow)
    assert installs and all(i.startswith("-c constraints.txt ") for i in installs), installs
