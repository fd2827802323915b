"""A report's files are written together (report.writing): all or none, and a folder holds one report."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from compatprobe import cli
from compatprobe.report.layout import page_name, section_of
from compatprobe.report.writing import write_report
from golden_report import unpack_results

HEAD = '<!doctype html>\n<meta name="generator" content="compatprobe 0.1.0">\n'


def split_report(folder: Path, pages: list[str]) -> Iterator[tuple[Path, str]]:
    links = "".join(f'<a href="{name}">{name}</a>' for name in pages)
    yield folder / "index.html", HEAD + links
    for name in pages:
        yield folder / name, HEAD + name


def test_a_small_report_over_a_split_one_leaves_none_of_its_pages(tmp_path: Path) -> None:
    write_report(split_report(tmp_path, ["differences.html", "api.A.html", "api.B.html"]))
    (tmp_path / "results.json").write_text("{}")
    (tmp_path / "notes.html").write_text("mine")  # not a page of the report: kept
    written = write_report(split_report(tmp_path, ["differences.html", "api.B.html"]))
    assert [p.name for p in written] == ["index.html", "differences.html", "api.B.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "api.B.html",
        "differences.html",
        "index.html",
        "notes.html",
        "results.json",
    ]
    write_report([(tmp_path / "index.html", HEAD + "one page")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "notes.html", "results.json"]


def test_the_links_of_a_page_compatprobe_did_not_write_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="theirs.html">x</a>')
    (tmp_path / "theirs.html").write_text("theirs")
    write_report([(tmp_path / "index.html", HEAD)])
    assert (tmp_path / "theirs.html").read_text() == "theirs"


def test_a_failure_while_rendering_replaces_nothing_and_leaves_no_staging(tmp_path: Path) -> None:
    write_report(split_report(tmp_path, ["api.A.html"]))
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}

    def failing() -> Iterator[tuple[Path, str]]:
        yield tmp_path / "index.html", HEAD + "new"
        yield tmp_path / "api.A.html", HEAD + "new"
        raise RuntimeError("the template broke")

    with pytest.raises(RuntimeError):
        write_report(failing())
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before


def test_pages_get_the_mode_the_umask_gives(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        (written,) = write_report([(tmp_path / "sub" / "index.html", HEAD)])
    finally:
        os.umask(mask)
    assert written.stat().st_mode & 0o777 == 0o644


def test_a_second_write_of_the_same_report_replaces_only_what_changed(tmp_path: Path) -> None:
    write_report(split_report(tmp_path, ["api.A.html", "api.B.html"]))
    before = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}

    def changed() -> Iterator[tuple[Path, str]]:
        for path, text in split_report(tmp_path, ["api.A.html", "api.B.html"]):
            yield path, text + ("changed" if path.name == "api.B.html" else "")

    written = write_report(changed())
    assert [p.name for p in written] == ["index.html", "api.A.html", "api.B.html"]
    after = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    assert [name for name in before if before[name] != after[name]] == ["api.B.html"]
    assert (tmp_path / "api.B.html").read_text().endswith("changed")


def test_a_run_of_another_day_rewrites_only_the_pages_that_changed(tmp_path: Path) -> None:
    # A daily run that observes one change rewrites the index, the differences page and the
    # changed row's section: a section page names neither the run's day nor its counts.
    results = unpack_results(tmp_path)
    out = tmp_path / "out" / "index.html"
    assert cli.main(["render", str(results), "-o", str(out)]) == 0
    before = {p.name: p.stat().st_ino for p in out.parent.iterdir()}
    data = json.loads(results.read_text())
    data["run"]["started"] = data["run"]["finished"] = "2030-01-02T03:04:05+00:00"
    changed = next(o for o in data["targets"][0]["outcomes"] if o["status"] == "supported" and "scope" not in o)
    changed.update(status="unsupported", reason="member-missing", message="not there")
    results.write_text(json.dumps(data))
    assert cli.main(["render", str(results), "-o", str(out)]) == 0
    after = {p.name: p.stat().st_ino for p in out.parent.iterdir()}
    assert before.keys() == after.keys() and len(before) > 300
    rewritten = {name for name in before if before[name] != after[name]}
    feature = next(p["feature"] for p in data["probes"] if p["id"] == changed["probe"])
    assert feature.startswith("api.")  # its section is its interface's (report.layout.section_of)
    section = page_name(section_of(feature, set(), ""))
    assert rewritten == {"index.html", "differences.html", section}
    assert "on 2030-01-02" in out.read_text(encoding="utf-8")
    assert "2030" not in (out.parent / section).read_text(encoding="utf-8")
