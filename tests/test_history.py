"""The history of runs: `run --history` keeps every results file, `render DIR` shows version ranges."""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
from datetime import date, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from compatprobe import api
from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.report.ranges import annotate_table
from compatprobe.report.table import build_table
from compatprobe.results.history import Timeline, cell_histories, load_history, save_to_history, trace_of
from compatprobe.results.model import ExceptionInfo, Outcome, Results, dumps, read_results, write_results
from compatprobe.results.words import label_and_phrase, words, words_key
from conftest import cli
from factories import make_results

DASH = "\N{EN DASH}"  # MDN writes version ranges with an en dash
STAMP = re.compile(r"^\d{8}T\d{6}Z\.json$")


def firefox_history() -> list[Results]:
    """Four hand-made runs in the shape of MDN's story: Firefox 22 to 50 throw NotSupportedError,
    later versions lack the method; Chromium supports it from 120 to 157 throughout."""
    runs = []
    for day, chromium, firefox, throws in [(1, "120", "22", True), (2, "130", "50", True), (3, "157", "51", False)]:
        results = make_results()
        results.run.started = f"2026-01-0{day}T10:00:00+00:00"
        assert results.targets[0].browser and results.targets[1].browser
        results.targets[0].browser.version = f"{chromium}.0.1.2"
        results.targets[1].browser.version = f"{firefox}.0"
        if not throws:
            results.targets[1].outcomes[1] = Outcome("X/removeStream/closed", "unsupported", reason="member-missing")
        runs.append(results)
    last = make_results()
    last.run.started = "2026-01-04T10:00:00+00:00"
    last.targets[0].browser.version, last.targets[1].browser.version = "157.0.9.9", "153.0"  # type: ignore[union-attr]
    last.targets[1].outcomes[1] = Outcome("X/removeStream/closed", "unsupported", reason="member-missing")
    return [*runs, last]


def test_segments_and_ranges() -> None:
    histories = cell_histories(firefox_history())
    chromium = histories[("chromium", "chromium", "X/removeStream/exists")]
    assert [(s.label, s.versions, s.runs) for s in chromium.segments] == [("Yes", f"120 {DASH} 157", 4)]
    firefox = histories[("firefox", "firefox", "X/removeStream/closed")]
    assert [(s.label, s.versions, s.runs) for s in firefox.segments] == [
        ("Throws NotSupportedError", f"22 {DASH} 50", 2),
        ("No (member missing)", f"51 {DASH} 153", 2),
    ]
    assert ("webkit", "webkit", "X/removeStream/exists") not in histories  # never observed: no history


def test_table_shows_ranges_and_notes_where_the_outcome_changed() -> None:
    runs = firefox_history()
    table = build_table(runs[-1])
    annotate_table(table, runs)
    md = MarkdownFormat().table(table)
    row = next(line for line in md.splitlines() if line.startswith("| on closed throws InvalidStateError"))
    chromium_cell, firefox_cell = row.split(" | ")[1:3]
    assert chromium_cell.startswith(f"✓ Throws InvalidStateError 120 {DASH} 157 [")
    note = table.footnotes.index(
        "on closed throws InvalidStateError: Firefox throws NotSupportedError from 22 to 50"
        " (2 runs, 2026-01-01 to 2026-01-02)."
    )
    assert firefox_cell == f"✗ No 51 {DASH} 153 (member missing) [{note + 1}]"
    # Markdown lists only rows where browsers differ; the HTML table has every row and its ranges.
    assert not any(line.startswith("| removeStream() exists") for line in md.splitlines())
    assert f'<span class="icon" aria-hidden="true">✓</span>Yes <span class="range">120 {DASH} 157</span>' in (
        HtmlFormat().table(table)
    )
    assert "Version ranges from 4 runs (2026-01-01 to 2026-01-04)." in md


def test_save_never_overwrites(tmp_path: Path) -> None:
    results = make_results()
    paths = [save_to_history(results, tmp_path / "history") for _ in range(3)]
    assert [p.name for p in paths] == ["20260101T000000Z.json", "20260101T000000Z-2.json", "20260101T000000Z-3.json"]
    assert all(p.read_text() == dumps(results) for p in paths)
    assert sorted(p.name for p in (tmp_path / "history").iterdir()) == sorted(p.name for p in paths)  # no temp files
    assert len(load_history(tmp_path / "history")) == 3


def test_render_a_history_folder_from_the_command_line(tmp_path: Path) -> None:
    for results in reversed(firefox_history()):  # the order of saving does not matter; run times do
        save_to_history(results, tmp_path)
    md = cli("render", str(tmp_path), "--format", "md", check=True).stdout
    assert "\n| Feature | Chromium 157 | Firefox 153 |" in md
    assert f"| ✓ Throws InvalidStateError 120 {DASH} 157 [" in md
    assert "Firefox throws NotSupportedError from 22 to 50" in md
    data = json.loads(cli("render", str(tmp_path), "--format", "json", check=True).stdout)
    assert data["history_version"] == 1
    assert [r["started"][:10] for r in data["runs"]] == ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]
    cell = next(c for c in data["cells"] if (c["target"], c["probe"]) == ("firefox", "X/removeStream/closed"))
    assert [(s["outcome"], s["first"], s["last"], s["runs"]) for s in cell["segments"]] == [
        ("Throws NotSupportedError", "22", "50", 2),
        ("No (member missing)", "51", "153", 2),
    ]


def test_a_history_folded_as_it_is_read_gives_the_tables_of_its_whole_runs(tmp_path: Path) -> None:
    """`render DIR` holds only the newest run whole: the others are folded into a timeline as they are read."""
    for results in firefox_history():
        save_to_history(results, tmp_path)
    whole = [r.results for r in load_history(tmp_path)]
    read = api.history_timeline(tmp_path)
    assert [r.started for r in read.timeline.runs] == [r.run.started for r in whole[:-1]]  # the newest is whole
    assert read.newest is not None and dumps(read.newest) == dumps(whole[-1])
    alone = api.history_timeline(tmp_path, newest_whole=False)  # as `run --history` reads it: its own run is newest
    assert alone.newest is None and alone.timeline.runs[:-1] == read.timeline.runs
    assert [r.started for r in alone.timeline.runs] == [r.run.started for r in whole]
    assert alone.timeline.cell_histories() == cell_histories(whole)
    for name in ("html", "md", "json"):
        made = api.output_format(name)
        expected = made.table(api.table(whole[-1], history=whole))
        assert made.table(api.table(read.newest, history=read.timeline)) == expected
        # The timeline is left as it was: a second table from it is the same.
        assert made.table(api.table(read.newest, history=read.timeline)) == expected
    runs = load_history(tmp_path)
    assert json.loads(api.output_format("json", "history").history(alone.timeline)) == json.loads(
        api.output_format("json", "history").history(runs)
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no results files in this history folder"),
        ('{"schema_version": 1, "run": {', "not valid JSON"),
        (dumps(make_results()).replace("2026-01-01T00:00:00+00:00", "yesterday"), "is not an ISO 8601 time"),
    ],
)
def test_bad_history_folder(tmp_path: Path, content: str | None, words: str) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    write_results(make_results(), tmp_path / "ok.json")
    if content is not None:
        (folder / "20260101T000000Z.json").write_text(content)
    out = tmp_path / "table.html"
    proc = cli("render", str(folder), "-o", str(out))
    assert proc.returncode == 2 and words in proc.stderr and not out.exists()
    assert proc.stderr.startswith(f"compatprobe: error: {folder}")


def test_run_history_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "h.json").write_text("{}")
    args = ["--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html")]
    proc = cli("run", "-b", "chromium", "--history", str(tmp_path / "h.json"), *args)
    assert proc.returncode == 2 and "is a file, not a history folder" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.json"]


@pytest.mark.browsers
def test_run_keeps_every_run_in_the_history(runs_ab: dict[str, Any]) -> None:
    files = sorted(runs_ab["history"].iterdir())
    assert len(files) == 2 and all(STAMP.match(p.name) for p in files), files
    # Each kept file is the run's results file, byte for byte.
    assert files[0].read_text() == runs_ab["A"].read_text()
    assert files[1].read_text() == runs_ab["B"].read_text()
    assert f"wrote {runs_ab['B']}, {files[1]} and " in runs_ab["B_stderr"]
    assert read_results(files[0]).run.started < read_results(files[1]).run.started


@pytest.mark.browsers
def test_render_the_real_history(runs_ab: dict[str, Any], output_dir: Path) -> None:
    """Both runs ran in the same browsers, so every range is one version; the changes become notes."""
    md = cli("render", str(runs_ab["history"]), "--format", "md", check=True).stdout
    version = read_results(runs_ab["B"]).targets[0].browser.version.split(".")[0]  # type: ignore[union-attr]
    settles = next(line for line in md.splitlines() if line.startswith("| settles"))
    assert settles.split(" | ")[1].startswith(f"✓ Yes {version} [")
    day = read_results(runs_ab["A"]).run.started[:10]
    assert f"settles: Chromium times out in {version} (1 run, {day})." in md
    assert "the method appears: Chromium does not support it (member missing) in" in md
    assert "Version ranges from 2 runs" in md
    # The table that `run --history` wrote is the same table: the newest run with its history.
    html = (runs_ab["base"] / "B" / "index.html").read_text()
    assert f'<span class="range">{version}</span>' in html and "settles: Chromium times out in" in html
    (output_dir / "history.md").write_text(md)


def test_a_folder_whose_names_are_out_of_order_gives_the_same_timeline(tmp_path: Path) -> None:
    """Runs are folded oldest first; files named otherwise than by their runs' time (copies named by
    hand) are read again and sorted, not folded out of order."""
    runs = firefox_history()
    named = tmp_path / "named"
    for results in runs:
        save_to_history(results, named)
    expected = api.history_timeline(named, newest_whole=False).timeline
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    for name, results in zip(["d.json", "a.json", "c.json", "b.json"], runs, strict=True):
        write_results(results, shuffled / name)
    read = api.history_timeline(shuffled, newest_whole=False).timeline
    assert [r.started for r in read.runs] == [r.started for r in expected.runs] == [r.run.started for r in runs]
    assert read.cell_histories() == expected.cell_histories() == cell_histories(runs)
    newest = api.history_timeline(shuffled)
    assert newest.newest is not None and newest.newest.run.started == runs[-1].run.started
    assert [r.started for r in newest.timeline.runs] == [r.run.started for r in runs[:-1]]


def test_two_runs_saved_in_one_second_are_folded_in_their_order(tmp_path: Path) -> None:
    """The second is named "-2.json", which a plain sort puts before the first."""
    first, second = firefox_history()[2:]
    first.run.started, second.run.started = "2026-01-03T10:00:00.1+00:00", "2026-01-03T10:00:00.9+00:00"
    names = [save_to_history(results, tmp_path).name for results in (first, second)]
    assert names == ["20260103T100000Z.json", "20260103T100000Z-2.json"] and sorted(names) != names
    read = api.history_timeline(tmp_path)
    assert [r.started for r in read.timeline.runs] == [first.run.started]
    assert read.newest is not None and read.newest.run.started == second.run.started


def test_a_timeline_grows_with_what_changes_not_with_the_runs() -> None:
    """A year of daily runs that observe the same thing is one stretch a cell, not a record a run."""
    trace = trace_of(firefox_history()[-1])
    timeline = Timeline()
    for day in range(365):
        timeline.add(replace(trace, started=(date(2026, 1, 1) + timedelta(days=day)).isoformat() + "T05:17:00+00:00"))
    stretches = [s for versions in timeline.cells.values() for stretch in versions.values() for s in stretch]
    assert len(stretches) == len(timeline.cells) > 0 and {s.runs for s in stretches} == {365}
    assert len(timeline.runs) == 365
    (history,) = [
        h for h in timeline.cell_histories().values() if h.probe == "X/removeStream/closed" and h.engine == "firefox"
    ]
    assert [(s.first_run[:10], s.last_run[:10], s.runs) for s in history.segments] == [
        ("2026-01-01", "2026-12-31", 365)
    ]


def test_outcomes_with_one_words_key_have_the_same_words() -> None:
    """A history words each kind of outcome once (results.words.words_key): outcomes with one key have
    one wording, and every field the key leaves out, set otherwise, changes no outcome's words."""
    others = {
        "probe": "Y/other",
        "message": "another message",
        "values": {"x": "1"},
        "events": ["close"],
        "line": 7,
        "path": "Y.z",
        "runs": 3,
        "flaky": True,
        "variants": [],
        "scope": "worker",
    }
    keyed = {"status", "reason", "exception", "suspect"}
    assert {f.name for f in fields(Outcome)} == keyed | set(others)  # a new field: key it or list it here
    names, expected = ("TypeError", "NotSupportedError"), (None, True, False)
    exceptions = [None, *(ExceptionInfo(n, "m", e) for n in names for e in expected)]
    worded: dict[tuple[object, ...], set[tuple[object, ...]]] = {}
    for status, reason, exception, suspect in product(
        ("supported", "unsupported", "throws", "error", "timeout"),
        (None, "member-missing", "setup", "scope-unavailable", "not-a-function"),
        exceptions,
        (None, "api.X.y"),
    ):
        outcome = Outcome("X/y", status, reason=reason, exception=exception, suspect=suspect)
        for each in (outcome, replace(outcome, **others)):
            worded.setdefault(words_key(each), set()).add((label_and_phrase(each), words(each)))
    assert all(len(wordings) == 1 for wordings in worded.values())
    assert len(worded) == 5 * 5 * 7 * 2
