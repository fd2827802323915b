"""Observations next to what BCD says, for every (BCD id, target) pair: the orchestration.

Each step has its own module: speakers.py (which probe speaks for an id, which entry for a scope),
observe.py (what a target did), judge.py (the agreement); report/bcd_words.py words the result.
The names those modules define stay importable from here for older callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compatprobe.bcd.data import BcdData
from compatprobe.bcd.judge import Agreement, Way, judge
from compatprobe.bcd.mapping import BcdMapping, map_targets
from compatprobe.bcd.observe import MISSING, Observation, ObservedKind, fold_anywhere, fold_scopes, observe
from compatprobe.bcd.speakers import bcd_ids, bcd_speakers, exposed_scopes, statement_id
from compatprobe.bcd.support import BcdStatement, StatementsFor
from compatprobe.results.model import Outcome, ProbeInfo, Results, TargetResult
from compatprobe.scopes import SCOPES, UNKNOWN_EXPOSURE, WINDOW

__all__ = [
    "MISSING",
    "Agreement",
    "BcdComparison",
    "Comparison",
    "Observation",
    "ObservedKind",
    "Way",
    "bcd_ids",
    "bcd_speakers",
    "compare",
    "exposed_scopes",
    "flags_of",
    "fold_anywhere",
    "fold_scopes",
    "judge",
    "observe",
    "statement_id",
]


@dataclass(frozen=True, slots=True)
class Comparison:
    feature: str  # the BCD id
    probe: str  # the probe that speaks for it
    target: str
    mapping: BcdMapping
    observed: Observation
    bcd: BcdStatement | None
    agreement: Agreement
    way: Way | None = None
    reason: str = ""
    scope: str | None = None  # where it was observed, when not the window
    entry: str | None = None  # the BCD id whose statement was compared, when not `feature` (api.X.worker_support)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "feature": self.feature,
            "probe": self.probe,
            "target": self.target,
            "agreement": self.agreement,
            "observed": {"kind": self.observed.kind, "summary": self.observed.summary},
            "mapping": self.mapping.to_dict(),
        }
        if self.observed.evidence:
            data["observed"]["evidence"] = list(self.observed.evidence)
        if self.bcd is not None:
            data["bcd"] = {"kind": self.bcd.kind, "summary": self.bcd.summary, "statement": self.bcd.quote}
        if self.way:
            data["way"] = self.way
        if self.reason:
            data["reason"] = self.reason
        if self.scope:
            data["scope"] = self.scope
        if self.entry:
            data["entry"] = self.entry
        return data


@dataclass(slots=True)
class BcdComparison:
    results: Results
    data: BcdData
    mappings: dict[str, BcdMapping]
    comparisons: list[Comparison]
    status: dict[str, list[str]] = field(default_factory=dict)  # BCD id -> its flags: deprecated, ...
    informs: dict[str, str] = field(default_factory=dict)  # behaviour probe id -> the BCD id it informs

    def count(self, agreement: Agreement) -> int:
        return sum(c.agreement == agreement for c in self.comparisons)

    @property
    def contradictions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.agreement == "contradicts"]

    @property
    def unknown_ids(self) -> list[str]:
        """The feature ids the probes speak for that this BCD has no entry for (a typo, or too new)."""
        return sorted({c.feature for c in self.comparisons if self.data.features.get(c.feature) is None})


def compare(results: Results, data: BcdData) -> BcdComparison:
    """Every (BCD id, target) pair that the results and BCD allow, with its agreement."""
    speakers, informs = bcd_speakers(results.probes)
    mappings = map_targets(results.targets, data.browsers, data.version)
    probes = {p.id: p for p in results.probes}
    # Indexed once: with thousands of features, a lookup per comparison would be quadratic.
    outcomes: dict[str, dict[str, dict[str, Outcome]]] = {t.name: {} for t in results.targets}
    ran: dict[str, dict[str, set[str]]] = {t.name: {} for t in results.targets}
    for t in results.targets:
        for o in t.outcomes:
            outcomes[t.name].setdefault(o.scope, {})[o.probe] = o
            ran[t.name].setdefault(o.probe, set()).add(o.scope)
    informing: dict[str, list[str]] = {}
    for pid, feature in sorted(informs.items()):
        informing.setdefault(feature, []).append(pid)
    comparisons: list[Comparison] = []
    status: dict[str, list[str]] = {}
    said = StatementsFor()  # shared by every entry and target
    for feature, probe in sorted(speakers.items()):
        compat = data.compat(feature)
        if compat is not None:
            status[feature] = flags_of(compat)
        for target in results.targets:
            informers = [probes[pid] for pid in informing.get(feature, [])]
            ran_in = ran[target.name].get(probe.id, set())
            comparisons += _compare_target(
                feature, probe, target, mappings[target.name], outcomes[target.name], informers, ran_in, data, said
            )
    return BcdComparison(results, data, mappings, comparisons, status, informs)


def _compare_target(
    feature: str,
    probe: ProbeInfo,
    target: TargetResult,
    mapping: BcdMapping,
    seen: dict[str, dict[str, Outcome]],
    informers: list[ProbeInfo],
    ran_in: set[str],
    data: BcdData,
    said: StatementsFor,
) -> list[Comparison]:
    """The comparisons of one BCD entry in one target: per scope, or its scopes judged together."""

    def outcome(scope: str) -> Outcome | None:
        return seen.get(scope, {}).get(probe.id)

    def judged(entry: str, observation: Observation, scopes: list[str], scope: str = WINDOW) -> Comparison:
        first = next((o for o in map(outcome, scopes) if o is not None), None)
        compat = data.compat(entry)
        return _compare_one(
            feature,
            probe,
            target,
            mapping,
            compat,
            observation,
            first,
            data.version,
            scope=scope,
            entry=entry,
            said=said,
        )

    if UNKNOWN_EXPOSURE in (probe.exposed or ()):
        # Web IDL no longer says where it is exposed: there if any scope has it.
        scoped = [s for s in SCOPES if s in ran_in]
        return [judged(feature, fold_anywhere({s: observe(outcome(s), []) for s in scoped}), scoped)]
    found: list[Comparison] = []
    observed: dict[str, Observation] = {}
    for scope in SCOPES:
        if scope not in ran_in and not (scope == WINDOW and WINDOW in exposed_scopes(probe)):
            continue
        here = seen.get(scope, {})
        observed[scope] = observe(outcome(scope), [(p, here[p.id]) for p in informers if p.id in here])
        entry = statement_id(feature, probe, scope, data)
        if entry is None or (entry == feature and scope != WINDOW):
            continue  # BCD says nothing of it there, or speaks of all its worker scopes at once (below)
        found.append(judged(entry, observed[scope], [scope], scope))
    workers = [s for s in observed if s != WINDOW and statement_id(feature, probe, s, data) == feature]
    if workers:
        # A worker-only interface (FileReaderSync): BCD's one statement says where the browser has it
        # at all, with notes for the scopes it lacks; so its scopes are judged together.
        found.append(judged(feature, fold_scopes({s: observed[s] for s in workers}, observed.get(WINDOW)), workers))
    return found


def _compare_one(
    feature: str,
    probe: ProbeInfo,
    target: TargetResult,
    mapping: BcdMapping,
    compat: dict[str, Any] | None,
    observed: Observation,
    outcome: Outcome | None,
    bcd_version: str,
    *,
    scope: str = WINDOW,
    entry: str | None = None,
    said: StatementsFor | None = None,
) -> Comparison:
    where = {"scope": None if scope == WINDOW else scope, "entry": None if entry in (None, feature) else entry}

    def not_comparable(reason: str, bcd: BcdStatement | None = None) -> Comparison:
        return Comparison(
            feature, probe.id, target.name, mapping, observed, bcd, "not-comparable", reason=reason, **where
        )

    if outcome is not None and outcome.suspect:
        return not_comparable(f"the probe's t.require path {outcome.path} names nothing known (a typo?)")
    if mapping.browser is None or mapping.release is None:
        return not_comparable(mapping.reason or "no BCD browser")
    if not mapping.mapped:
        return not_comparable(mapping.reason or f"BCD {bcd_version} does not list this release")
    if compat is None:
        return not_comparable(f"BCD {bcd_version} has no entry {entry or feature}")
    bcd = (said or StatementsFor())(compat, mapping.browser, mapping.release, mapping.status)
    agreement, way, reason = judge(observed, bcd)
    return Comparison(feature, probe.id, target.name, mapping, observed, bcd, agreement, way, reason, **where)


def flags_of(compat: dict[str, Any]) -> list[str]:
    """BCD's status flags, in the words MDN's tables use."""
    status = compat.get("status") or {}
    flags = []
    if status.get("deprecated"):
        flags.append("deprecated")
    if status.get("standard_track") is False:
        flags.append("non-standard")
    if status.get("experimental"):
        flags.append("experimental")
    return flags
