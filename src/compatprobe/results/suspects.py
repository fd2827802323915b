"""Require paths that name nothing known: more likely a typo in the probe than a browser's gap.

A probe that ends at `t.require("Array.prototyp.findLast")` says "member missing" in every
browser. When no browser of the run got past that path, and no data about the platform (BCD,
when given) knows it, the outcome is marked `suspect`: the table, the progress output and the
BCD comparison then treat it as the probe's likely mistake rather than as a fact about browsers.
With no such data, a path is only suspect when at least two browsers ran the probe: one browser
lacking a feature says nothing about the spelling. Generated probes are never suspect: their paths
come from the specs (an interface no engine ships and BCD does not list, such as CSSHSL, is missing
in every browser, which is what the table says), not from someone's typing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from compatprobe.results.model import Outcome, Results

# Answers whether a JavaScript path such as "Array.prototype.findLast" names something known:
# True, False, or None when it has no data about it.
Known = Callable[[str], "bool | None"]
MISSING_REASONS = ("interface-missing", "member-missing")


@dataclass(frozen=True)
class Suspect:
    probe: str
    path: str
    targets: list[str]
    why: str


def _stopped_at_or_before(outcome: Outcome, path: str) -> bool:
    """Did this outcome end at `path` or at a shorter prefix of it (never getting past it)?"""
    if outcome.status != "unsupported" or outcome.reason not in MISSING_REASONS or not outcome.path:
        return False
    return path == outcome.path or path.startswith(outcome.path + ".")


def find_suspects(results: Results, known: Known | None = None) -> list[Suspect]:
    """The outcomes whose missing path no browser of the run has and `known` does not know."""
    found: list[Suspect] = []
    # Indexed once: a sweep has thousands of probes in each target.
    by_probe: dict[str, list[tuple[str, Outcome]]] = {}
    for t in results.targets:
        for o in t.outcomes:
            by_probe.setdefault(o.probe, []).append((t.name, o))
    for probe in results.probes:
        if probe.generated:
            continue
        ran = by_probe.get(probe.id, [])
        paths = sorted({o.path for _, o in ran if o.path and o.reason in MISSING_REASONS and o.status == "unsupported"})
        for path in paths:
            if not all(_stopped_at_or_before(o, path) for _, o in ran):
                continue  # some browser got past it: the path is real
            bcd_knows = known(path) if known is not None else None
            if bcd_knows is True:
                continue
            if bcd_knows is None and len(ran) < 2:
                continue
            why = f"no browser of this run has {path}"
            why += ", and BCD does not know it" if bcd_knows is False else ""
            found.append(Suspect(probe.id, path, [name for name, o in ran if o.path == path], why))
    return found


def clear_disproved(results: Results) -> None:
    """Clear the marks that a browser of `results` disproves: a run merged from shards may hold a
    browser that has the path a shard's browsers lacked."""
    standing = {(s.probe, s.path) for s in find_suspects(results)}
    for target in results.targets:
        for outcome in target.outcomes:
            if outcome.suspect and (outcome.probe, outcome.path or "") not in standing:
                outcome.suspect = None


def mark_suspects(results: Results, known: Known | None = None) -> list[Suspect]:
    """Set `suspect` on the outcomes find_suspects() names; returns them."""
    suspects = find_suspects(results, known)
    by_key = {(s.probe, s.path): s for s in suspects}
    for target in results.targets:
        for outcome in target.outcomes:
            suspect = by_key.get((outcome.probe, outcome.path or ""))
            if suspect is not None:
                outcome.suspect = f"{suspect.why}: check the spelling of the t.require path"
    return suspects


def bcd_candidates(path: str) -> list[str]:
    """BCD ids that the end of a JavaScript path could stand for: the missing name and what holds it.

    "Array.prototyp" -> javascript.builtins.Array.prototyp (and api.Array.prototyp);
    "navigator.clipboard.readTxt" -> api.Clipboard.readTxt; "RTCPeerConnection" -> api.RTCPeerConnection.
    """
    parts = [p for p in path.split(".") if p != "prototype"][-2:]
    if not parts:
        return []
    holder = parts[0]
    holders = [holder] + ([holder[0].upper() + holder[1:]] if holder[:1].islower() else [])
    ids = []
    for head in holders:
        rest = ".".join([head, *parts[1:]])
        ids += [f"api.{rest}", f"javascript.builtins.{rest}"]
    return ids
