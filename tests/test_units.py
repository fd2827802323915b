"""Unit tests for modules with logic that other tests only reached through a whole run: the CSS
generator's syntax reading, the generators' categories, the table's assembly, the JSON formats, YAML
with lines, and a probe as the results file records it. No browser: each checks pure logic on
hand-made data."""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path

import pytest

from compatprobe.config.yamlfile import check_keys, expect, load_yaml, plain
from compatprobe.diff.compare import compare
from compatprobe.errors import InputError
from compatprobe.probes.generate.build import categories_for
from compatprobe.probes.generate.css import keywords, sample_value, valid_alone
from compatprobe.probes.info import probe_info
from compatprobe.probes.loader import parse_probe
from compatprobe.report.assemble import Previous, assemble_table
from compatprobe.report.formats.json import diff_dict, history_dict
from compatprobe.results.history import HistoryRun
from compatprobe.results.model import ExceptionInfo, Outcome
from factories import make_results


def test_css_keywords_leave_out_types_and_functions() -> None:
    assert keywords("auto | <length> | fit-content( <length> ) | min-content") == ["auto", "min-content"]


@pytest.mark.parametrize(
    ("syntax", "keyword", "alone"),
    [
        ("none | hanging", "hanging", True),
        ("<length-percentage> && hanging? && each-line?", "hanging", False),  # text-indent: goes with a length
        ("[ normal | bold ] | <number>", "bold", True),  # inside a group that is one alternative
        ("[ normal | bold ] [ a | b ]", "bold", False),  # a sequence of groups
        ("auto || <length>", "auto", True),
    ],
)
def test_css_keywords_valid_alone(syntax: str, keyword: str, alone: bool) -> None:
    assert valid_alone(syntax, keyword) is alone


def test_css_sample_value_prefers_a_keyword_then_a_plain_initial_value() -> None:
    assert sample_value({"syntax": "<length> | thin", "initial": "medium"}) == "thin"
    assert sample_value({"syntax": "<length>", "initial": "0px"}) == "0px"
    assert sample_value({"syntax": "<color>", "initial": "depends on user agent"}) == "initial"


def test_generators_a_pattern_needs() -> None:
    assert categories_for(["api.Blob*"]) == ["api"]
    assert categories_for(["css.properties.display", "javascript.builtins.Array"]) == ["css", "javascript"]
    assert categories_for(["*"]) == ["api", "css", "javascript", "webassembly"]
    assert categories_for(["html.elements.a"]) == []  # no generator for it


def test_probe_info_records_the_window_as_no_exposure(tmp_path: Path) -> None:
    path = tmp_path / "X" / "y.js"
    path.parent.mkdir()
    path.write_text("/*---\nfeature: api.X.y\ntitle: y() exists\n---*/\nt.require('X.prototype.y');\n")
    info = probe_info(parse_probe(path, "X/y"))
    assert (info.id, info.feature, info.title, info.exposed) == ("X/y", "api.X.y", "y() exists", None)
    assert len(info.sha256) == 64


def test_the_table_marks_changes_against_a_previous_run() -> None:
    old, new = make_results("not supported anymore"), make_results("still not supported")
    table = assemble_table(new, previous=Previous(old, "old.json"))
    changed = [(row.probe.id, cell.changed) for row in table.rows for cell in row.cells if row.probe and cell.changed]
    assert changed == [("X/removeStream/closed", "exception_changed")]
    # Without a previous run nothing is marked, and the same results build the same rows.
    plain_table = assemble_table(new)
    assert [r.label for r in plain_table.rows] == [r.label for r in table.rows]
    assert not any(cell.changed for row in plain_table.rows for cell in row.cells)


def test_the_table_gives_version_ranges_over_a_history() -> None:
    older, newer = make_results(), make_results()
    older.targets[0].browser.version = "150.0.0.1"  # type: ignore[union-attr]
    table = assemble_table(newer, history=[older, newer])
    ranges = {cell.range for row in table.rows for cell in row.cells[:1]}
    assert ranges == {"150 \u2013 156"}  # an en dash


def test_the_diff_as_json() -> None:
    old = make_results()
    new = deepcopy(old)
    new.targets[1].outcomes[2] = Outcome("X/removeTrack/exists", "supported")
    new.targets[0].outcomes[1] = Outcome("X/removeStream/closed", "throws", exception=ExceptionInfo("E", "m", False))
    data = json.loads(json.dumps(diff_dict(compare(old, new, "a.json", "b.json"))))
    assert (data["old"]["file"], data["new"]["file"]) == ("a.json", "b.json")
    kinds = {(c["target"], c["probe"]): (c["change"], c["before"], c["after"]) for c in data["cells"]}
    assert kinds == {
        ("firefox", "X/removeTrack/exists"): ("gained", "No (member missing)", "Yes"),
        ("chromium", "X/removeStream/closed"): ("lost", "Throws InvalidStateError", "Throws E"),
    }
    assert all("scope" not in c for c in data["cells"])  # the window goes unsaid, as in the results file


def test_the_history_as_json_follows_each_cell() -> None:
    first, second = make_results(), make_results()
    second.targets[1].outcomes[2] = Outcome("X/removeTrack/exists", "supported")
    second.targets[1].browser.version = "41.0"  # type: ignore[union-attr]
    second.run.started = "2026-02-01T00:00:00+00:00"
    runs = [HistoryRun(Path("1.json"), first), HistoryRun(Path("2.json"), second)]
    data = json.loads(json.dumps(history_dict(runs)))
    assert len(data["runs"]) == 2
    cell = next(c for c in data["cells"] if c["target"] == "firefox" and c["probe"] == "X/removeTrack/exists")
    assert [s["outcome"] for s in cell["segments"]] == ["No (member missing)", "Yes"]


def test_yaml_keeps_lines_for_errors(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("targets:\n  - name: a\n    engin: chromium\n")
    root = load_yaml(path)
    assert plain(root) == {"targets": [{"name": "a", "engin": "chromium"}]}
    entry = expect(root, dict, "the matrix")["targets"].value[0]
    with pytest.raises(InputError) as info:
        check_keys(entry, {"name", "engine"}, {"name", "engine"}, "a target")
    assert str(info.value).startswith(f"{path}:3: unknown key 'engin' in a target")
    assert "did you mean 'engine'?" in str(info.value)
    with pytest.raises(InputError) as info:
        expect(entry, list, "a target")
    assert str(info.value).startswith(f"{path}:2: a target must be a list")


def test_every_kind_of_change_has_its_words_and_the_diff_computes_only() -> None:
    from compatprobe.diff import compare as computing
    from compatprobe.diff.compare import CHANGE_KINDS
    from compatprobe.report.diff_words import SHORT, TITLES, worded

    assert tuple(TITLES) == tuple(SHORT) == CHANGE_KINDS
    # diff/ returns data; the words (labels, titles, summary) are report/'s.
    assert not any(hasattr(computing, name) for name in ("label", "TITLES", "SHORT", "ChangeRow"))
    diff = computing.compare(make_results(), make_results())
    assert not hasattr(diff, "summary") and worded(diff).summary() == "no changes; 6 unchanged, 3 not compared"
    said = worded(diff)
    assert worded(said) is said


def test_the_window_is_window_in_the_model_and_unsaid_in_the_file(tmp_path: Path) -> None:
    from compatprobe.results.model import read_results, to_dict, write_results

    results = make_results()
    results.targets[0].outcomes.append(Outcome("X/removeTrack/exists", "supported", scope="worker"))
    data = to_dict(results)
    scopes = [o.get("scope") for o in data["targets"][0]["outcomes"]]
    assert scopes.count("worker") == 1 and scopes.count(None) == 3 and "window" not in scopes
    write_results(results, tmp_path / "r.json")
    again = read_results(tmp_path / "r.json")
    assert sorted(o.scope for o in again.targets[0].outcomes) == ["window", "window", "window", "worker"]
    assert all(o.scope == "window" for t in again.targets[1:] for o in t.outcomes)
