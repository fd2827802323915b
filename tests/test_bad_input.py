"""Bad input through the command line: one line on standard error naming the file, the line or key and
what to do; exit code 2; and nothing written (a previous out/ stays exactly as it was)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compatprobe.results.model import write_results
from conftest import ROOT, cli
from factories import make_results

GOOD_TARGETS = """targets:
  - name: chromium
    engine: chromium
    use: [playwright: {}]
"""
PROBES = str(ROOT / "probes")

PROBE = """/*---
feature: api.Thing.method
title: method() exists
---*/
t.require("Thing.prototype.method");
"""


def previous_out(folder: Path) -> dict[str, bytes]:
    """An out/ from an earlier run, to check that a failed command leaves it alone."""
    out = folder / "out"
    write_results(make_results(), out / "results.json")
    (out / "index.html").write_text("<!doctype html><title>earlier run</title>")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_bad(folder: Path, *args: str) -> str:
    """Run a command that must fail on its input; return its one line of error."""
    before = snapshot(folder)
    out = folder / "out"
    proc = cli(*args, "--results", str(out / "results.json"), "-o", str(out / "index.html"), cwd=folder)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert snapshot(folder) == before  # nothing written, no temporary file left
    return lines[0]


MATRICES = [
    (
        "YAML syntax",
        f"version: 1\nprobes_dir: {PROBES}\ntargets:\n  - name: a\n   engine: chromium\n",
        "matrix.yaml:5: YAML syntax error: ",
        "(check the indentation and quoting of this line and the one before)",
    ),
    (
        "unknown key",
        f"version: 1\nprobes_dir: {PROBES}\ntarget:\n  - name: a\n",
        "matrix.yaml:3: unknown key 'target' in the matrix",
        "(did you mean 'targets'?)",
    ),
    (
        "unknown key in a target",
        f"probes_dir: {PROBES}\ntargets:\n  - name: a\n    engin: chromium\n    use: [playwright: {{}}]\n",
        "matrix.yaml:4: unknown key 'engin' in a target",
        "(did you mean 'engine'?)",
    ),
    (
        "unknown key in a use entry",
        f"probes_dir: {PROBES}\ntargets:\n  - name: a\n    engine: chromium\n    use: [playwrite: {{}}]\n",
        "matrix.yaml:5: unknown key 'playwrite' in target 'a': a 'use' entry",
        "(did you mean 'playwright'?)",
    ),
    (
        "wrong type (number)",
        f"probes_dir: {PROBES}\nprobe_timeout_ms: fast\n{GOOD_TARGETS}",
        "matrix.yaml:2: 'probe_timeout_ms' must be a whole number, not a string",
        "",
    ),
    (
        "wrong type (list)",
        f"probes_dir: {PROBES}\ntargets: chromium\n",
        "matrix.yaml:2: 'targets' must be a list, not a string",
        "",
    ),
    (
        "unknown engine",
        f"probes_dir: {PROBES}\ntargets:\n  - name: a\n    engine: chromum\n    use: [playwright: {{}}]\n",
        "matrix.yaml:4: target 'a': unknown engine 'chromum'",
        "(did you mean 'chromium'?)",
    ),
    (
        "probe pattern matching nothing",
        f"probes_dir: {PROBES}\nprobes: ['RTCPeerConnection/removeTrak/*']\n{GOOD_TARGETS}",
        "matrix.yaml:2: probe pattern 'RTCPeerConnection/removeTrak/*' matches no probe in ",
        "(did you mean 'RTCPeerConnection/removeTrack/exists'?)",
    ),
    (
        "duplicate target names",
        f"probes_dir: {PROBES}\n{GOOD_TARGETS}  - name: chromium\n    engine: firefox\n    use: [playwright: {{}}]\n",
        "matrix.yaml:6: target name 'chromium' is already used on line 3",
        "(give each target its own name)",
    ),
    (
        "version from the future",
        f"version: 2\nprobes_dir: {PROBES}\n{GOOD_TARGETS}",
        "matrix.yaml:1: matrix version 2 is not one this compatprobe reads",
        "(write version: 1)",
    ),
    ("empty file", "", "matrix.yaml: file is empty", ""),
    (
        "probes folder missing",
        f"probes_dir: nowhere\n{GOOD_TARGETS}",
        "matrix.yaml: probes folder nowhere does not exist",
        "(create it, or set probes_dir (relative to the matrix file))",
    ),
]


@pytest.mark.parametrize(("case", "text", "start", "end"), MATRICES, ids=[m[0] for m in MATRICES])
def test_bad_matrix(tmp_path: Path, case: str, text: str, start: str, end: str) -> None:
    previous_out(tmp_path)
    (tmp_path / "matrix.yaml").write_text(text)
    line = run_bad(tmp_path, "run", "-m", "matrix.yaml")
    assert line.startswith(f"compatprobe: error: {start}"), line
    assert line.endswith(end), line


def test_missing_matrix(tmp_path: Path) -> None:
    previous_out(tmp_path)
    line = run_bad(tmp_path, "run", "-m", "nowhere.yaml")
    assert line == (
        "compatprobe: error: nowhere.yaml: matrix file not found "
        "(pass an existing matrix with -m FILE; without -m, compatprobe reads ./matrix.yaml)"
    )


def test_bad_flags(tmp_path: Path) -> None:
    previous_out(tmp_path)
    (tmp_path / "matrix.yaml").write_text(f"probes_dir: {PROBES}\n{GOOD_TARGETS}")
    line = run_bad(tmp_path, "run", "-b", "chromum")
    assert line.endswith("-b chromum: no target or engine of that name in the matrix (did you mean 'chromium'?)")
    line = run_bad(tmp_path, "run", "-p", "nothing/*")
    assert line.startswith("compatprobe: error: -p/--probe: probe pattern 'nothing/*' matches no probe")


PROBE_FILES = [
    ("no metadata", {"a.js": 't.value("a", 1);\n'}, "probes/a.js:1: no metadata block", "---*/)"),
    (
        "metadata not YAML",
        {"a.js": PROBE.replace("title: method() exists", "title: [unclosed")},
        "probes/a.js:3: metadata is not valid YAML: ",
        "(check the quoting of this line)",
    ),
    (
        "metadata not a mapping",
        {"a.js": "/*---\n- a\n- b\n---*/\n"},
        "probes/a.js:2: metadata must be a mapping of keys to values",
        "(write one 'key: value' per line, such as feature: api.X.y)",
    ),
    (
        "metadata without a title",
        {"a.js": PROBE.replace("title: method() exists\n", "")},
        "probes/a.js:2: metadata lacks 'title'",
        "(add a line title: what the row says)",
    ),
    (
        "unknown metadata key",
        {"a.js": PROBE.replace("title:", "titel:")},
        "probes/a.js:3: unknown metadata key 'titel'",
        "(did you mean 'title'?)",
    ),
    (
        "metadata of the wrong type",
        {"a.js": PROBE.replace("---*/", "timeout: soon\n---*/")},
        "probes/a.js:4: 'timeout' must be a whole number, not text",
        "(write it in milliseconds, such as timeout: 5000)",
    ),
    (
        "feature that is not a BCD id",
        {"a.js": PROBE.replace("api.Thing.method", "Thing method")},
        "probes/a.js:2: feature 'Thing method' is not a browser-compat-data id",
        "(write it like api.RTCPeerConnection.removeStream)",
    ),
    (
        "duplicate feature id",
        {"a.js": PROBE, "b.js": PROBE},
        "probes/b.js:2: feature 'api.Thing.method' is also the feature of probes/a.js",
        "(give each probe its own feature id)",
    ),
]


@pytest.mark.parametrize(("case", "files", "start", "end"), PROBE_FILES, ids=[p[0] for p in PROBE_FILES])
def test_bad_probe_file(tmp_path: Path, case: str, files: dict[str, str], start: str, end: str) -> None:
    (tmp_path / "probes").mkdir()
    for name, text in files.items():
        (tmp_path / "probes" / name).write_text(text)
    (tmp_path / "matrix.yaml").write_text(f"probes_dir: probes\n{GOOD_TARGETS}")
    previous_out(tmp_path)
    line = run_bad(tmp_path, "run", "-m", "matrix.yaml")
    # Probe paths are as the matrix names them: relative to where compatprobe runs.
    assert line.startswith(f"compatprobe: error: {start}"), line
    assert line.endswith(end), line


def results_text() -> str:
    from compatprobe.results.model import dumps

    return dumps(make_results())


RESULTS_FILES = [
    ("missing", None, "results.json: file not found (check the path; 'compatprobe run' writes out/results.json)"),
    ("empty", "", "results.json: file is empty (it is not as compatprobe wrote it; "),
    ("only white space", " \n\t\r\n", "results.json: file is empty (it is not as compatprobe wrote it; "),
    ("truncated", results_text()[:400], "results.json:"),
    ("not JSON", "hello\n", "results.json:1: not valid JSON (truncated?): Expecting value"),
    ("not results", "[1, 2]", "results.json: not a compatprobe results file (no schema_version)"),
    ("schema version from the future", '{"schema_version": 99}', "results.json: results schema version 99 is not"),
    (
        "wrong schema",
        results_text().replace('"status": "supported"', '"status": "maybe"', 1),
        "results.json: does not match the results schema at targets/0/outcomes/1/status: 'maybe' is not one of",
    ),
    (
        "unknown key",
        json.dumps({**json.loads(results_text()), "surprise": 1}),
        "results.json: does not match the results schema at (top level): Additional properties are not allowed",
    ),
]


@pytest.mark.parametrize(("case", "text", "start"), RESULTS_FILES, ids=[r[0] for r in RESULTS_FILES])
def test_bad_results_file_for_render(tmp_path: Path, case: str, text: str | None, start: str) -> None:
    if text is not None:
        (tmp_path / "results.json").write_text(text)
    previous_out(tmp_path)
    before = snapshot(tmp_path)
    proc = cli("render", "results.json", "-o", "out/index.html", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"compatprobe: error: {start}"), proc.stderr
    assert snapshot(tmp_path) == before
    if case == "truncated":
        assert "not valid JSON (truncated?)" in lines[0]


@pytest.mark.browsers
def test_a_probe_with_a_javascript_syntax_error_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    """Only a browser can parse a probe: its outcome says so, and the other probes still run."""
    (tmp_path / "probes").mkdir()
    (tmp_path / "probes" / "a-broken.js").write_text(PROBE.replace('t.require("Thing.prototype.method");', "const = ;"))
    (tmp_path / "probes" / "b-fine.js").write_text(PROBE.replace("api.Thing.method", "api.Thing.other"))
    (tmp_path / "matrix.yaml").write_text(
        "probes_dir: probes\ntargets:\n  - name: chromium\n    engine: chromium\n"
        "    use: [playwright: {}, playwright: {executable: /usr/bin/chromium}]\n"
    )
    proc = cli("run", "-m", "matrix.yaml", "--results", "r.json", "-o", "i.html", cwd=tmp_path)
    # Exit 4: a broken probe, told apart from a browser's answer; the line is the file's.
    assert proc.returncode == 4, proc.stderr
    line = PROBE.splitlines().index('t.require("Thing.prototype.method");') + 1
    assert f"probe error: probes/a-broken.js:{line}: chromium: the probe does not parse: " in proc.stderr
    outcomes = {o["probe"]: o for o in json.loads((tmp_path / "r.json").read_text())["targets"][0]["outcomes"]}
    assert outcomes["a-broken"]["line"] == line
    assert outcomes["a-broken"]["status"] == "error" and outcomes["a-broken"]["reason"] == "syntax"
    assert outcomes["a-broken"]["exception"]["name"] == "SyntaxError"
    assert outcomes["b-fine"]["status"] == "unsupported" and outcomes["b-fine"]["reason"] == "interface-missing"
