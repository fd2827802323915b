"""Every contradiction in one class, with the reason that puts it there.

- lead: BCD says full support and every scope that could tell lacks it, or BCD says no (removed, a
  later version, prefixed only) and the standard name is there. A maintainer should look.
- explained: a partial, flag, prefix or alternative-name statement (of the entry or of the interface
  it belongs to), or a note on the statement that covers the release, accounts for the observation;
  the reason quotes that note.
- environment: the feature needs something this machine lacks (a GPU adapter, a touch device,
  speech services, a cross-origin isolated page); the reason says which.
- doubt: compatprobe cannot stand behind the observation (a check BCD's tree alone suggested, for
  a built-in that every engine seems to lack; a suspect path).

The classes are computed here; report/ words them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from compatprobe.bcd.compare import BcdComparison, Comparison
from compatprobe.bcd.support import covers, statement_for

Klass = Literal["lead", "explained", "environment", "doubt"]
CLASSES: tuple[Klass, ...] = ("lead", "explained", "environment", "doubt")

# What a feature needs that a headless browser on a machine without devices lacks. Matched on the
# BCD id's start; the first match wins.
NEEDS: tuple[tuple[str, str], ...] = (
    ("api.GPU", "a WebGPU adapter: this machine has no GPU"),
    ("api.WGSLLanguageFeatures", "a WebGPU adapter: this machine has no GPU"),
    ("api.Navigator.gpu", "a WebGPU adapter: this machine has no GPU"),
    ("api.WorkerNavigator.gpu", "a WebGPU adapter: this machine has no GPU"),
    ("api.Touch", "a touch input device: this machine has none"),
    ("api.Speech", "speech services (recognition, voices): this browser build and machine have none"),
    ("api.Bluetooth", "a Bluetooth adapter: this machine has none"),
    ("api.Performance.measureUserAgentSpecificMemory", "a cross-origin isolated page: the probes' page is not"),
)
# Notes that say where or when a feature is not there: such a note on the statement that covers the
# release accounts for a feature found missing (or found "there" when BCD says it does nothing).
ACCOUNTS = re.compile(
    r"not exposed|only exposed|exposed on|recogni[sz]ed, but|has no effect|only supported on|supported on \w+ only|"
    r"not supported on|only on|linux|windows|macos|chromeos|android|touch",
    re.IGNORECASE,
)
# A note about workers accounts for a worker scope's contradiction only, never the window's.
WORKERS = re.compile(r"worker", re.IGNORECASE)
# An interface's partial note that says where it is missing: its members are missing with it.
PLACES = re.compile(r"linux|windows|macos|chromeos|android|only exposed|not exposed|exposed on|touch", re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Triaged:
    comparison: Comparison
    klass: Klass
    reason: str  # the note, the need or the doubt, in words a maintainer can check
    source: str = ""  # explained: the BCD entry whose note or field it is


def plain(note: Any) -> str:
    """A BCD note (a string or a list of them, with HTML) as plain text."""
    text = note if isinstance(note, str) else " ".join(str(n) for n in note or [])
    return TAGS.sub("", text).strip()


def _statements(compat: dict[str, Any] | None, browser: str) -> list[dict[str, Any]]:
    support = (compat or {}).get("support", {}).get(browser)
    if isinstance(support, dict):
        return [support]
    return [s for s in support or [] if isinstance(s, dict)]


def _partial_note(compat: dict[str, Any] | None, browser: str, release: str, status: str | None) -> str | None:
    """The note of a partial statement that covers the release, or None."""
    if compat is None:
        return None
    said = statement_for(compat, browser, release, status)
    if said.kind != "partial":
        return None
    for s in _statements(compat, browser):
        if s.get("partial_implementation") and s.get("notes"):
            return plain(s["notes"])
    return "partial implementation (no note)"


def _place_note(compat: dict[str, Any] | None, browser: str, release: str, status: str | None) -> str | None:
    """A note of the statement covering the release that says where the feature is missing, or None."""
    partial = _partial_note(compat, browser, release, status)
    if partial and PLACES.search(partial):
        return partial
    for s in _statements(compat, browser):
        note = plain(s.get("notes"))
        if note and PLACES.search(note) and covers(s, release, status):
            return note
    return None


def _ancestors(feature: str) -> list[str]:
    parts = feature.split(".")
    return [".".join(parts[:n]) for n in range(len(parts) - 1, 1, -1)]


def explained_by(c: Comparison, data: Any) -> tuple[str, str] | None:
    """(the BCD entry, its note or field) that accounts for a contradiction, or None."""
    m = c.mapping
    assert m.browser is not None and m.release is not None
    entry = c.entry or c.feature
    compat = data.features.get(entry)
    own = _partial_note(compat, m.browser, m.release, m.status)
    whole_missing = "interface missing" in c.observed.summary
    if whole_missing:
        # A member missing with its interface: the interface's partial note says why (WebGPU on Linux).
        for parent in _ancestors(c.feature):
            note = _place_note(data.features.get(parent), m.browser, m.release, m.status)
            if note:
                return parent, note
    if own:
        return entry, own
    for s in _statements(compat, m.browser):
        note = plain(s.get("notes"))
        accounts = ACCOUNTS.search(note) or (c.scope is not None and WORKERS.search(note))
        if note and accounts and covers(s, m.release, m.status):
            return entry, note
    return None


def environment_of(feature: str) -> str | None:
    for start, need in NEEDS:
        if feature == start or feature.startswith(start):
            return need
    return None


def doubts(comparison: BcdComparison) -> dict[str, str]:
    """feature -> why compatprobe doubts its own observation of it, for every target."""
    probes = {p.id: p for p in comparison.results.probes}
    less: dict[str, set[str]] = {}
    for c in comparison.contradictions:
        if c.way == "observed-less" and c.observed.kind == "not-supported":
            less.setdefault(c.feature, set()).add(c.target)
    compared: dict[str, set[str]] = {}
    speaker: dict[str, str] = {}
    for c in comparison.comparisons:
        speaker.setdefault(c.feature, c.probe)
        if c.agreement != "not-comparable":
            compared.setdefault(c.feature, set()).add(c.target)
    found: dict[str, str] = {}
    for feature, targets in less.items():
        probe = probes.get(speaker[feature])
        from_tree = probe is not None and (probe.generated or "").startswith("@mdn/browser-compat-data")
        if feature.startswith("javascript.") and from_tree and len(targets) > 1 and targets == compared[feature]:
            found[feature] = (
                "a built-in member that only BCD's tree names (no spec file to check the path against), missing "
                "in every engine that ran it: the check's path is more likely wrong than BCD"
            )
    return found


def triage(comparison: BcdComparison) -> list[Triaged]:
    """Every contradiction of the comparison, classed; leads first, then by BCD id and target."""
    doubted = doubts(comparison)
    found: list[Triaged] = []
    for c in comparison.contradictions:
        note = explained_by(c, comparison.data)
        need = environment_of(c.feature)
        if note is not None:
            found.append(Triaged(c, "explained", note[1], note[0]))
        elif need is not None and c.way == "observed-less":
            found.append(Triaged(c, "environment", need))
        elif c.feature in doubted:
            found.append(Triaged(c, "doubt", doubted[c.feature]))
        else:
            found.append(Triaged(c, "lead", _lead_reason(c)))
    order = {k: i for i, k in enumerate(CLASSES)}
    return sorted(found, key=lambda t: (order[t.klass], t.comparison.feature, t.comparison.target))


def _lead_reason(c: Comparison) -> str:
    if c.way == "observed-less":
        return "BCD says supported; every scope that could tell lacks it"
    return "BCD says not there (or only under another name); the standard name is there"


def counts(triaged: list[Triaged], targets: list[str]) -> dict[str, dict[str, int]]:
    """target -> class -> how many."""
    table = {t: dict.fromkeys(CLASSES, 0) for t in targets}
    for t in triaged:
        table[t.comparison.target][t.klass] += 1
    return table
