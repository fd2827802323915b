"""What changed from one run to the next: two Results matched and every difference classified.

Pure: Results in, a Diff out. Targets match by engine and target name (a matrix's names are
unique and stable), so "Chromium 156 then 157" is one column whose version changed. Probes match
by id; the probe's sha256 tells when its code changed between the runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from compatprobe.results.model import Outcome, ProbeInfo, Results, TargetResult, release_of
from compatprobe.results.words import support
from compatprobe.scopes import SCOPE_PHRASES, SCOPES, WINDOW

CellKind = Literal["lost", "gained", "exception_changed", "other", "edited"]
ProbeKind = Literal["probe_added", "probe_removed", "probe_edited"]
TargetKind = Literal["target_added", "target_removed", "version_changed", "status_changed"]

# The order in which changes are counted and listed: what a user must act on first. A cell whose
# probe's code changed ("edited") may be the probe's doing, not the browser's, so it is neither a
# regression nor a gain (--fail-on regression ignores it). report/diff_words.py words each kind.
CHANGE_KINDS: tuple[str, ...] = (
    "lost",
    "gained",
    "exception_changed",
    "other",
    "edited",
    "probe_added",
    "probe_removed",
    "probe_edited",
    "target_added",
    "target_removed",
    "version_changed",
    "status_changed",
)
CELL_CHANGES: tuple[CellKind, ...] = ("lost", "gained", "exception_changed", "other", "edited")

FailOn = Literal["regression", "any"]


@dataclass
class RunRef:
    """Which run a side of the diff is: its file and when it ran."""

    source: str
    started: str
    finished: str
    tool_version: str


@dataclass
class TargetChange:
    kind: TargetKind
    target: str
    engine: str
    old: TargetResult | None
    new: TargetResult | None


@dataclass
class ProbeChange:
    kind: ProbeKind
    probe: ProbeInfo  # the new run's, or the old run's when the probe was removed
    # What each target saw: the new run's outcomes for an added probe, the old run's for a removed one.
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    previous: ProbeInfo | None = None  # the old run's probe, when its code changed


@dataclass
class CellChange:
    kind: CellKind
    target: str
    engine: str
    browser: str  # the new run's browser, as the table names it: "Firefox 153"
    probe: ProbeInfo
    old: Outcome
    new: Outcome
    fields: list[str]  # which recorded fields differ: status, reason, exception.name, values, ...
    probe_edited: bool  # the probe's code changed too, so the browser may not be why
    scope: str = WINDOW  # where the probe ran: each scope's change is its own


@dataclass
class Diff:
    old: RunRef
    new: RunRef
    targets: list[TargetChange]
    probes: list[ProbeChange]
    cells: list[CellChange]
    unchanged: int  # cells observed in both runs with the same outcome
    not_compared: int  # cells of a common target and probe that did not run on one side

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CHANGE_KINDS, 0)
        for change in [*self.cells, *self.probes, *self.targets]:
            counts[change.kind] += 1
        return counts

    @property
    def changes(self) -> int:
        return len(self.cells) + len(self.probes) + len(self.targets)

    @property
    def regressions(self) -> int:
        return sum(1 for c in self.cells if c.kind == "lost")

    def fails(self, fail_on: FailOn | None) -> bool:
        """Whether `--fail-on` asks for exit code 1."""
        if fail_on == "regression":
            return self.regressions > 0
        if fail_on == "any":
            return self.changes > 0
        return False


def compare(old: Results, new: Results, old_source: str = "old", new_source: str = "new") -> Diff:
    """Every difference between two runs, classified; cells that did not change are only counted."""
    old_targets = {(t.engine, t.name): t for t in old.targets}
    new_targets = {(t.engine, t.name): t for t in new.targets}
    targets = _target_changes(old_targets, new_targets)
    probes = _probe_changes(old, new)
    cells, unchanged, not_compared = _cell_changes(old, new, old_targets)
    return Diff(
        old=_ref(old, old_source),
        new=_ref(new, new_source),
        targets=sorted(targets, key=lambda c: CHANGE_KINDS.index(c.kind)),
        probes=sorted(probes, key=lambda c: (CHANGE_KINDS.index(c.kind), c.probe.feature)),
        cells=cells,
        unchanged=unchanged,
        not_compared=not_compared,
    )


Targets = dict[tuple[str, str], TargetResult]  # by engine and target name


def _target_changes(old_targets: Targets, new_targets: Targets) -> list[TargetChange]:
    targets: list[TargetChange] = []
    for key, target in new_targets.items():
        before = old_targets.get(key)
        if before is None:
            targets.append(TargetChange("target_added", target.name, target.engine, None, target))
            continue
        if before.browser and target.browser and before.browser.version != target.browser.version:
            targets.append(TargetChange("version_changed", target.name, target.engine, before, target))
        if before.status != target.status:
            targets.append(TargetChange("status_changed", target.name, target.engine, before, target))
    targets += [
        TargetChange("target_removed", t.name, t.engine, t, None)
        for key, t in old_targets.items()
        if key not in new_targets
    ]
    return targets


def _probe_changes(old: Results, new: Results) -> list[ProbeChange]:
    old_probes = {p.id: p for p in old.probes}
    new_ids = {p.id for p in new.probes}
    probes: list[ProbeChange] = []
    for probe in new.probes:
        if probe.id not in old_probes:
            probes.append(ProbeChange("probe_added", probe, _outcomes_of(new, probe.id)))
        elif old_probes[probe.id].sha256 != probe.sha256:
            probes.append(ProbeChange("probe_edited", probe, previous=old_probes[probe.id]))
    probes += [ProbeChange("probe_removed", p, _outcomes_of(old, p.id)) for p in old.probes if p.id not in new_ids]
    return probes


def _cell_changes(old: Results, new: Results, old_targets: Targets) -> tuple[list[CellChange], int, int]:
    """The cells of targets and probes in both runs that changed, in listing order; how many did not,
    and how many ran on one side only."""
    old_probes = {p.id: p for p in old.probes}
    cells: list[CellChange] = []
    unchanged = not_compared = 0
    for target in new.targets:
        before = old_targets.get((target.engine, target.name))
        if before is None:
            continue
        was_by, now_by = _by_unit(before), _by_unit(target)
        scopes_of: dict[str, set[str]] = {}
        for probe_id, scope in [*was_by, *now_by]:
            scopes_of.setdefault(probe_id, set()).add(scope)
        for probe in (p for p in new.probes if p.id in old_probes):
            edited = old_probes[probe.id].sha256 != probe.sha256
            for scope in sorted(scopes_of.get(probe.id, {WINDOW}), key=SCOPES.index):
                was, now = was_by.get((probe.id, scope)), now_by.get((probe.id, scope))
                if was is None or now is None:
                    not_compared += 1
                    continue
                fields = differing_fields(was, now)
                if not fields:
                    unchanged += 1
                    continue
                kind = "edited" if edited else classify(was, now, fields)
                where = (target.name, target.engine, _browser(target))
                cells.append(CellChange(kind, *where, probe, was, now, fields, edited, scope))
    order = {name: i for i, name in enumerate(t.name for t in new.targets)}
    cells.sort(key=lambda c: (CELL_CHANGES.index(c.kind), c.probe.feature, order[c.target], SCOPES.index(c.scope)))
    return cells, unchanged, not_compared


def differing_fields(old: Outcome, new: Outcome) -> list[str]:
    """The recorded fields that differ. A timeout's message only restates its deadline, so it is left out."""
    fields = [name for name in ("status", "reason") if getattr(old, name) != getattr(new, name)]
    for part in ("name", "message"):
        if getattr(old.exception, part, None) != getattr(new.exception, part, None):
            fields.append(f"exception.{part}")
    fields += [name for name in ("values", "events") if getattr(old, name) != getattr(new, name)]
    if old.message != new.message and "timeout" not in (old.status, new.status):
        fields.append("message")
    return fields


def classify(old: Outcome, new: Outcome, fields: list[str]) -> CellKind:
    """Support lost or gained comes first (an expected exception counts as support, as in the table);
    then a different exception; anything else, such as a timeout that now passes, is "other"."""
    before, after = support(old), support(new)
    if (before, after) == ("yes", "no"):
        return "lost"
    if (before, after) == ("no", "yes"):
        return "gained"
    if old.status == new.status == "throws" and {"exception.name", "exception.message"} & set(fields):
        return "exception_changed"
    return "other"


def _by_unit(target: TargetResult) -> dict[tuple[str, str], Outcome]:
    """A target's outcomes by probe and scope (v1's absent scope is the window)."""
    return {(o.probe, o.scope): o for o in target.outcomes}


def _outcomes_of(results: Results, probe_id: str) -> list[tuple[str, Outcome]]:
    # A worker's outcome is named with its scope: "chromium (in a dedicated worker)".
    return [
        (f"{t.name} ({SCOPE_PHRASES[o.scope]})" if o.scope in SCOPE_PHRASES else t.name, o)
        for t in results.targets
        for o in t.outcomes
        if o.probe == probe_id
    ]


def _browser(target: TargetResult) -> str:
    if target.browser is None:
        return target.name
    return f"{target.browser.name} {release_of(target.engine, target.browser.version)}"


def _ref(results: Results, source: str) -> RunRef:
    run = results.run
    return RunRef(source=source, started=run.started, finished=run.finished, tool_version=run.tool_version)
