"""The one table of what a cell can say: each kind's key, the mark it shows, what it means, its
words in a cell and its phrase after a browser's name. The table, its legend, Markdown, text, the
diff, history and the docs' glossary (docs/glossary.md, scripts/glossary.py) all read it here.

A kind's mark is its `icon`, the attribute templates (yours too, with --template-dir) use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    icon: str  # the mark a cell shows
    meaning: str  # the legend's words
    label: str = ""  # a cell's words; {exception}: the exception's name
    phrase: str = ""  # after a browser's name in notes; {detail}: the cell's detail, {exception} as above


# Order here is the legend's order.
CELL_KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("yes", "✓", "Supported: the behaviour the row describes was observed", "Yes", "supports it"),
        Kind(
            "throws-expected",
            "✓",
            "Throws the exception the spec expects",
            "Throws {exception}",
            "throws {exception}",
        ),
        Kind(
            "throws",
            "⚠",
            "Throws an exception the spec does not expect",
            "Throws {exception}",
            "throws {exception}",
        ),
        Kind(
            "no",
            "✗",
            "Not supported: missing, or behaves otherwise than the row says",
            "No",
            "does not support it ({detail})",
        ),
        Kind("timeout", "⏱", "The probe did not finish in time", "Timeout", "times out"),
        Kind(
            "suspect",
            "?",
            "The probe requires a path no browser has and no data knows: likely a typo in the probe",
            "Unknown path",
            "lacks a path no browser has (a typo in the probe?)",
        ),
        Kind(
            "setup",
            "!",
            "The probe's own preparation failed; nothing was learned about the feature",
            "Setup failed",
            "fails the probe's setup",
        ),
        Kind(
            "error",
            "!",
            "The probe itself failed; nothing was learned about the browser",
            "Probe error",
            "breaks the probe",
        ),
        Kind("not-run", "—", "The probe did not run in this browser", "Not run", "did not run it"),
    )
}

# Marks on any cell, beside its kind's; each is listed in the legend when the table uses it.
FLAKY = Kind("flaky", "≈", "Flaky: repeated runs gave different outcomes; the cell shows the most frequent")
SCOPED = Kind(
    "scoped",
    "·",
    "Where the window and workers differ, the cell shows each scope's mark (Window ✓ · Worker ✗); "
    "one mark where every scope that ran agrees",
)
CONTRADICTS = Kind("bcd-contradicts", "≠", "Contradicts MDN's browser-compat-data (BCD): the note quotes what BCD says")
MARKS: tuple[Kind, ...] = (FLAKY, SCOPED, CONTRADICTS)

# Why a feature is missing, as `t.require` reports it: a "No" cell's detail.
MISSING = {"interface-missing": "interface missing", "member-missing": "member missing"}
# A "No" cell's detail when the feature is there but behaves otherwise than the row says.
DIFFERS = "differs"
# An "Unknown path" cell's detail.
TYPO = "typo?"
# An error cell's words when the worker scope itself could not start (nothing was observed there).
SCOPE_UNAVAILABLE = "Scope did not start"
