"""What a target did about one BCD entry: its probe's outcome, downgraded by behaviour probes that
throw what the spec does not expect, and the outcomes of several scopes folded into one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from compatprobe.kinds import MISSING
from compatprobe.results.model import Outcome, ProbeInfo
from compatprobe.scopes import SCOPE_PHRASES, WINDOW

ObservedKind = Literal["supported", "partial", "not-supported", "unknown"]


@dataclass(frozen=True, slots=True)
class Observation:
    kind: ObservedKind
    summary: str
    evidence: tuple[str, ...] = ()  # the behaviour probes that turned "supported" into "partial"


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
