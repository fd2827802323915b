"""A probe's own mistakes are told as such: a typo in a require path, a setup that fails, a syntax
error (exit 4, with file and line), and the probes a matrix leaves out. One run, in-process."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from conftest import FIXTURES
from direct import evaluate_in_frames

pytestmark = pytest.mark.browsers

MISTAKES = FIXTURES / "mistakes"


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """tests/fixtures/mistakes in Chromium and WebKit, with -o naming a folder that does not exist yet."""
    out = tmp_path_factory.mktemp("mistakes")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            ["run", "-m", str(MISTAKES / "matrix.yaml"), "--results", str(out / "r.json"), "-o", f"{out}/site/"]
        )
    return {"code": code, "stderr": err.getvalue(), "dir": out, "results": json.loads((out / "r.json").read_text())}


def outcomes(run: dict[str, Any], probe: str) -> dict[str, dict[str, Any]]:
    return {t["name"]: next(o for o in t["outcomes"] if o["probe"] == probe) for t in run["results"]["targets"]}


def test_a_run_with_a_broken_probe_exits_4_naming_file_and_line(mistakes: dict[str, Any]) -> None:
    assert mistakes["code"] == 4
    path = MISTAKES / "probes" / "e-syntax.js"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("const = ;"))
    for engine, outcome in outcomes(mistakes, "e-syntax").items():
        assert (outcome["status"], outcome["reason"], outcome["line"]) == ("error", "syntax", line), engine
        assert f"probe error: {path}:{line}: {engine}: the probe does not parse" in mistakes["stderr"]


@pytest.fixture(scope="module")
def direct() -> dict[str, list[Any]]:
    """What the two browsers say about the paths, evaluated without compatprobe."""
    checks = [
        "async (w) => 'prototyp' in w.Array",
        "async (w) => typeof w.RTCPeerConnection === 'function' && 'addTrack' in w.RTCPeerConnection.prototype",
    ]
    return {engine: evaluate_in_frames(engine, checks) for engine in ("chromium", "webkit")}


def test_a_path_no_browser_has_is_flagged_not_recorded_as_a_gap(
    mistakes: dict[str, Any], direct: dict[str, list[Any]]
) -> None:
    assert [seen[0] for seen in direct.values()] == [False, False]  # neither browser has Array.prototyp
    for engine, outcome in outcomes(mistakes, "a-typo").items():
        assert outcome["path"] == "Array.prototyp.findLast", engine
        assert "no browser of this run has Array.prototyp.findLast" in outcome["suspect"]
    assert "a-typo: t.require path Array.prototyp.findLast: no browser of this run has" in mistakes["stderr"]
    table = (mistakes["dir"] / "site" / "index.html").read_text()
    assert "Unknown path" in table
    assert "likely a typo in the probe" in table  # the legend


def test_a_path_one_browser_has_is_a_gap_not_a_typo(mistakes: dict[str, Any], direct: dict[str, list[Any]]) -> None:
    assert (direct["chromium"][1], direct["webkit"][1]) == (True, False)
    seen = outcomes(mistakes, "b-real-gap")
    assert seen["chromium"]["status"] == "supported"
    assert (seen["webkit"]["status"], seen["webkit"]["reason"]) == ("unsupported", "interface-missing")
    assert "suspect" not in seen["webkit"]


def test_a_failed_setup_is_its_own_outcome_never_no(mistakes: dict[str, Any]) -> None:
    for probe, said in (
        ("c-setup-fails", 'setup "open a port that never connects" failed: the port never reached'),
        ("d-setup-throws", 'setup "parse the fixture" failed: SyntaxError: '),
    ):
        for engine, outcome in outcomes(mistakes, probe).items():
            assert (outcome["status"], outcome["reason"]) == ("error", "setup"), (probe, engine)
            assert outcome["message"].startswith(said), (probe, engine)
    table = (mistakes["dir"] / "site" / "index.html").read_text()
    assert "Setup failed" in table


def test_run_says_how_many_probes_the_matrix_leaves_out(mistakes: dict[str, Any]) -> None:
    assert f"1 of the probes under {MISTAKES / 'probes'} are not selected by this run" in mistakes["stderr"]
    assert "unselected/skipped" not in {o["probe"] for t in mistakes["results"]["targets"] for o in t["outcomes"]}


def test_o_with_a_folder_writes_into_it_and_says_which_file(mistakes: dict[str, Any]) -> None:
    assert (mistakes["dir"] / "site" / "index.html").is_file()
    assert f"and {mistakes['dir']}/site/index.html" in mistakes["stderr"]


def test_probes_lists_them_and_marks_what_the_matrix_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["probes", "-m", str(MISTAKES / "matrix.yaml")]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert "* a-typo  javascript.builtins.Array.findLast.typo  findLast, with a typo in the require path" in lines
    assert "  unselected/skipped  api.Skipped.never  not selected by the matrix" in lines
    assert "5 of 6 probes are run by" in err


def test_new_writes_a_skeleton_that_loads_and_says_if_the_matrix_runs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(MISTAKES / "matrix.yaml", tmp_path / "matrix.yaml")
    (tmp_path / "probes").mkdir()
    matrix = str(tmp_path / "matrix.yaml")
    assert main(["new", "javascript.builtins.Array.findLast", "-m", matrix, "--title", "findLast: from the end"]) == 0
    written = tmp_path / "probes" / "javascript" / "builtins" / "Array" / "findLast.js"
    assert 't.require("Array.prototype.findLast");' in written.read_text()
    assert 'title: "findLast: from the end"' in written.read_text()
    err = capsys.readouterr().err
    assert "does not run it: run it with 'compatprobe run -p javascript/builtins/Array/findLast'" in err
    assert main(["new", "css.properties.display", "-m", matrix, "--id", "x-display"]) == 0
    assert "runs it" in capsys.readouterr().err
    # Never replaces a file; a bad id is refused.
    assert main(["new", "css.properties.display", "-m", matrix, "--id", "x-display"]) == 2
    assert "a probe file is already there" in capsys.readouterr().err
    assert main(["new", "Array.findLast", "-m", matrix]) == 2
    assert "is not a browser-compat-data id" in capsys.readouterr().err


def test_a_merged_run_clears_a_mark_another_shard_disproves() -> None:
    """A shard of Firefox and WebKit lacks removeStream and marks it; Chromium, in another shard, has
    it: in the merged run it is a real gap, no typo. A path no merged browser has stays marked."""
    from compatprobe.results.model import Outcome
    from compatprobe.results.suspects import clear_disproved, find_suspects, mark_suspects
    from factories import make_results

    results = make_results()
    chromium, firefox = results.targets[0], results.targets[1]
    missing = {"status": "unsupported", "reason": "member-missing", "path": "X.prototype.removeStream"}
    typo = {"status": "unsupported", "reason": "member-missing", "path": "X.prototype.removeTrak"}
    firefox.outcomes = [Outcome("X/removeStream/exists", **missing), Outcome("X/removeTrack/exists", **typo)]
    shard = type(results)(results.run, results.probes, [firefox, replace(firefox, name="f2")])
    assert {s.path for s in mark_suspects(shard)} == {"X.prototype.removeStream", "X.prototype.removeTrak"}
    chromium.outcomes = [Outcome("X/removeStream/exists", "supported"), Outcome("X/removeTrack/exists", **typo)]
    merged = type(results)(results.run, results.probes, [chromium, *shard.targets])
    clear_disproved(merged)
    marked = {(t.name, o.probe) for t in merged.targets for o in t.outcomes if o.suspect}
    assert ("firefox", "X/removeStream/exists") not in marked
    assert ("firefox", "X/removeTrack/exists") in marked
    assert {s.path for s in find_suspects(merged)} == {"X.prototype.removeTrak"}
