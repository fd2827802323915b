"""A proposed BCD statement for each lead, in BCD's own format, with the evidence behind it.

One change per lead, on the statement of one browser in one BCD entry:
- `removed`: BCD says supported, the release lacks it: `version_removed` ("≤N" from one release).
- `platform`: the same, where BCD's notes for the feature already tie it to platforms (Navigator.share
  "Only supported on ChromeOS and Windows"): `partial_implementation` with "Not supported on Linux."
- `added`: BCD says no (`version_added: false`, or a later version) and the release has it;
  `worker_support` entries too (WebGL interfaces in Chromium's workers).
- `unprefixed`: BCD has only a prefixed statement and the standard name is there: a new statement.
- `value-prefix`: a CSS value missing unprefixed, whose property BCD says is prefixed only in that
  browser (line-clamp: none in Firefox): the property's prefix on the value's statement.
Some leads need a person: a partial statement, flags only, several statements the rule cannot choose
between, a removal BCD already records. They are kept, with the reason, and never written.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from compatprobe.bcd.compare import BcdComparison, Comparison
from compatprobe.bcd.dating import Dating, Sighting, date_change, previous_release
from compatprobe.bcd.support import covers
from compatprobe.bcd.triage import Triaged, plain
from compatprobe.results.model import Outcome, ProbeInfo, Results, TargetResult
from compatprobe.scopes import WINDOW

PLATFORMS = re.compile(r"\b(linux|windows|macos|mac os|chromeos|android)\b", re.IGNORECASE)
OS_NAMES = {"Linux": "Linux", "Darwin": "macOS", "Windows": "Windows"}


@dataclass(frozen=True, slots=True)
class Seen:
    scope: str  # window, worker, sharedworker, serviceworker
    status: str  # the outcome's status: supported, unsupported, throws, ...
    detail: str  # its message, and the exception's name and message when it threw


@dataclass(frozen=True, slots=True)
class Evidence:
    check: str  # the probe's check in one line
    probe: str
    sha256: str
    release: str  # as BCD names it: "Firefox 153"
    build: str  # the browser's own version: "153.8.0"
    user_agent: str
    seen: tuple[Seen, ...]


@dataclass(slots=True)
class Proposal:
    feature: str  # the BCD id of the contradiction
    entry: str  # the BCD id whose statement changes (api.X.worker_support for a worker scope)
    browser: str  # BCD's browser id: chrome, firefox
    source_file: str  # api/PushManager.json
    today: Any  # the browser's statement(s) today, as in BCD's source (no version_last)
    proposed: Any  # the statement(s) proposed; None when a person must decide
    change: str  # removed, platform, added, unprefixed, value-prefix
    evidence: Evidence
    dating: Dating | None = None
    needs_person: str = ""  # why it is not written by --apply
    notes: list[str] = field(default_factory=list)  # facts the maintainer should know (from data, not prose)

    @property
    def json_path(self) -> str:
        return f"{self.entry}.__compat.support.{self.browser}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "entry": self.entry,
            "browser": self.browser,
            "source_file": self.source_file,
            "json_path": self.json_path,
            "change": self.change,
            "today": self.today,
            "proposed": self.proposed,
            "needs_person": self.needs_person,
            "notes": self.notes,
            "dating": None if self.dating is None else asdict(self.dating),
            "evidence": {
                "check": self.evidence.check,
                "probe": self.evidence.probe,
                "sha256": self.evidence.sha256,
                "release": self.evidence.release,
                "build": self.evidence.build,
                "user_agent": self.evidence.user_agent,
                "seen": [asdict(s) for s in self.evidence.seen],
            },
        }


def source_statement(support: Any) -> Any:
    """A statement from the published data.json as BCD's source file has it: without `version_last`,
    which BCD's build adds."""
    if isinstance(support, list):
        return [source_statement(s) for s in support]
    if isinstance(support, dict):
        return {k: v for k, v in support.items() if k != "version_last"}
    return support


def _check(outcome: Outcome | None, title: str) -> str:
    if outcome is not None and outcome.values:
        return "; ".join(f"{k} → {v}" for k, v in outcome.values.items())
    if outcome is not None and outcome.message:
        return f"{title}: {outcome.message}"
    return title


def _seen(o: Outcome) -> Seen:
    detail = o.message or ""
    if o.exception is not None:
        detail = f"{detail} [{o.exception.name}: {o.exception.message}]".strip()
    return Seen(o.scope, o.status, detail)


@dataclass(slots=True)
class Index:
    """The results looked up by name, once: thousands of leads would otherwise rescan them."""

    targets: dict[str, TargetResult]
    probes: dict[str, ProbeInfo]
    outcomes: dict[tuple[str, str], list[Outcome]]  # (target, probe) -> its outcomes, one per scope
    previous: dict[str, Callable[[str], str | None]] = field(default_factory=dict)  # BCD browser -> its order

    def previous_of(self, browser: str, data: Any) -> Callable[[str], str | None]:
        if browser not in self.previous:
            self.previous[browser] = previous_release(data.browsers.get(browser, {}).get("releases", {}))
        return self.previous[browser]

    @classmethod
    def of(cls, results: Results) -> Index:
        outcomes: dict[tuple[str, str], list[Outcome]] = {}
        for t in results.targets:
            for o in t.outcomes:
                outcomes.setdefault((t.name, o.probe), []).append(o)
        return cls({t.name: t for t in results.targets}, {p.id: p for p in results.probes}, outcomes)


def evidence_of(c: Comparison, comparison: BcdComparison, index: Index | None = None) -> Evidence:
    index = index or Index.of(comparison.results)
    target = index.targets[c.target]
    probe = index.probes[c.probe]
    mine = index.outcomes.get((c.target, c.probe), [])
    scoped = [o for o in mine if c.scope is None or o.scope in (c.scope, WINDOW)]
    first = next((o for o in scoped if o.scope == (c.scope or WINDOW)), scoped[0] if scoped else None)
    browser = target.browser
    return Evidence(
        check=_check(first, probe.expect or probe.title),
        probe=probe.id,
        sha256=probe.sha256,
        release=c.mapping.label(comparison.data.browsers),
        build=browser.version if browser else "",
        user_agent=(browser.user_agent or "") if browser else "",
        seen=tuple(_seen(o) for o in scoped),
    )


def propose_all(comparison: BcdComparison, triaged: list[Triaged]) -> list[Proposal]:
    """A proposal for every lead, in the order of `triaged`."""
    host = str((comparison.results.run.host or {}).get("system", ""))
    index = Index.of(comparison.results)
    return [propose(t.comparison, comparison, host, index) for t in triaged if t.klass == "lead"]


def propose(c: Comparison, comparison: BcdComparison, host: str = "", index: Index | None = None) -> Proposal:
    data = comparison.data
    m = c.mapping
    assert m.browser is not None and m.release is not None
    entry = c.entry or c.feature
    compat = data.features.get(entry) or {}
    today = source_statement(compat.get("support", {}).get(m.browser))
    index = index or Index.of(comparison.results)
    previous = index.previous_of(m.browser, data)
    present = c.way == "observed-more"
    dating = date_change([Sighting(m.release, present)], present, previous)
    proposal = Proposal(
        c.feature,
        entry,
        m.browser,
        str(compat.get("source_file") or guess_source_file(entry)),
        today,
        None,
        "",
        evidence_of(c, comparison, index),
        dating,
    )
    if present:
        _more(proposal, c, data)
    else:
        _less(proposal, c, data, OS_NAMES.get(host, host))
    return proposal


def _statements(today: Any) -> list[dict[str, Any]]:
    if isinstance(today, dict):
        return [today]
    return [s for s in today or [] if isinstance(s, dict)]


def _plain_default(s: dict[str, Any]) -> bool:
    """A statement of the feature under its standard name, by default: what a probe observes."""
    return not any(k in s for k in ("flags", "prefix", "alternative_name", "partial_implementation"))


def _less(p: Proposal, c: Comparison, data: Any, os_name: str) -> None:
    """BCD says supported, the release lacks it."""
    m = c.mapping
    assert m.release is not None and p.dating is not None
    statements = _statements(p.today)
    current = [i for i, s in enumerate(statements) if covers(s, m.release, m.status) and _plain_default(s)]
    if p.today == "mirror" or len(current) != 1:
        p.change, p.needs_person = "removed", "several statements (or a mirror) the rule cannot choose between"
        return
    i = current[0]
    prefix = _parent_prefix(c.feature, m.browser or "", m.release, m.status, data)
    if prefix:
        p.change = "value-prefix"
        p.proposed = _replace(p.today, i, {"prefix": prefix, **statements[i]})
        p.notes.append(f"the property is prefixed only ({prefix}) in this release: the value needs the prefix too")
        return
    places = [plain(s.get("notes")) for s in statements if PLATFORMS.search(plain(s.get("notes")))]
    if places and os_name:
        p.change = "platform"
        p.proposed = _replace(
            p.today, i, {**statements[i], "partial_implementation": True, "notes": f"Not supported on {os_name}."}
        )
        p.notes.append(f"BCD's notes tie it to platforms already: {places[0]}")
        return
    p.change = "removed"
    p.proposed = _replace(p.today, i, {**statements[i], "version_removed": p.dating.value})


def _more(p: Proposal, c: Comparison, data: Any) -> None:
    """BCD says no, removed or prefixed only; the release has it."""
    m = c.mapping
    assert m.release is not None and p.dating is not None
    statements = _statements(p.today)
    if p.today is None:
        p.change, p.needs_person = "added", "BCD has no statement for this browser"
        return
    if any(s.get("version_removed") for s in statements if _plain_default(s)):
        p.change = "added"
        p.needs_person = "BCD records a removal; update-bcd leaves added-and-removed statements to a person too"
        return
    plain_ones = [i for i, s in enumerate(statements) if _plain_default(s)]
    if not plain_ones:
        if all("flags" in s for s in statements):
            p.change, p.needs_person = "added", "flags only: whether the flag's default changed is for a person"
            return
        p.change = "unprefixed"
        p.proposed = [{"version_added": p.dating.value}, *statements]
        return
    if len(plain_ones) != 1:
        p.change, p.needs_person = "added", "several statements the rule cannot choose between"
        return
    i = plain_ones[0]
    p.change = "added"
    p.proposed = _replace(p.today, i, {**statements[i], "version_added": p.dating.value})


def _replace(today: Any, i: int, statement: dict[str, Any]) -> Any:
    if isinstance(today, list):
        new = copy.deepcopy(today)
        new[i] = statement
        return new
    return statement


def _parent_prefix(feature: str, browser: str, release: str, status: str | None, data: Any) -> str | None:
    """The prefix a CSS property needs in this release, when BCD says it is there only prefixed."""
    parts = feature.split(".")
    if parts[:2] != ["css", "properties"] or len(parts) != 4:
        return None
    parent = ".".join(parts[:3])
    support = (data.features.get(parent) or {}).get("support", {}).get(browser)
    statements = _statements(support)
    here = [s for s in statements if covers(s, release, status) and "flags" not in s]
    if here and all(s.get("prefix") for s in here):
        return str(here[0]["prefix"])
    return None


def guess_source_file(feature: str) -> str:
    """BCD's source file for an id when the data does not say (its `source_file`)."""
    parts = feature.split(".")
    depth = 3 if parts[0] in ("css", "javascript", "html", "http", "svg", "webassembly") else 2
    return "/".join(parts[: depth - 1]) + f"/{parts[depth - 1]}.json"
