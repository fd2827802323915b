"""What BCD says for one browser release, from the forms its support statements take."""

from __future__ import annotations

from typing import Any

import pytest

from compatprobe.bcd.support import statement_for


def says(support: Any, release: str, status: str | None = "retired") -> tuple[str, str]:
    statement = statement_for({"support": {"firefox": support}}, "firefox", release, status)
    return statement.kind, statement.summary


@pytest.mark.parametrize(
    ("support", "release", "status", "kind", "summary"),
    [
        ({"version_added": "22"}, "153", "esr", "supported", "supported since 22"),
        ({"version_added": "22"}, "21", "retired", "not-supported", "added in 22"),
        ({"version_added": "22"}, "22", "retired", "supported", "supported since 22"),
        ({"version_added": "22", "version_removed": "51"}, "50", "retired", "supported", "supported since 22"),
        ({"version_added": "22", "version_removed": "51"}, "51", "retired", "removed", "removed in 51"),
        ({"version_added": "9.1"}, "10", "retired", "supported", "supported since 9.1"),
        ({"version_added": "9.1"}, "9", "retired", "not-supported", "added in 9.1"),
        ({"version_added": False}, "153", "esr", "not-supported", "not supported"),
        ({"version_added": None}, "153", "esr", "unknown", "BCD's range leaves 153 open (unknown)"),
        ({"version_added": "≤37"}, "40", "retired", "supported", "supported since ≤37"),
        ({"version_added": "≤37"}, "30", "retired", "unknown", "BCD's range leaves 30 open (added in ≤37)"),
        ({"version_added": "preview"}, "162", "nightly", "supported", "supported since preview"),
        ({"version_added": "preview"}, "160", "current", "not-supported", "added in preview"),
        ({"version_added": "22", "version_removed": "preview"}, "160", "current", "supported", "supported since 22"),
        ({"version_added": "22", "version_removed": "preview"}, "162", "nightly", "removed", "removed in preview"),
        ({"version_added": "22", "partial_implementation": True, "notes": "No events."}, "40", "retired", "partial",
         "partial implementation: No events."),
        ({"version_added": "22", "prefix": "moz"}, "40", "retired", "prefixed", "only with the moz prefix"),
        ({"version_added": "22", "alternative_name": "mozRTC"}, "40", "retired", "prefixed",
         "only with the name mozRTC"),
        ({"version_added": "22", "flags": [{"type": "preference", "name": "media.x"}]}, "40", "retired",
         "not-supported", "only behind media.x"),
        # A list: the unprefixed statement wins where it applies, the prefixed one before that.
        ([{"version_added": "44"}, {"version_added": "22", "prefix": "moz"}], "153", "esr", "supported",
         "supported since 44"),
        ([{"version_added": "44"}, {"version_added": "22", "prefix": "moz"}], "30", "retired", "prefixed",
         "only with the moz prefix"),
        ([{"version_added": "44"}, {"version_added": "22", "prefix": "moz"}], "20", "retired", "not-supported",
         "added in 44"),
    ],
)  # fmt: skip
def test_statement_for_release(support: Any, release: str, status: str, kind: str, summary: str) -> None:
    assert says(support, release, status) == (kind, summary)


def test_quote_is_bcds_own_words_without_bug_links() -> None:
    statement = statement_for(
        {"support": {"chrome": {"version_added": "24", "impl_url": "https://crbug.com/1"}}}, "chrome", "156", "retired"
    )
    assert statement.quote == 'chrome: {"version_added": "24"}'


def test_browser_without_statement_is_unknown() -> None:
    statement = statement_for({"support": {}}, "safari", "17.4", "retired")
    assert (statement.kind, statement.summary) == ("unknown", "no statement for safari")
