"""BCD's statements as MDN writes them in a cell (pure logic, hand-made statements)."""

from __future__ import annotations

from compatprobe.bcd.display import browser_statements, plain, statement_text

DASH = "\N{EN DASH}"


def test_versions_ranges_and_unknowns() -> None:
    assert statement_text({"version_added": "24"}).text == "24"
    removed = statement_text({"version_added": "22", "version_last": "50", "version_removed": "51"})
    assert (removed.kind, removed.text, removed.qualifiers) == ("removed", f"22 {DASH} 50", ("removed in 51",))
    assert statement_text({"version_added": False}).text == "No"
    assert statement_text({"version_added": None}).text == "?"
    assert statement_text({"version_added": "preview"}).kind == "preview"
    assert statement_text({"version_added": True}).text == "Yes"
    # Without BCD's version_last, the release before the removal, from BCD's browser releases.
    releases = {"10": {}, "11": {}, "11.1": {}, "12": {}}
    assert statement_text({"version_added": "11", "version_removed": "12"}, releases).text == f"11 {DASH} 11.1"


def test_qualifiers_and_notes() -> None:
    s = statement_text(
        {
            "version_added": "15",
            "prefix": "webkit",
            "partial_implementation": True,
            "notes": ["Needs <code>foo()</code> &amp; bar."],
        }
    )
    assert s.qualifiers == ("prefix webkit", "partial") and s.kind == "partial"
    assert s.notes == ("Needs foo() & bar.",)
    flag = statement_text({"version_added": "60", "flags": [{"type": "preference", "name": "x.enabled"}]})
    assert (flag.kind, flag.qualifiers) == ("flag", ("behind preference x.enabled",))
    assert plain("<a href='x'>link</a>  text") == "link text"


def test_first_statement_leads() -> None:
    compat = {"support": {"chrome": [{"version_added": "64"}, {"version_added": "24", "prefix": "webkit"}]}}
    shown = browser_statements(compat, "chrome", {})
    assert shown is not None and shown.main.text == "64" and [s.text for s in shown.more] == ["24"]
    assert browser_statements(compat, "firefox", {}) is None
