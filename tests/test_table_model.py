"""The table model: rows nested under methods, cells, footnotes and legend, from results alone."""

from __future__ import annotations

from compatprobe.report.table import build_table
from factories import make_results


def test_rows_and_columns() -> None:
    table = build_table(make_results())
    assert [g.label for g in table.groups] == ["Chromium", "Firefox", "WebKit"]
    assert [(c.heading, c.release) for c in table.columns] == [
        ("Chromium", "156"),
        ("Firefox", "40"),
        ("webkit", "not run"),
    ]
    assert [(r.label, r.nested) for r in table.rows] == [
        ("removeStream() exists", False),
        ("on closed throws InvalidStateError", True),
        ("removeTrack() exists", False),
    ]
    assert table.rows[0].badges == ["deprecated", "non-standard"]
    assert table.columns[2].note and "unavailable" in table.columns[2].note


def test_cells() -> None:
    table = build_table(make_results())
    closed = table.rows[1].cells
    assert (closed[0].kind.key, closed[0].text) == ("throws-expected", "Throws InvalidStateError")
    assert (closed[1].kind.key, closed[1].text) == ("throws", "Throws NotSupportedError")
    missing = table.rows[2].cells[1]
    assert (missing.kind.key, missing.text, missing.detail, missing.footnotes) == ("no", "No", "member missing", [])
    assert table.rows[0].cells[2].kind.key == "not-run"


def test_footnotes_carry_messages_and_values() -> None:
    table = build_table(make_results())
    firefox_note = table.footnotes[table.rows[1].cells[1].footnotes[0] - 1]
    assert "Firefox throws NotSupportedError" in firefox_note
    assert "not supported anymore" in firefox_note
    assert "the spec does not expect this" in firefox_note
    assert 'signalingState = "closed"' in firefox_note
    # The same text is one footnote, however many cells point at it.
    not_run = {n for row in table.rows for n in row.cells[2].footnotes}
    assert len(not_run) == 1


def test_legend_lists_only_what_is_used() -> None:
    keys = [k.key for k in build_table(make_results()).legend]
    assert keys == ["yes", "throws-expected", "throws", "no", "not-run"]
