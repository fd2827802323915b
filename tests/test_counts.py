"""Counts that add up (issue 22): probes not selected count hand-written ones only; the progress line
counts outcomes; and one definition of each count (kinds.SUMMARY_COLUMNS), so the line a target ends
with and the summary of the same run say the same numbers, an expected exception counting as support
(tests/test_table_mdn.py checks the Markdown summary's)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from compatprobe.config.matrix import load_matrix
from compatprobe.kinds import CELL_KINDS, SUMMARY_COLUMNS, summary_column
from compatprobe.probes.loader import Probe, load_probes
from compatprobe.probes.select import left_out
from compatprobe.results.model import BrowserInfo, TargetResult
from compatprobe.run.progress import Progress
from conftest import ROOT


def test_probes_not_selected_are_the_hand_written_ones_the_run_does_not_take() -> None:
    matrix = load_matrix(ROOT / "matrix.yaml")
    shipped = load_probes(matrix.probes_dir, ["*"])
    generated = [
        Probe(id=f"api.X.m{i}", path=Path("generated", f"api.X.m{i}"), feature=f"api.X.m{i}", title="", source="")
        for i in range(18)
    ]
    generated = [Probe(**{**p.__dict__, "generated": "@webref/idl 3.85.0"}) for p in generated]
    # -f 'api.Clipboard*' takes no hand-written probe and 18 generated ones: every shipped probe is left out.
    assert left_out(matrix.probes_dir, generated) == len(shipped)
    assert left_out(matrix.probes_dir, [*generated, *shipped[:2]]) == len(shipped) - 2


def test_the_progress_line_counts_outcomes() -> None:
    out = io.StringIO()
    progress = Progress(out)
    progress.probe_done(TargetResult(name="chromium", engine="chromium"), 11141, done=1)
    assert out.getvalue() == "compatprobe: chromium: 1/11141 outcomes\n"


def test_a_browser_named_after_its_start_line_is_said_again() -> None:
    out = io.StringIO()
    result = TargetResult(name="grid-1", engine="chromium", browser=BrowserInfo("Chromium", "156.0"))
    Progress(out).browser_named(result, "Chrome")
    assert out.getvalue() == "compatprobe: grid-1: the browser names itself Chromium (it was started as Chrome)\n"


def test_every_cell_kind_counts_in_exactly_one_column() -> None:
    counted = [kind for kinds in SUMMARY_COLUMNS.values() for kind in kinds]
    assert sorted(counted) == sorted(CELL_KINDS)
    assert summary_column("throws-expected") == "supported"
    assert summary_column("throws") == "throws"
    assert summary_column("setup") == "unknown"


def _from_results(target: dict[str, Any]) -> dict[str, int]:
    """The counts worked out here from the results file, without compatprobe's code."""
    said = [(o["status"], bool((o.get("exception") or {}).get("expected"))) for o in target["outcomes"]]
    return {
        "supported": sum(s == "supported" or (s == "throws" and e) for s, e in said),
        "missing": sum(s == "unsupported" for s, _ in said),
        "throws": sum(s == "throws" and not e for s, e in said),
        "unknown": sum(s in ("error", "timeout") for s, _ in said),
    }


@pytest.mark.browsers
def test_progress_line_and_summaries_say_the_same_counts(observed: dict[str, Any]) -> None:
    html = (observed["dir"] / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th>((?:<td[^>]*>\d+</td>)+)</tr>', html)
    assert len(rows) == len(observed["results"]["targets"])  # the summary: a row per browser, in run order
    for target, (heading, row) in zip(observed["results"]["targets"], rows, strict=True):
        expected = _from_results(target)
        assert sum(expected.values()) == len(target["outcomes"]) == len(observed["results"]["probes"])
        line = re.search(rf"compatprobe: {target['name']}: ok in [\d.]+ s \(([^)]*)\)", observed["stderr"])
        assert line, observed["stderr"]
        said = {column: int(n) for n, column in re.findall(r"(\d+) (\w+)", line[1])}
        assert said == {column: n for column, n in expected.items() if n}, line[0]
        assert heading.startswith(target["browser"]["name"].split()[0]), heading
        cells = [int(n) for n in re.findall(r">(\d+)<", row)]
        assert cells[:4] == [expected[c] for c in ("supported", "missing", "throws", "unknown")], heading
