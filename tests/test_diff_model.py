"""The diff's pure logic on hand-made results: matching, classification, counting, reading versions."""

from __future__ import annotations

import copy
import dataclasses
from html import unescape

import pytest

from compatprobe.api import diff as compare
from compatprobe.diff.compare import classify, differing_fields
from compatprobe.report.formats.html import HtmlFormat
from compatprobe.report.formats.markdown import MarkdownFormat
from compatprobe.report.formats.text import TextFormat
from compatprobe.results.model import (
    READABLE_SCHEMA_VERSIONS,
    SCHEMA_VERSION,
    UPGRADES,
    BrowserInfo,
    ExceptionInfo,
    Outcome,
    TargetResult,
    schema,
)
from factories import make_results

YES = Outcome("p", "supported")
NO = Outcome("p", "unsupported", reason="member-missing", message="X.y is not defined")
GONE = Outcome("p", "unsupported", reason="interface-missing", message="X is not defined")
DIFFERS = Outcome("p", "unsupported", reason="behaviour", message="it returned 1")
EXPECTED_THROW = Outcome("p", "throws", exception=ExceptionInfo("InvalidStateError", "closed", True))
OTHER_THROW = Outcome("p", "throws", exception=ExceptionInfo("NotSupportedError", "closed", False))
THIRD_THROW = Outcome("p", "throws", exception=ExceptionInfo("OperationError", "closed", False))
REWORDED_THROW = Outcome("p", "throws", exception=ExceptionInfo("InvalidStateError", "the pc is closed", True))
TIMEOUT = Outcome("p", "timeout", reason="deadline", message="did not settle within 5000 ms")
BROKEN = Outcome("p", "error", reason="exception", message="the probe threw outside a checked call")


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (YES, NO, "lost"),
        (YES, DIFFERS, "lost"),
        (EXPECTED_THROW, OTHER_THROW, "lost"),  # ✓ to ⚠: the spec's exception became another one
        (NO, YES, "gained"),
        (OTHER_THROW, EXPECTED_THROW, "gained"),
        (DIFFERS, EXPECTED_THROW, "gained"),
        (OTHER_THROW, THIRD_THROW, "exception_changed"),
        (EXPECTED_THROW, REWORDED_THROW, "exception_changed"),
        (TIMEOUT, YES, "other"),
        (YES, TIMEOUT, "other"),  # a timeout says nothing about support: not counted as a regression
        (BROKEN, NO, "other"),
        (NO, GONE, "other"),
        (YES, Outcome("p", "supported", values={"x": "2"}), "other"),
        (YES, Outcome("p", "supported", events=["negotiationneeded"]), "other"),
    ],
)
def test_classify(old: Outcome, new: Outcome, kind: str) -> None:
    fields = differing_fields(old, new)
    assert fields
    assert classify(old, new, fields) == kind


def test_unchanged_and_timeout_messages() -> None:
    assert differing_fields(YES, Outcome("p", "supported")) == []
    # A timeout's message restates its deadline; a new deadline is not a new observation.
    assert (
        differing_fields(TIMEOUT, Outcome("p", "timeout", reason="deadline", message="did not settle within 9 ms"))
        == []
    )
    assert differing_fields(OTHER_THROW, THIRD_THROW) == ["exception.name"]
    assert differing_fields(EXPECTED_THROW, REWORDED_THROW) == ["exception.message"]


def test_same_results_have_no_changes() -> None:
    diff = compare(make_results(), make_results())
    assert diff.changes == 0 and diff.cells == []
    assert diff.unchanged == 6  # chromium and firefox x 3 probes
    assert diff.not_compared == 3  # webkit was unavailable: its cells were not observed
    assert diff.summary() == "no changes; 6 unchanged, 3 not compared"
    assert not diff.fails("any") and not diff.fails("regression") and not diff.fails(None)


def test_targets_match_by_engine_and_name() -> None:
    old, new = make_results(), make_results()
    new.targets[0].browser = BrowserInfo("Chromium", "157.0.0.1")
    # Same name, other engine: a different target, so one removed and one added.
    new.targets[1] = TargetResult(
        "firefox", "webkit", browser=BrowserInfo("WebKitGTK", "2.50"), outcomes=copy.deepcopy(new.targets[1].outcomes)
    )
    diff = compare(old, new)
    kinds = sorted((c.kind, c.target, c.engine) for c in diff.targets)
    assert kinds == [
        ("target_added", "firefox", "webkit"),
        ("target_removed", "firefox", "firefox"),
        ("version_changed", "chromium", "chromium"),
    ]
    version = next(c for c in diff.targets if c.kind == "version_changed")
    assert (version.before, version.after) == ("Chromium 156.0.1.2", "Chromium 157.0.0.1")
    assert diff.cells == []  # "Chromium 156 then 157" is one column; its cells did not change
    assert diff.unchanged == 3


def test_status_change_and_cells_not_compared() -> None:
    old, new = make_results(), make_results()
    chromium = new.targets[0]
    chromium.status, chromium.error = "partial", "the target's deadline of 300 s passed"
    chromium.not_run = [chromium.outcomes.pop().probe]
    diff = compare(old, new)
    assert [(c.kind, c.before, c.after) for c in diff.targets] == [
        ("status_changed", "ok", "partial (the target's deadline of 300 s passed)")
    ]
    assert diff.not_compared == 4 and diff.unchanged == 5
    assert diff.regressions == 0  # a probe that did not run is not support lost


def test_probes_added_removed_edited() -> None:
    old, new = make_results(), make_results()
    removed = new.probes.pop(0)
    for target in new.targets:
        target.outcomes = [o for o in target.outcomes if o.probe != removed.id]
    new.probes[0] = dataclasses.replace(new.probes[0], sha256="f" * 64)  # the factories share ProbeInfo objects
    new.targets[1].outcomes[0].exception = ExceptionInfo("NotSupportedError", "gone", False)
    diff = compare(old, new)
    assert [(c.kind, c.probe.id) for c in diff.probes] == [
        ("probe_removed", "X/removeStream/exists"),
        ("probe_edited", "X/removeStream/closed"),
    ]
    removed_change = diff.probes[0]
    assert [(t, o.status) for t, o in removed_change.outcomes] == [("chromium", "supported"), ("firefox", "supported")]
    (cell,) = diff.cells
    # The probe's code changed too: its own class, not an exception change the browser made.
    assert (cell.kind, cell.target, cell.probe_edited) == ("edited", "firefox", True)
    assert cell.was == "Throws NotSupportedError “not supported anymore”"
    assert "the probe's code changed too" in diff.sections()[0].rows[0].details


def test_sections_come_in_order_of_urgency() -> None:
    old, new = make_results(), make_results()
    new.targets[0].outcomes[2] = Outcome("X/removeTrack/exists", "unsupported", reason="member-missing")
    new.targets[1].outcomes[2] = Outcome("X/removeTrack/exists", "supported")
    new.targets[0].browser = BrowserInfo("Chromium", "157.0")
    diff = compare(old, new, "a.json", "b.json")
    assert [s.kind for s in diff.sections()] == ["lost", "gained", "version_changed"]
    assert diff.summary() == "1 lost, 1 gained, 1 version changed; 4 unchanged, 3 not compared"
    assert diff.fails("regression") and diff.fails("any")


def test_every_readable_schema_version_has_its_schema_and_a_way_up() -> None:
    """A file of any version this compatprobe reads is validated by its own schema, then upgraded."""
    assert SCHEMA_VERSION in READABLE_SCHEMA_VERSIONS
    for version in READABLE_SCHEMA_VERSIONS:
        assert schema(version)["properties"]["schema_version"]["const"] == version
        steps, current = 0, version
        while current != SCHEMA_VERSION:
            assert current in UPGRADES
            current, steps = current + 1, steps + 1
        assert steps == SCHEMA_VERSION - version


HOSTILE = "\x1b[31mred\x1b[0m <script>alert(1)</script> [click](http://evil.example) | *b*\nsecond line"


def test_browser_text_is_escaped_in_every_format() -> None:
    old, new = make_results(), make_results(firefox_message=HOSTILE)
    diff = compare(old, new)
    text = TextFormat().diff(diff)
    assert "\x1b" not in text and "\\u001b[31mred" in text
    detail = next(line for line in text.splitlines() if "31mred" in line)
    assert detail.endswith("*b* second line”")  # one line, whatever the browser said
    md = MarkdownFormat().diff(diff)
    row = next(line for line in md.splitlines() if "alert(1)" in line)
    assert "\\<script\\>" in row and "`[click](http://evil.example)`" in row and "\\|" in row
    html = HtmlFormat().diff(diff)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "default-src 'none'" in unescape(html)


def test_markdown_stays_short() -> None:
    old, new = make_results(), make_results()
    for results, status in ((old, "supported"), (new, "unsupported")):
        head = results.probes[0]
        results.probes = [dataclasses.replace(head, id=f"X/p{i:03}", feature=f"api.X.p{i:03}") for i in range(130)]
        results.targets = results.targets[:1]
        results.targets[0].outcomes = [Outcome(f"X/p{i:03}", status, reason="member-missing") for i in range(130)]
    md = MarkdownFormat().diff(compare(old, new))
    assert md.startswith("### compatprobe diff: 130 lost; 0 unchanged")
    rows = [line for line in md.splitlines() if line.startswith("| Lost support")]
    assert len(rows) == 1 + 100  # the count, then at most 100 changes
    assert "… and 30 more; compatprobe diff --format json lists them all." in md
