"""A comparison of thousands of features, made short: counts first, then contradictions grouped by
interface, each with its evidence (what was evaluated, what was observed, BCD's statement).

Pure data for the formatters. A whole interface missing where BCD says it is supported is one
contradiction of the interface, standing for its members' (which add nothing but length).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compatprobe.bcd.compare import Agreement, BcdComparison, Comparison
from compatprobe.results.model import Outcome, Results

AGREEMENTS: tuple[Agreement, ...] = ("contradicts", "agrees", "not-comparable")
LONGEST = 240  # characters of BCD's words kept per contradiction; --format json keeps them whole


def _short(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


@dataclass(frozen=True, slots=True)
class Evidence:
    feature: str
    target: str
    browser: str  # as BCD names the release: "Chrome 156"
    way: str  # observed-less / observed-more
    bcd: str  # BCD's summary for that release
    statement: str  # BCD's own statement, as JSON
    evaluated: str  # what the probe looked at: its title
    observed: str  # what it found, with the values it recorded
    folded: int = 0  # members of a missing interface this stands for


@dataclass(slots=True)
class Group:
    key: str  # the interface (api.RTCPeerConnection), built-in (javascript.builtins.Array) or css.properties
    items: list[Evidence] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(1 + e.folded for e in self.items)


@dataclass(slots=True)
class Summary:
    version: str
    browsers: dict[str, str]  # target -> BCD label
    counts: dict[str, dict[str, int]]  # target -> agreement -> count
    groups: list[Group]
    # target -> contradictions of a "partial implementation" statement, whose notes often say where
    # the feature is missing (WebGPU: "Does not support Linux"), so that missing here may be no error.
    against_partial: dict[str, int] = field(default_factory=dict)

    @property
    def contradictions(self) -> int:
        return sum(c["contradicts"] for c in self.counts.values())


def group_key(feature: str) -> str:
    parts = feature.split(".")
    if parts[0] == "css":
        return ".".join(parts[:3]) if len(parts) > 3 else ".".join(parts[:2])
    if parts[0] == "javascript" and parts[1:2] == ["builtins"]:
        return ".".join(parts[:3])
    if parts[0] == "webassembly":
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def _observed(c: Comparison, outcome: Outcome | None) -> str:
    text = c.observed.summary
    if outcome is not None:
        if outcome.message:
            text += f": {outcome.message}"
        seen = "; ".join(f"{k} = {v}" for k, v in sorted(outcome.values.items()))
        if seen:
            text += f" ({seen})"
        if outcome.exception and outcome.exception.name not in text:
            text += f" [{outcome.exception.name}: {outcome.exception.message}]"
    return text


def summarize(comparison: BcdComparison, results: Results) -> Summary:
    browsers = {name: m.label(comparison.data.browsers) for name, m in comparison.mappings.items()}
    counts = {t.name: dict.fromkeys(AGREEMENTS, 0) for t in results.targets}
    for c in comparison.comparisons:
        counts[c.target][c.agreement] += 1
    outcomes = {t.name: {o.probe: o for o in t.outcomes} for t in results.targets}
    titles = {p.id: p.title for p in results.probes}
    contradictions = comparison.contradictions
    # Interfaces found missing that BCD says are there: their members' contradictions fold into them.
    missing_heads = {
        (c.target, c.feature)
        for c in contradictions
        if c.way == "observed-less" and c.observed.kind == "not-supported" and group_key(c.feature) == c.feature
    }
    folded: dict[tuple[str, str], int] = {}
    kept: list[Comparison] = []
    for c in contradictions:
        head = (c.target, group_key(c.feature))
        outcome = outcomes[c.target].get(c.probe)
        if (
            head in missing_heads
            and c.feature != head[1]
            and outcome is not None
            and outcome.reason == "interface-missing"
        ):
            folded[head] = folded.get(head, 0) + 1
            continue
        kept.append(c)
    groups: dict[str, Group] = {}
    for c in kept:
        key = group_key(c.feature)
        evidence = Evidence(
            feature=c.feature,
            target=c.target,
            browser=browsers[c.target],
            way=c.way or "",
            bcd=_short(c.bcd.summary) if c.bcd else "",
            statement=_short(c.bcd.quote) if c.bcd else "",
            evaluated=titles.get(c.probe, c.probe),
            observed=_observed(c, outcomes[c.target].get(c.probe)),
            folded=folded.get((c.target, c.feature), 0),
        )
        groups.setdefault(key, Group(key)).items.append(evidence)
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.key))
    partial = {t.name: 0 for t in results.targets}
    for c in contradictions:
        if c.bcd is not None and c.bcd.kind == "partial":
            partial[c.target] += 1
    return Summary(comparison.data.version, browsers, counts, ordered, partial)
