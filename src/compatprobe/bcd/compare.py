"""Observations next to what BCD says: agrees, contradicts (which way), or not comparable (why).

Which probes speak for a BCD entry:
- A probe with `bcd: ID` in its metadata speaks for ID directly.
- A probe whose feature heads its group (`api.X.y`, `javascript.builtins.X.y`, `css.properties.x`;
  see features.group_of) speaks for that feature id.
- Every other probe of the group (behaviour probes such as
  `api.RTCPeerConnection.removeStream.after_addStream`) is not a BCD entry. It informs its group's
  entry instead: when one of them ends in an exception the spec does not expect, the feature
  "exists but throws", which counts as partial support, not support.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from compatprobe.bcd.data import BcdData
from compatprobe.bcd.mapping import BcdMapping, map_targets
from compatprobe.bcd.support import BcdStatement, statement_for
from compatprobe.features import group_of
from compatprobe.kinds import MISSING
from compatprobe.results.model import Outcome, ProbeInfo, Results, TargetResult
from compatprobe.scopes import SCOPE_PHRASES, SCOPES, UNKNOWN_EXPOSURE, WINDOW, scopes_of, subfeature

ObservedKind = Literal["supported", "partial", "not-supported", "unknown"]
Verdict = Literal["agrees", "contradicts", "not-comparable"]
# Which way a contradiction goes: the browser does less than BCD says, or more.
Way = Literal["observed-less", "observed-more"]
WAY_TEXT = {
    "observed-less": "the browser does less than BCD says",
    "observed-more": "the browser does more than BCD says",
}


@dataclass(frozen=True, slots=True)
class Observation:
    kind: ObservedKind
    summary: str
    evidence: tuple[str, ...] = ()  # the behaviour probes that turned "supported" into "partial"


@dataclass(frozen=True, slots=True)
class Comparison:
    feature: str  # the BCD id
    probe: str  # the probe that speaks for it
    target: str
    mapping: BcdMapping
    observed: Observation
    bcd: BcdStatement | None
    verdict: Verdict
    way: Way | None = None
    reason: str = ""
    scope: str | None = None  # where it was observed, when not the window
    entry: str | None = None  # the BCD id whose statement was compared, when not `feature` (api.X.worker_support)

    @property
    def where(self) -> str:
        """ " in a dedicated worker", or "" for the window."""
        return f" {SCOPE_PHRASES[self.scope]}" if self.scope else ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "feature": self.feature,
            "probe": self.probe,
            "target": self.target,
            "verdict": self.verdict,
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


SHOWN_UNKNOWN = 5  # ids BCD lacks that the default output names


@dataclass(slots=True)
class BcdComparison:
    results: Results
    data: BcdData
    mappings: dict[str, BcdMapping]
    comparisons: list[Comparison]
    status: dict[str, list[str]] = field(default_factory=dict)  # BCD id -> its flags: deprecated, ...
    informs: dict[str, str] = field(default_factory=dict)  # behaviour probe id -> the BCD id it informs

    def count(self, verdict: Verdict) -> int:
        return sum(c.verdict == verdict for c in self.comparisons)

    @property
    def contradictions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.verdict == "contradicts"]

    @property
    def unknown_ids(self) -> list[str]:
        """The feature ids the probes speak for that this BCD has no entry for (a typo, or too new)."""
        return sorted({c.feature for c in self.comparisons if self.data.features.get(c.feature) is None})

    def unknown_lines(self) -> list[str]:
        """The ids BCD lacks, counted and the first few named: a typo in a probe's feature or bcd: line
        shows in the default output, not only under --all."""
        unknown = self.unknown_ids
        if not unknown:
            return []
        named = ", ".join(unknown[:SHOWN_UNKNOWN])
        if len(unknown) > SHOWN_UNKNOWN:
            named += f" and {len(unknown) - SHOWN_UNKNOWN} more"
        return [
            f"{len(unknown)} feature id{'s' if len(unknown) != 1 else ''} not in BCD {self.data.version}: {named}",
            "(check the probes' feature: and bcd: lines; --all lists every comparison)",
        ]

    def heading(self) -> str:
        data = self.data
        when = f" ({data.timestamp[:10]})" if data.timestamp else ""
        return (
            f"Compared with @mdn/browser-compat-data {data.version}{when}: {self.count('contradicts')} contradict, "
            f"{self.count('agrees')} agree, {self.count('not-comparable')} not comparable."
        )

    def who(self, c: Comparison) -> str:
        """The observed browser of a comparison, and the BCD browser it was compared as."""
        target = next(t for t in self.results.targets if t.name == c.target)
        seen = f"{target.browser.name} {target.browser.version}" if target.browser else target.name
        if c.mapping.browser is None:
            return f"{c.target} ({seen})"
        return f"{c.target} ({seen}, as {c.mapping.label(self.data.browsers)})"


def bcd_speakers(probes: list[ProbeInfo]) -> tuple[dict[str, ProbeInfo], dict[str, str]]:
    """(BCD id -> the probe that speaks for it, behaviour probe id -> the BCD id it informs)."""
    speakers: dict[str, ProbeInfo] = {}
    heads: dict[str, str] = {}
    for probe in sorted(probes, key=lambda p: p.id):
        if probe.bcd:
            speakers.setdefault(probe.bcd, probe)
            if probe.feature == group_of(probe.feature):
                heads[probe.feature] = probe.bcd
        elif probe.feature == group_of(probe.feature):
            speakers.setdefault(probe.feature, probe)
            heads[probe.feature] = probe.feature
    informs = {
        p.id: heads[group_of(p.feature)]
        for p in probes
        if not p.bcd and p.feature != group_of(p.feature) and group_of(p.feature) in heads
    }
    return speakers, informs


def bcd_ids(probes: list[ProbeInfo]) -> list[str]:
    """Every BCD id that the probes speak for, and its worker subfeatures: the features to load from BCD."""
    speakers = bcd_speakers(probes)[0]
    return sorted([*speakers, *(subfeature(f, s) for f in speakers for s in SCOPES if s != WINDOW)])


def exposed_scopes(probe: ProbeInfo) -> tuple[str, ...]:
    return scopes_of(probe.exposed or ["Window"])


def statement_id(feature: str, probe: ProbeInfo, scope: str, data: BcdData) -> str | None:
    """The BCD entry that speaks for `feature` in `scope`, or None when BCD says nothing there.

    BCD describes a feature where it is exposed: its own entry for the window, or for the workers
    when it is a worker-only interface (FileReaderSync); `worker_support`, `sharedworker_support`
    and `serviceworker_support` subfeatures for the worker scopes of a feature the window has too.
    """
    exposed = exposed_scopes(probe)
    if scope == WINDOW:
        return feature if WINDOW in exposed else None
    sub = subfeature(feature, scope)
    if data.features.get(sub) is not None:
        return sub
    return feature if WINDOW not in exposed and scope in exposed else None


def _exception_text(outcome: Outcome) -> str:
    said = outcome.message or "threw"
    exc = outcome.exception
    if exc is None:
        return said
    if exc.name not in said:
        said = f"{said} {exc.name}"
    return said + (f" (“{exc.message}”)" if exc.message else "")


def observe(direct: Outcome | None, behaviour: list[tuple[ProbeInfo, Outcome]]) -> Observation:
    """What a target did about one BCD entry: its own probe's outcome, downgraded by throwing behaviour."""
    if direct is None:
        return Observation("unknown", "the probe did not run")
    if direct.status in ("error", "timeout"):
        return Observation("unknown", f"the probe ended in {direct.status}: {direct.message or ''}".rstrip(": "))
    if direct.status == "unsupported":
        if direct.reason in MISSING:
            return Observation("not-supported", f"missing ({MISSING[direct.reason]})")
        return Observation("partial", f"exists, but {direct.message or 'does not behave as described'}")
    if direct.status == "throws" and not (direct.exception and direct.exception.expected):
        return Observation("partial", f"exists, but {_exception_text(direct)}")
    throwing = [(p, o) for p, o in behaviour if o.status == "throws" and not (o.exception and o.exception.expected)]
    if throwing:
        texts = "; ".join(f"{_exception_text(o)} in “{p.title}”" for p, o in throwing)
        return Observation("partial", f"exists, but {texts}", tuple(p.id for p, _ in throwing))
    return Observation("supported", "exists")


def fold_scopes(scopes: dict[str, Observation], window: Observation | None) -> Observation:
    """One observation of a feature exposed only in workers, from each of its worker scopes (and the
    window, which it may be on instead): supported when every scope that could tell has it."""
    told = {s: o for s, o in scopes.items() if o.kind != "unknown"}
    if not told:
        return next(iter(scopes.values()))
    evidence = tuple(e for o in told.values() for e in o.evidence)
    present = [s for s, o in told.items() if o.kind != "not-supported"]
    absent = [s for s, o in told.items() if o.kind == "not-supported"]
    missing = "; ".join(f"{told[s].summary} {SCOPE_PHRASES[s]}" for s in absent)
    if not present:
        if window is not None and window.kind in ("supported", "partial"):
            return Observation("partial", f"exists on Window instead: {missing}", evidence)
        return Observation("not-supported", missing, evidence)
    if absent:
        there = ", ".join(SCOPE_PHRASES[s] for s in present)
        return Observation("partial", f"exists {there}, but {missing}", evidence)
    partial = [f"{told[s].summary} {SCOPE_PHRASES[s]}" for s in present if told[s].kind == "partial"]
    if partial:
        return Observation("partial", "; ".join(partial), evidence)
    unknown = [s for s in scopes if s not in told]
    said = "exists " + ", ".join(SCOPE_PHRASES[s] for s in present)
    if unknown:
        said += " (" + ", ".join(SCOPE_PHRASES[s] for s in unknown).removeprefix("in ") + " could not tell)"
    return Observation("supported", said, evidence)


def fold_anywhere(scopes: dict[str, Observation]) -> Observation:
    """One observation of a feature whose exposure nobody knows, from every scope it ran in."""
    told = {s: o for s, o in scopes.items() if o.kind != "unknown"}
    if not told:
        return next(iter(scopes.values()), Observation("unknown", "the probe did not run"))
    present = [s for s, o in told.items() if o.kind != "not-supported"]
    where = {**SCOPE_PHRASES, WINDOW: "in the window"}
    if present:
        best = told[present[0]]
        return Observation(best.kind, f"{best.summary} {where[present[0]]}", best.evidence)
    if len(told) < len(scopes):
        return Observation("unknown", "missing where it could be told; a scope where it may be could not start")
    return Observation("not-supported", f"{told[next(iter(told))].summary} in the window and in every worker it ran in")


def judge(observed: Observation, bcd: BcdStatement) -> tuple[Verdict, Way | None, str]:
    """The verdict for one observation against one BCD statement."""
    if bcd.kind == "unknown":
        return "not-comparable", None, f"BCD does not say: {bcd.summary}"
    if observed.kind == "unknown":
        return "not-comparable", None, observed.summary
    present = observed.kind in ("supported", "partial")
    if bcd.kind == "supported":
        if observed.kind == "supported":
            return "agrees", None, ""
        return "contradicts", "observed-less", ""
    if bcd.kind == "partial":
        if observed.kind == "partial":
            return "agrees", None, ""
        if observed.kind == "not-supported":
            return "contradicts", "observed-less", ""
        return "not-comparable", None, "BCD says partial; finding nothing missing does not prove full support"
    if bcd.kind == "prefixed":
        if present:
            return "contradicts", "observed-more", "the probes use the standard name, which BCD says needs a prefix"
        return "agrees", None, "the standard name is missing, as a prefixed-only statement implies"
    # removed or not supported
    if present:
        return "contradicts", "observed-more", ""
    return "agrees", None, ""


def compare(results: Results, data: BcdData) -> BcdComparison:
    """Every (BCD id, target) pair that the results and BCD allow, with its verdict."""
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
    for feature, probe in sorted(speakers.items()):
        compat = data.compat(feature)
        if compat is not None:
            status[feature] = flags_of(compat)
        for target in results.targets:
            informers = [probes[pid] for pid in informing.get(feature, [])]
            ran_in = ran[target.name].get(probe.id, set())
            comparisons += _compare_target(
                feature, probe, target, mappings[target.name], outcomes[target.name], informers, ran_in, data
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
) -> list[Comparison]:
    """The comparisons of one BCD entry in one target: per scope, or its scopes judged together."""

    def outcome(scope: str) -> Outcome | None:
        return seen.get(scope, {}).get(probe.id)

    def judged(entry: str, observation: Observation, scopes: list[str], scope: str = WINDOW) -> Comparison:
        first = next((o for o in map(outcome, scopes) if o is not None), None)
        compat = data.compat(entry)
        return _compare_one(
            feature, probe, target, mapping, compat, observation, first, data.version, scope=scope, entry=entry
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
    bcd = statement_for(compat, mapping.browser, mapping.release, mapping.status)
    verdict, way, reason = judge(observed, bcd)
    return Comparison(feature, probe.id, target.name, mapping, observed, bcd, verdict, way, reason, **where)


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
