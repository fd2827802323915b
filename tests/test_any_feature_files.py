"""Issue 13 without browsers: every category grouped and compared with BCD, messages that end in
what to do, paths checked before a run, file modes, edited probes in a diff, and schema 1 files."""

from __future__ import annotations

import copy
import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from bcd_fixtures import fixture_data, write_bcd
from compatprobe.cli import main
from compatprobe.diff.compare import compare
from compatprobe.features import group_of
from compatprobe.files import write_atomic
from compatprobe.report.table import build_table
from compatprobe.results.history import save_to_history
from compatprobe.results.model import (
    SCHEMA_VERSION,
    BrowserInfo,
    Outcome,
    ProbeInfo,
    Results,
    RunInfo,
    TargetResult,
    dumps,
    read_results,
    write_results,
)
from compatprobe.results.suspects import mark_suspects
from conftest import ROOT, compatprobe
from factories import make_results


@pytest.fixture(autouse=True)
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPATPROBE_BCD", raising=False)


def other_categories() -> Results:
    """Firefox 153 with probes of javascript.*, css.* and a bcd: id that BCD does not have."""
    probes = [
        ProbeInfo("js/findLast", "javascript.builtins.Array.findLast", "findLast()", "a" * 64),
        ProbeInfo("js/findLast-negative", "javascript.builtins.Array.findLast.negative", "from the end", "b" * 64),
        ProbeInfo("css/display", "css.properties.display", "display", "c" * 64),
        ProbeInfo("x/nope", "api.Nope.nothing", "nothing", "d" * 64, bcd="api.Nope.nothing"),
    ]
    firefox = TargetResult(
        "firefox",
        "firefox",
        browser=BrowserInfo("Firefox", "153.0", "UA"),
        outcomes=[Outcome(p.id, "supported") for p in probes],
    )
    run = RunInfo("2026-12-01T00:00:00+00:00", "2026-12-01T00:00:05+00:00", "0.1.0", {"system": "Linux"})
    return Results(run=run, probes=probes, targets=[firefox])


def bcd_with_other_categories(path: Path) -> Path:
    data = copy.deepcopy(fixture_data())
    data["javascript"] = {
        "builtins": {
            "Array": {
                "findLast": {
                    "__compat": {
                        "support": {
                            "chrome": {"version_added": "97"},
                            "firefox": {"version_added": "104"},
                            "safari": {"version_added": "15.4"},
                        },
                        "status": {"experimental": False, "standard_track": True, "deprecated": False},
                    }
                }
            }
        }
    }
    data["css"] = {
        "properties": {
            "display": {
                "__compat": {
                    "support": {
                        "chrome": {"version_added": "1"},
                        "firefox": {"version_added": False},
                        "safari": {"version_added": "1"},
                    },
                    "status": {"experimental": False, "standard_track": True, "deprecated": False},
                }
            }
        }
    }
    return write_bcd(data, path)


def test_groups_are_full_paths_in_every_category() -> None:
    assert group_of("api.RTCPeerConnection.removeStream.after_addStream") == "api.RTCPeerConnection.removeStream"
    assert group_of("javascript.builtins.Array.findLast.negative") == "javascript.builtins.Array.findLast"
    assert group_of("css.properties.display") == "css.properties.display"
    table = build_table(other_categories())
    labels = [(row.label, row.nested) for row in table.rows]
    assert ("findLast()", False) in labels and ("from the end", True) in labels
    assert ("display", False) in labels
    headless = build_table(replace(other_categories(), probes=other_categories().probes[1:2]))
    assert headless.rows[0].label == "javascript.builtins.Array.findLast"  # not "builtins.Array.findLast"


def test_markdown_group_rows_have_a_cell_per_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = replace(other_categories(), probes=other_categories().probes[1:2])
    write_results(results, tmp_path / "r.json")
    assert main(["render", str(tmp_path / "r.json"), "--format", "md", "-o", "-"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("|")]
    assert rows[2].startswith("| javascript.builtins.Array.findLast |")
    assert {row.count("|") for row in rows} == {3}


def test_bcd_compares_javascript_and_css_and_names_ids_it_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_results(other_categories(), tmp_path / "r.json")
    data = bcd_with_other_categories(tmp_path / "bcd.json")
    assert main(["bcd", str(tmp_path / "r.json"), "--bcd", str(data), "--format", "json"]) == 0
    compared = {c["feature"]: c["agreement"] for c in json.loads(capsys.readouterr().out)["comparisons"]}
    assert compared["javascript.builtins.Array.findLast"] == "agrees"
    assert compared["css.properties.display"] == "contradicts"  # BCD says no; Firefox said yes
    assert main(["bcd", str(tmp_path / "r.json"), "--bcd", str(data)]) == 0
    text = capsys.readouterr().out
    # Visible without --all: the id BCD does not have, counted and named.
    assert "1 feature id not in BCD 8.1.9: api.Nope.nothing" in text
    assert "check the probes' feature: and bcd: lines" in text
    assert main(["bcd", str(tmp_path / "r.json"), "--bcd", str(data), "--format", "md"]) == 0
    assert "api.Nope.nothing" in capsys.readouterr().out


def test_a_suspect_path_is_not_compared_with_bcd(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = other_categories()
    typo = Outcome(
        "js/findLast",
        "unsupported",
        reason="member-missing",
        message="Array.prototyp is not defined",
        path="Array.prototyp.findLast",
    )
    second = replace(results.targets[0], name="firefox-2", outcomes=[typo, *results.targets[0].outcomes[1:]])
    results.targets = [replace(results.targets[0], outcomes=[typo, *results.targets[0].outcomes[1:]]), second]
    assert [s.path for s in mark_suspects(results)] == ["Array.prototyp.findLast"]
    assert [s.why for s in mark_suspects(results, lambda path: False)] == [
        "no browser of this run has Array.prototyp.findLast, and BCD does not know it"
    ]
    assert not mark_suspects(replace(results), lambda path: True)  # BCD knows it: a gap, not a typo
    write_results(results, tmp_path / "r.json")
    data = bcd_with_other_categories(tmp_path / "bcd.json")
    assert main(["bcd", str(tmp_path / "r.json"), "--bcd", str(data), "--format", "json"]) == 0
    findlast = [
        c
        for c in json.loads(capsys.readouterr().out)["comparisons"]
        if c["feature"] == "javascript.builtins.Array.findLast"
    ]
    assert {c["agreement"] for c in findlast} == {"not-comparable"}
    assert "names nothing known" in findlast[0]["reason"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "/*---\nfeature: api.CSS.supports\ntitle: CSS.supports('display: grid')\n---*/\nt.require('CSS');\n",
            "x.js:3: metadata is not valid YAML: mapping values are not allowed here (a value holding ': ' or ' #'"
            " must be quoted: title: \"CSS.supports('display: grid')\")",
        ),
        (
            "/*---\nfeature: api.CSS.supports\ntitle: never closed\nt.require('CSS');\n",
            "x.js:1: the metadata block is never closed (end it with a line of its own that reads ---*/",
        ),
    ],
)
def test_metadata_mistakes_end_in_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    (tmp_path / "probes").mkdir()
    (tmp_path / "probes" / "x.js").write_text(text)
    (tmp_path / "matrix.yaml").write_text(
        "version: 1\nprobes: ['*']\ntargets:\n  - name: c\n    engine: chromium\n    use:\n      - playwright: {}\n"
    )
    assert main(["run", "-m", str(tmp_path / "matrix.yaml")]) == 2
    assert says in capsys.readouterr().err


def test_docs_document_quoting_exit_4_and_the_edited_class() -> None:
    assert "must be quoted" in (ROOT / "docs" / "probes.md").read_text()
    assert "\n  4  run: a probe itself broke" in (ROOT / "docs" / "cli.md").read_text()
    assert "Outcome changed with the probe's code" in (ROOT / "docs" / "diff-and-history.md").read_text()


def test_matrix_paths_end_in_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "-m", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "matrix file not found" in err and "-m FILE" in err
    assert main(["run", "-m", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a folder, not a matrix file" in err and f"-m {tmp_path / 'matrix.yaml'}" in err


def test_output_paths_are_checked_before_any_browser(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    matrix = str(ROOT / "matrix.yaml")
    # In a child process: the check must come before Playwright or any browser starts.
    for flags, says in (
        (["-o", str(blocker / "index.html")], "is a file, not a folder"),
        (["--results", str(blocker / "r.json")], "is a file, not a folder"),
        (["--results", str(tmp_path / "same.html"), "-o", str(tmp_path / "same.html")], "name the same file"),
    ):
        proc = compatprobe("run", "-m", matrix, *flags, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and says in proc.stderr and "Traceback" not in proc.stderr
        assert "started" not in proc.stderr


def test_render_and_diff_refuse_a_folder_as_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_results(make_results(), tmp_path / "r.json")
    assert main(["render", str(tmp_path / "r.json"), "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "r.json"), str(tmp_path / "r.json"), "-o", str(tmp_path)]) == 2


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_files_get_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "out.html", "x")
        saved = save_to_history(make_results(), tmp_path / "history")
    finally:
        os.umask(old)
    for path in (tmp_path / "out.html", saved):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path


def test_outcome_changes_of_an_edited_probe_are_not_regressions(tmp_path: Path) -> None:
    old = make_results()
    new = make_results()
    # The same probe, edited, now ends otherwise in Chromium: the probe may be why.
    new.probes = [replace(p, sha256="f" * 64) if p.id == "X/removeTrack/exists" else p for p in new.probes]
    new.targets[0].outcomes[2] = Outcome("X/removeTrack/exists", "unsupported", reason="behaviour", message="now no")
    diff = compare(old, new)
    assert [c.kind for c in diff.cells] == ["edited"]
    assert not diff.fails("regression") and diff.fails("any")
    write_results(old, tmp_path / "old.json")
    write_results(new, tmp_path / "new.json")
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--fail-on", "regression"]) == 0
    # Not edited: the same change is a regression.
    new.probes = old.probes
    assert [c.kind for c in compare(old, new).cells] == ["lost"]


def as_version_1(results: Results) -> str:
    data = json.loads(dumps(results))
    data["schema_version"] = 1
    data["$schema"] = "https://compatprobe.invalid/schema/results-1.json"
    return json.dumps(data)


def test_version_1_files_are_still_read_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert SCHEMA_VERSION == 3
    one = tmp_path / "one.json"
    one.write_text(as_version_1(make_results()))
    assert read_results(one).schema_version == 3
    two = tmp_path / "two.json"
    write_results(make_results(), two)
    history = tmp_path / "history"
    history.mkdir()
    (history / "20260101T000000Z.json").write_text(as_version_1(make_results()))
    for argv in (
        ["render", str(one), "-o", str(tmp_path / "t.html")],
        ["diff", str(one), str(two)],
        ["render", str(history)],
    ):
        assert main(argv) == 0, capsys.readouterr().err
    # Shards: one written as version 1, the other as version 3, merged into one version 3 file.
    first, second = make_results(), make_results()
    first.targets, second.targets = first.targets[:1], second.targets[1:]
    (tmp_path / "a.json").write_text(as_version_1(first))
    write_results(second, tmp_path / "b.json")
    assert main(["merge", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "-o", str(tmp_path / "m.json")]) == 0
    merged = read_results(tmp_path / "m.json")
    assert merged.schema_version == 3 and [t.name for t in merged.targets] == ["chromium", "firefox", "webkit"]
    capsys.readouterr()
