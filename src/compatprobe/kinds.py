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


def by_key(*kinds: Kind) -> dict[str, Kind]:
    """A table of kinds by key, in the order given (the legend's)."""
    return {k.key: k for k in kinds}


# Order here is the legend's order.
CELL_KINDS = by_key(
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

# The summary's columns, the one definition of each count (the progress line, every summary and the
# glossary read it): which cell kinds each counts; a kind in none of them counts as "unknown".
SUMMARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "supported": ("yes", "throws-expected"),  # an exception the spec expects is support
    "missing": ("no",),
    "throws": ("throws",),
    "unknown": ("timeout", "suspect", "setup", "error", "not-run"),
}


_COLUMN_OF = {kind: column for column, kinds in SUMMARY_COLUMNS.items() for kind in kinds}


def summary_column(kind: str) -> str:
    """The summary column a cell of this kind counts in (a table's every cell asks)."""
    return _COLUMN_OF.get(kind, "unknown")


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


def _bcd(key: str, icon: str, says: str) -> Kind:
    """A kind of BCD statement: its meaning says it is BCD's."""
    return Kind(key, icon, f"BCD: {says}")


def _badge(key: str, words: str, meaning: str) -> Kind:
    """A badge: `words` are what it shows."""
    return Kind(key, words, meaning)


# BCD's kinds of statement, as MDN's columns show them: on top of a cell, in shapes of their own
# (filled and hollow circles) so that no BCD mark looks like an observed one (✓ ✗ in a box below).
BCD_KINDS = by_key(
    _bcd("yes", "●", "full support since this version"),
    _bcd("partial", "◐", "partial support"),
    _bcd("flag", "⚑", "only behind a flag or preference"),
    _bcd("preview", "◔", "only in the browser's preview release"),
    _bcd("removed", "⊘", "supported in this range of versions, then removed"),
    _bcd("no", "○", "no support"),
    _bcd("unknown", "◌", "support unknown"),
)
# The badges a row or an observation can carry beside its mark: a badge's `icon` is the words it shows.
BADGES = by_key(
    _badge("deprecated", "deprecated", "Deprecated, as the probe or BCD marks it"),
    _badge("non-standard", "non-standard", "Not on a standards track, as the probe or BCD marks it"),
    _badge("experimental", "experimental", "BCD marks the feature experimental"),
    _badge("baseline-widely", "Baseline widely available", "web-features: in every core browser for 30 months"),
    _badge("baseline-newly", "Baseline newly available", "web-features: in every core browser, recently"),
    _badge("baseline-limited", "Limited availability", "web-features: not yet in every core browser"),
    _badge("confirms", "✔ confirms BCD", "The observation agrees with BCD's statement for that release"),
    _badge("contradicts", "≠ contradicts BCD", "The observation contradicts BCD's statement; the note says how"),
    _badge("changed", "changed: was …", "The cell differs from the run it is compared with (--compare)"),
    _badge("range", "120 to 157", "History: the versions a cell's outcome held in (a range of runs)"),
    _badge("fold", "▾ 52", "A section's rows: press to fold or unfold its 52 member rows"),
    _badge(
        "folded",
        "38 members missing with it",
        "Differences view: members that differ only because their interface is missing, counted once",
    ),
)
