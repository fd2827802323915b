"""--repeat: each probe runs N times; outcomes that differ are marked flaky in the results and the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compatprobe.report.table import build_table
from compatprobe.results.model import ExceptionInfo, Outcome, read_results
from compatprobe.run.repeat import fold
from conftest import FIXTURES, cli

YES = Outcome("p", "supported")
NO = Outcome("p", "unsupported", reason="behaviour", message="an odd run")


def test_fold_agreeing_runs() -> None:
    folded = fold([YES, YES, YES])
    assert (folded.status, folded.runs, folded.flaky, folded.variants) == ("supported", 3, None, None)
    assert fold([YES]) is YES  # one run: nothing to say about repeats


def test_fold_keeps_the_most_frequent_and_lists_the_others() -> None:
    throws = Outcome("p", "throws", exception=ExceptionInfo("TypeError", "x", False))
    folded = fold([NO, YES, YES, throws, YES])
    assert folded.status == "supported" and folded.runs == 5 and folded.flaky is True
    assert [(v.count, v.status) for v in folded.variants or []] == [(1, "unsupported"), (1, "throws")]
    # On a tie the first outcome seen wins, so a result does not depend on dictionary order.
    assert fold([NO, YES]).status == "unsupported"


def test_fold_compares_whole_outcomes() -> None:
    other_value = Outcome("p", "supported", values={"x": "1"})
    assert fold([YES, other_value]).flaky is True
    assert fold([Outcome("p", "supported", events=["a", "b"]), Outcome("p", "supported", events=["b", "a"])]).flaky


@pytest.mark.browsers
def test_repeat_marks_flaky_outcomes(tmp_path: Path) -> None:
    proc = cli(
        "run", "-m", str(FIXTURES / "flaky" / "matrix.yaml"), "--repeat", "4",
        "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["run"]["repeat"] == 4
    outcomes = {o["probe"]: o for o in data["targets"][0]["outcomes"]}
    assert outcomes["steady"] == {
        "probe": "steady",
        "status": "supported",
        "runs": 4,
        "values": {"answer": "42"},
        "events": [],
    }
    alternates = outcomes["alternates"]
    assert (alternates["status"], alternates["runs"], alternates["flaky"]) == ("supported", 4, True)
    assert alternates["variants"] == [
        {
            "count": 2,
            "status": "unsupported",
            "reason": "behaviour",
            "message": "an odd run",
            "values": {},
            "events": [],
        }
    ]
    results = read_results(tmp_path / "r.json")  # valid against the schema
    table = build_table(results)
    assert [c.flaky for row in table.rows for c in row.cells] == [True, False]
    assert table.legend[-1].key == "flaky"
    html = (tmp_path / "i.html").read_text()
    assert html.count('class="flaky"') == 1 and "Flaky: repeated runs gave different outcomes" in html
    assert "of 4 runs, 2 gave the result shown; 2 gave unsupported (behaviour): an odd run" in html
    md = cli("render", str(tmp_path / "r.json"), "--format", "md", check=True).stdout
    assert "| ✓ Yes ≈ flaky [1] |" in md and "≈ Flaky: repeated runs" in md


def test_repeat_must_be_a_positive_number(tmp_path: Path) -> None:
    for bad in ("0", "-1", "two"):
        proc = cli("run", "--repeat", bad, "--results", str(tmp_path / "r.json"))
        assert proc.returncode == 2 and "argument --repeat:" in proc.stderr
        assert "must be 1 or more" in proc.stderr or f"not a whole number: '{bad}'" in proc.stderr
    assert list(tmp_path.iterdir()) == []
