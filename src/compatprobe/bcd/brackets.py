"""Since when: for each feature and engine observed in several builds, the bracket of each change
(the first and last builds observed with the feature, the nearest observed without it), and BCD's
version_added / version_removed checked against it.

A bracket (lo, hi) holds the releases a change can have happened in. Seen first in F and last
without in W: the release is W+1 to F for stable builds; for branch-point builds (the npm headless
shells, built where a release branched from trunk) W to F, since a feature switched on after W's
branch point still shipped in W. BCD's version agrees when it is inside the bracket, contradicts
when it is outside (the builds on either side are the evidence), and cannot be dated when no build
was observed without the feature before it (BCD's version precedes the builds) or no build has it
(a contradiction of support, not of version, which bcd/compare.py reports for each build). Any of
BCD's plain statements may hold the bracket: a partial implementation before full support is what an
existence probe sees. A proposal follows mdn-bcd-collector's update-bcd rule: an exact version only
when the release just before was observed without the feature, else "≤F".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from compatprobe.bcd.compare import bcd_speakers
from compatprobe.bcd.data import BcdData
from compatprobe.data.builds import BRANCH_POINT
from compatprobe.results.history import family, version_key
from compatprobe.results.model import Results, release_of
from compatprobe.results.words import support
from compatprobe.scopes import WINDOW

BCD_BROWSERS = {"chromium": "chrome", "firefox": "firefox"}
Agreement = Literal["agrees", "contradicts", "cannot date"]


@dataclass(frozen=True)
class Seen:
    release: int
    answer: str  # "yes", "no", "unknown" (results.words.support)
    branch_point: bool


@dataclass
class Change:
    """One change between two observed builds: the feature arrived (`added`) or left."""

    added: bool
    before: int | None  # the nearest build observed in the other state (None: none before)
    after: int  # the first build observed in the new state
    branch_point: bool  # `before` is a branch-point build: the change may have shipped in its release

    @property
    def low(self) -> int | None:
        if self.before is None:
            return None
        return self.before if self.branch_point else self.before + 1

    @property
    def one_major(self) -> bool:
        """Dated to one major: exact for stable builds, W or W+1 for branch-point builds."""
        return self.before is not None and self.after - self.before == 1

    def holds(self, version: int) -> bool:
        return (self.low is None or self.low <= version) and version <= self.after


@dataclass
class Bracket:
    feature: str
    engine: str
    target: str  # the target family: "chromium"
    browser: str  # BCD's browser: "chrome"
    seen: list[Seen]
    changes: list[Change]
    bcd_added: str | None  # version_added of BCD's first plain statement (its current one), as BCD writes it
    bcd_removed: str | None
    bcd_quote: Any
    agreement: Agreement = "cannot date"
    reason: str = ""  # a key: inside, outside, open, never-with, bcd-never, no-bcd, removed-unseen, ...
    evidence: Change | None = None  # the change the agreement is about
    proposal: str | None = None  # version_added by update-bcd's rule
    notes: list[str] = field(default_factory=list)
    # version_added of BCD's other plain statements: a partial implementation before full support
    # (AbortSignal.timeout from 103, onscrollend missing until 126) is what an existence probe sees.
    bcd_other_added: tuple[Any, ...] = ()

    @property
    def first_with(self) -> int | None:
        return next((s.release for s in self.seen if s.answer == "yes"), None)

    @property
    def last_with(self) -> int | None:
        return next((s.release for s in reversed(self.seen) if s.answer == "yes"), None)


# A probe's answers in each target family (in the order the families were first met), with each
# build's version key: {probe: {family: [(key, seen), ...]}}.
Observations = dict[str, dict[str, list[tuple[tuple[int, ...], Seen]]]]


def _observations(runs: list[Results], engine: str) -> Observations:
    found: Observations = {}
    for results in runs:
        for target in results.targets:
            if target.engine != engine or target.browser is None:
                continue
            release = release_of(engine, target.browser.version)
            if not release.isdigit():
                continue
            kind = (target.launch or {}).get("kind") == BRANCH_POINT
            key = version_key(target.browser.version)
            for outcome in target.outcomes:
                if outcome.scope == WINDOW:
                    seen = Seen(int(release), support(outcome), kind)
                    found.setdefault(outcome.probe, {}).setdefault(family(target.name), []).append((key, seen))
    return found


def changes_of(seen: list[Seen]) -> list[Change]:
    """Every change between known answers, oldest first (unknown answers are skipped over)."""
    changes: list[Change] = []
    last: Seen | None = None
    for item in seen:
        if item.answer == "unknown":
            continue
        if last is None and item.answer == "yes":
            changes.append(Change(True, None, item.release, item.branch_point))
        elif last is not None and item.answer != last.answer:
            changes.append(Change(item.answer == "yes", last.release, item.release, last.branch_point))
        last = item
    return changes


def _plain_statements(compat: dict[str, Any] | None, browser: str) -> list[dict[str, Any]]:
    """BCD's statements of what the browser does by default under the standard name."""
    entry = (compat or {}).get("support", {}).get(browser)
    items = entry if isinstance(entry, list) else [entry] if entry else []
    return [s for s in items if not (s.get("flags") or s.get("prefix") or s.get("alternative_name"))]


def _number(version: Any) -> tuple[int | None, bool]:
    """'97' -> (97, False); '≤37' -> (37, True); anything else -> (None, False)."""
    text = str(version) if isinstance(version, str) else ""
    ranged = text.startswith("≤")
    major = text.removeprefix("≤").split(".")[0]
    return (int(major), ranged) if major.isdigit() else (None, False)


def brackets(runs: list[Results], data: BcdData, engine: str = "chromium") -> list[Bracket]:
    """A bracket per feature (BCD id) whose engine was observed in at least two builds."""
    browser = BCD_BROWSERS.get(engine)
    if browser is None:
        return []
    probes = {p.id: p for r in runs for p in r.probes}
    speakers, _ = bcd_speakers(list(probes.values()))
    observed = _observations(runs, engine)
    found = []
    for feature, probe in sorted(speakers.items()):
        if probe.exposed and "Window" not in probe.exposed:
            continue  # judged in workers, which the window's history does not follow
        for target, items in observed.get(probe.id, {}).items():
            if len({s.release for _, s in items}) < 2:
                continue
            seen = [s for _, s in sorted(items, key=lambda pair: pair[0])]
            try:
                compat = data.compat(feature)
            except KeyError:
                continue
            statements = _plain_statements(compat, browser)
            added = statements[0].get("version_added") if statements else None
            removed = statements[0].get("version_removed") if statements else None
            entry = (compat or {}).get("support", {}).get(browser)
            bracket = Bracket(feature, engine, target, browser, seen, changes_of(seen), added, removed, entry)
            bracket.bcd_other_added = tuple(s.get("version_added") for s in statements[1:])
            judge(bracket)
            found.append(bracket)
    return found


def judge(bracket: Bracket) -> None:
    """Set the agreement, its reason, the change it is about and the proposal."""
    arrivals = [c for c in bracket.changes if c.added]
    departures = [c for c in bracket.changes if not c.added]
    if arrivals and arrivals[0].before is not None:
        first = arrivals[0]
        bracket.proposal = str(first.after) if first.one_major and not first.branch_point else f"≤{first.after}"
    versions = [_number(v) for v in (bracket.bcd_added, *bracket.bcd_other_added)]
    known = [(number, ranged) for number, ranged in versions if number is not None]
    if bracket.bcd_added is False and not known and arrivals:
        return _set(bracket, "contradicts", "bcd-never", arrivals[0])
    if not known:
        return _set(bracket, "cannot date", "no-bcd", None)
    added = known[0][0]
    if not arrivals:
        # No build has it (Web Bluetooth on Linux): nothing to date. That BCD's version says otherwise is
        # a contradiction of support, which bcd/compare.py reports for each build.
        return _set(bracket, "cannot date", "never-with", None)
    holder = next((c for c in arrivals for n, ranged in known if c.holds(n) or (ranged and (c.low or 0) <= n)), None)
    if holder is None:
        if arrivals[0].before is None and added > arrivals[0].after:
            return _set(bracket, "contradicts", "outside", arrivals[0])
        if arrivals[0].before is None:
            return _set(bracket, "cannot date", "open", arrivals[0])
        return _set(bracket, "contradicts", "outside", arrivals[0])
    if holder.before is None:
        return _set(bracket, "cannot date", "open", holder)
    _set(bracket, "agrees", "inside", holder)
    _judge_removal(bracket, departures)


def _judge_removal(bracket: Bracket, departures: list[Change]) -> None:
    removed, _ = _number(bracket.bcd_removed)
    still = bracket.seen[-1].answer == "yes"
    if removed is None:
        if departures and not still:
            _set(bracket, "contradicts", "removed-unstated", departures[-1])
        return
    if not departures or still:
        if bracket.last_with is not None and bracket.last_with > removed:
            _set(bracket, "contradicts", "present-after-removal", None)
        return
    last = departures[-1]
    if not last.holds(removed):
        _set(bracket, "contradicts", "removal-outside", last)


def _set(bracket: Bracket, agreement: Agreement, reason: str, change: Change | None) -> None:
    bracket.agreement, bracket.reason, bracket.evidence = agreement, reason, change


def counts(found: list[Bracket]) -> dict[str, int]:
    """How many brackets of each agreement, and how many first versions are dated to one major."""
    tally = {"agrees": 0, "contradicts": 0, "cannot date": 0, "dated to one major": 0}
    for bracket in found:
        tally[bracket.agreement] += 1
        arrivals = [c for c in bracket.changes if c.added]
        tally["dated to one major"] += bool(arrivals and arrivals[0].one_major)
    return tally
