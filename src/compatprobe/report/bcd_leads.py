"""Leads for BCD in words: how a change is dated, the proposed diff, the evidence in one line, and
what --apply did. The data comes from bcd/leads.py and bcd/propose.py."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from compatprobe.bcd.apply import Applied
from compatprobe.bcd.bcdjson import dumps_statement
from compatprobe.bcd.leads import Leads
from compatprobe.bcd.propose import Proposal

CLASS_NAMES = {
    "lead": "lead",
    "explained": "explained by BCD",
    "environment": "environment",
    "doubt": "compatprobe's doubt",
}
CHANGE_TEXT = {
    "removed": "removed: version_removed",
    "platform": "missing on this platform: partial_implementation with a note",
    "added": "supported: version_added",
    "unprefixed": "supported without the prefix: a new statement",
    "value-prefix": "the value needs the property's prefix",
}


@dataclass(slots=True)
class Item:
    """A lead, and the leads of its members that need the very same change (an interface missing
    whole): one diff to read, and each still written by --apply."""

    head: Proposal
    members: list[Proposal] = field(default_factory=list)

    @property
    def count(self) -> int:
        return 1 + len(self.members)


def fold_members(proposals: list[Proposal]) -> list[Item]:
    """Proposals in entry order, members folded into an ancestor's item when their change is the same."""
    items: list[Item] = []
    heads: dict[tuple[str, ...], Item] = {}
    for p in sorted(proposals, key=lambda p: (p.entry, p.browser)):
        key = (p.browser, p.change, compact(p.today), compact(p.proposed), p.needs_person)
        parts = p.entry.split(".")
        parent = next(
            (heads[(".".join(parts[:n]), *key)] for n in range(2, len(parts)) if (".".join(parts[:n]), *key) in heads),
            None,
        )
        if parent is not None:
            parent.members.append(p)
            continue
        item = Item(p)
        items.append(item)
        heads[(p.entry, *key)] = item
    return items


@dataclass(frozen=True, slots=True)
class Page:
    """What a leads template needs, computed once."""

    leads: Leads
    limit: int | None

    def by_file(self) -> dict[str, list[Item]]:
        """The leads shown, by BCD file; with a limit, the first `limit` items in that order."""
        shown: dict[str, list[Item]] = {}
        left = len(self.leads.proposals) if self.limit is None else self.limit
        for name, proposals in self.leads.by_file().items():
            if left <= 0:
                break
            shown[name] = fold_members(proposals)[:left]
            left -= len(shown[name])
        return shown

    @property
    def left_out(self) -> int:
        return len(self.leads.proposals) - sum(i.count for items in self.by_file().values() for i in items)


def dating_text(p: Proposal) -> str:
    d = p.dating
    if d is None or p.change in ("platform", "value-prefix"):
        return ""
    what = "the removal" if p.change == "removed" else "the addition"
    if d.exact:
        return f"{d.value}: {d.before} was observed without the change, {d.first} with it"
    if d.releases == 1:
        return f"{d.value}: one release observed ({d.first}); a single release cannot date {what}"
    return f"{d.value}: the release before {d.first} was not observed, so {what} is a range"


def diff_text(p: Proposal) -> str:
    """The change as a unified diff of the browser's statement, labelled with its file and path."""
    if p.proposed is None:
        return ""
    before = f'"{p.browser}": {dumps_statement(p.today)}'.splitlines()
    after = f'"{p.browser}": {dumps_statement(p.proposed)}'.splitlines()
    lines = difflib.unified_diff(before, after, f"a/{p.source_file}", f"b/{p.source_file}", lineterm="", n=3)
    return "\n".join(lines)


def compact(statement: object) -> str:
    return json.dumps(statement, ensure_ascii=False)


def seen_text(p: Proposal) -> str:
    """Each scope's outcome: "window: unsupported (register is not on PushManager.prototype)"."""
    return "; ".join(f"{s.scope}: {s.status}" + (f" ({s.detail})" if s.detail else "") for s in p.evidence.seen)


def evidence_text(p: Proposal) -> str:
    e = p.evidence
    probe = f"probe {e.probe}, sha256 {e.sha256[:12]}"
    return f"{e.release} (build {e.build}): {seen_text(p)}. Check: “{e.check}” ({probe})"


def applied_lines(done: Applied) -> list[str]:
    lines = [f"wrote {p.source_file}: {p.json_path} ({p.change})" for p in done.written]
    lines += [f"not written {p.source_file}: {p.json_path}: {why}" for p, why in done.refused]
    return lines


@dataclass(frozen=True, slots=True)
class NoteGroup:
    target: str
    reason: str
    features: list[str]


def grouped(leads: Leads, klass: str) -> list[NoteGroup]:
    """The contradictions of one class, one group per (browser, reason): 267 WebGPU members share a
    few notes, and a note is read once."""
    groups: dict[tuple[str, str], list[str]] = {}
    for t in leads.of_class(klass):
        where = f" ({t.comparison.scope})" if t.comparison.scope else ""
        groups.setdefault((t.comparison.target, t.reason), []).append(t.comparison.feature + where)
    return [NoteGroup(target, reason, features) for (target, reason), features in groups.items()]


def leads_context(leads: Leads, heading: str, browsers: dict[str, str], limit: int | None) -> dict[str, object]:
    """What templates/bcd-leads.* are given."""
    agreements = {
        t.name: dict.fromkeys(("contradicts", "agrees", "not-comparable"), 0) for t in leads.comparison.results.targets
    }
    for c in leads.comparison.comparisons:
        agreements[c.target][c.agreement] += 1
    return {
        "heading": heading,
        "leads": leads,
        "page": Page(leads, limit),
        "browsers": browsers,
        "agreements": agreements,
        "change_text": CHANGE_TEXT,
        "evidence": evidence_text,
        "dating": dating_text,
        "diff": diff_text,
        "compact": compact,
        "grouped": lambda klass: grouped(leads, klass),
    }
