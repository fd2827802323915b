"""A large table (more than report.layout.SPLIT_ROWS rows) written by `render -o`: an index, a page per
section and a differences page beside it, written together, and the CLI says which."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compatprobe import api
from compatprobe.cli import main
from compatprobe.report.layout import SPLIT_ROWS
from compatprobe.results.model import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult, write_results


def large_results(interfaces: int = 30, members: int = 20) -> Results:
    probes = []
    for i in range(interfaces):
        probes.append(ProbeInfo(f"I{i}/exists", f"api.I{i}", f"I{i} interface", "0" * 64))
        probes += [
            ProbeInfo(f"I{i}/m{j}", f"api.I{i}.m{j}", f"m{j} is on the prototype", "0" * 64) for j in range(members)
        ]
    # Firefox lacks every member m0: those rows, and only those, differ.
    targets = [
        TargetResult(
            name,
            name,
            browser=BrowserInfo(label, version),
            outcomes=[
                Outcome(p.id, "unsupported", reason="member-missing")
                if name == "firefox" and p.id.endswith("/m0")
                else Outcome(p.id, "supported")
                for p in probes
            ],
        )
        for name, label, version in (("chromium", "Chromium", "156.0"), ("firefox", "Firefox", "153.0"))
    ]
    return Results(RunInfo("2026-12-01T00:00:00+00:00", "2026-12-01T00:01:00+00:00", "t", {}), probes, targets)


def test_large_table_is_an_index_with_a_page_per_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = large_results()
    assert len(results.probes) > SPLIT_ROWS
    write_results(results, tmp_path / "results.json")
    out = tmp_path / "out"
    assert main(["render", str(tmp_path / "results.json"), "-o", str(out / "index.html")]) == 0
    pages = sorted(p.name for p in out.iterdir())
    assert pages == sorted(["index.html", "differences.html", *(f"api.I{i}.html" for i in range(30))])
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    said = capsys.readouterr().err
    assert f"wrote {out / 'index.html'} and 31 pages beside it" in said
    assert "unchanged" not in said
    index = (out / "index.html").read_text()
    assert all(f'href="api.I{i}.html"' in index for i in range(30))
    section = (out / "api.I7.html").read_text()
    ids = re.findall(r'<tr class="[^"]*" id="([^"]+)"', section)
    assert ids == ["api.I7", *sorted(f"api.I7.m{j}" for j in range(20))]  # the interface's row heads its page
    differences = (out / "differences.html").read_text()
    listed = re.findall(r'<a href="(api\.I\d+\.html#[^"]+)"', differences)
    assert sorted(listed) == sorted(f"api.I{i}.html#api.I{i}.m0" for i in range(30))


def test_bad_web_features_path_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_results(large_results(2, 2), tmp_path / "results.json")
    out = tmp_path / "out" / "index.html"
    args = ["render", str(tmp_path / "results.json"), "--web-features", str(tmp_path / "nope.tgz"), "-o", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "nope.tgz: web-features file not found (get it with: npm pack web-features" in err
    assert not out.parent.exists()
    (tmp_path / "bad.json").write_text('{"browsers": {}}')
    assert main([*args[:3], str(tmp_path / "bad.json"), *args[4:]]) == 2
    assert "bad.json: not web-features data (no 'features')" in capsys.readouterr().err


def test_a_second_render_says_which_pages_it_left_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pages whose bytes would not change are not replaced, and the line says how many."""
    results = large_results()
    write_results(results, tmp_path / "results.json")
    out = tmp_path / "out" / "index.html"
    assert main(["render", str(tmp_path / "results.json"), "-o", str(out)]) == 0
    capsys.readouterr()
    times = {p.name: p.stat().st_mtime_ns for p in out.parent.iterdir()}
    firefox = results.targets[1]
    firefox.outcomes = [Outcome(o.probe, "supported") if o.probe == "I3/m0" else o for o in firefox.outcomes]
    write_results(results, tmp_path / "results.json")
    assert main(["render", str(tmp_path / "results.json"), "-o", str(out)]) == 0
    said = capsys.readouterr().err
    replaced = sorted(p.name for p in out.parent.iterdir() if p.stat().st_mtime_ns != times[p.name])
    # The row that changed is on its section's page, the differences page and the index (its counts).
    assert replaced == ["api.I3.html", "differences.html", "index.html"]
    assert "; 29 of the pages were unchanged and left as they were" in said


def test_saving_a_run_twice_leaves_every_page_as_it_was(tmp_path: Path) -> None:
    """`run` saves through api.saving: the same run saved again replaces none of its pages."""
    results = large_results()
    out = tmp_path / "out"
    left: list[list[str]] = []
    for _ in range(2):
        pages = api.output_format("html").table_pages(api.table(results), "index.html")
        with api.saving(results, tmp_path / "results.json") as pending:
            wrote = pending.save([(out / name, render) for name, render in pages], None)
        left.append(sorted(p.name for p in pending.left_alone))
    assert left[0] == []
    assert left[1] == sorted(p.name for p in wrote[1:]) and len(left[1]) == 32
