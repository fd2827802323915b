"""A diff in words: each change's before and after, the sections the outputs list, the one-line
summary. diff/compare.py computes the changes; this is the only place they are worded.

`worded(diff)` gives the same Diff with these words on it (WordedDiff and its changes are
subclasses of diff.compare's, adding only properties), which is what templates, `api.diff` and
the JSON form read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from compatprobe.diff.compare import CellChange, Diff, ProbeChange, TargetChange
from compatprobe.results.model import Outcome, TargetResult
from compatprobe.results.words import label
from compatprobe.scopes import SCOPE_PHRASES

# Each kind of change as a section's title, in diff.compare.CHANGE_KINDS order.
TITLES: dict[str, str] = {
    "lost": "Lost support (regression)",
    "gained": "Gained support",
    "exception_changed": "Exception changed",
    "other": "Other outcome change",
    "edited": "Outcome changed with the probe's code",
    "probe_added": "Probe added",
    "probe_removed": "Probe removed",
    "probe_edited": "Probe code changed",
    "target_added": "Target added",
    "target_removed": "Target removed",
    "version_changed": "Browser version changed",
    "status_changed": "Target status changed",
}
# For the one-line summary: "2 lost, 1 gained, 1 version changed; 12 unchanged".
SHORT: dict[str, str] = {
    "lost": "lost",
    "gained": "gained",
    "exception_changed": "exception changed",
    "other": "other",
    "edited": "changed with an edited probe",
    "probe_added": "probe added",
    "probe_removed": "probe removed",
    "probe_edited": "probe edited",
    "target_added": "target added",
    "target_removed": "target removed",
    "version_changed": "version changed",
    "status_changed": "status changed",
}


@dataclass
class ChangeRow:
    """One change as the text, Markdown and HTML outputs list it."""

    kind: str
    where: str  # the target: "firefox (Firefox 153)"; empty for a probe's change
    probe: str  # the probe id; empty for a target's change
    title: str  # the probe's title
    before: str
    after: str
    details: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        """What changed, in one phrase: "X/y “title” in firefox (Firefox 153)"."""
        probe = f"{self.probe} “{self.title}”" if self.title else self.probe
        return " in ".join(part for part in (probe, self.where) if part)


@dataclass
class ChangeSection:
    kind: str
    title: str
    rows: list[ChangeRow]


class WordedTargetChange(TargetChange):
    @property
    def before(self) -> str:
        return _target_state(self.old, self.kind)

    @property
    def after(self) -> str:
        return _target_state(self.new, self.kind)


class WordedCellChange(CellChange):
    @property
    def before(self) -> str:
        return label(self.old)

    @property
    def after(self) -> str:
        return label(self.new)

    @property
    def was(self) -> str:
        """What the cell said in the old run, with what differs when its label did not change."""
        if self.before != self.after:
            return self.before
        if "exception.message" in self.fields and self.old.exception:
            return f"{self.before} “{self.old.exception.message}”"
        return f"{self.before}, other {', '.join(self.fields)}"

    @property
    def details(self) -> list[str]:
        """What else differs, in words, beyond the before and after labels."""
        return _details(self.old, self.new, self.fields)


class WordedDiff(Diff):
    targets: list[WordedTargetChange]  # type: ignore[assignment]
    cells: list[WordedCellChange]  # type: ignore[assignment]

    def summary(self) -> str:
        """One line of counts: `2 lost, 1 gained, 1 version changed; 12 unchanged` or `no changes; 14 unchanged`."""
        parts = [f"{n} {SHORT[kind]}" for kind, n in self.counts().items() if n]
        rest = f"{self.unchanged} unchanged" + (f", {self.not_compared} not compared" if self.not_compared else "")
        return f"{', '.join(parts) or 'no changes'}; {rest}"

    def sections(self) -> list[ChangeSection]:
        """The changes grouped by kind, in diff.compare.CHANGE_KINDS order, ready to list."""
        rows = [*map(_cell_row, self.cells), *map(_probe_row, self.probes), *map(_target_row, self.targets)]
        return [
            ChangeSection(kind, title, [r for r in rows if r.kind == kind])
            for kind, title in TITLES.items()
            if any(r.kind == kind for r in rows)
        ]


def worded(diff: Diff) -> WordedDiff:
    """The same diff, with its words (already worded: itself)."""
    if isinstance(diff, WordedDiff):
        return diff
    values = {f.name: getattr(diff, f.name) for f in fields(Diff)}
    values["targets"] = [WordedTargetChange(**vars(c)) for c in diff.targets]
    values["cells"] = [WordedCellChange(**vars(c)) for c in diff.cells]
    return WordedDiff(**values)


def _details(old: Outcome, new: Outcome, fields: list[str]) -> list[str]:
    details: list[str] = []
    if "exception.message" in fields and old.exception and new.exception:
        details.append(f"message “{old.exception.message}” → “{new.exception.message}”")
    if "reason" in fields and label(old) == label(new):
        details.append(f"reason {old.reason or '(none)'} → {new.reason or '(none)'}")
    if "values" in fields:
        for key in dict.fromkeys([*old.values, *new.values]):
            if old.values.get(key) != new.values.get(key):
                details.append(
                    f"{key} = {old.values.get(key, '(not recorded)')} → {new.values.get(key, '(not recorded)')}"
                )
    if "events" in fields:
        details.append(f"events [{', '.join(old.events)}] → [{', '.join(new.events)}]")
    if "message" in fields and new.message and new.status in ("unsupported", "error", "timeout"):
        details.append(new.message)
    return details


def _cell_row(c: WordedCellChange) -> ChangeRow:
    details = c.details + (["the probe's code changed too"] if c.probe_edited else [])
    where = f"{c.target} ({c.browser})" + (f", {SCOPE_PHRASES[c.scope]}" if c.scope in SCOPE_PHRASES else "")
    return ChangeRow(c.kind, where, c.probe.id, c.probe.title, c.before, c.after, details)


def _probe_row(c: ProbeChange) -> ChangeRow:
    seen = "; ".join(f"{target}: {label(o)}" for target, o in c.outcomes) or "not run anywhere"
    if c.kind == "probe_added":
        return ChangeRow(c.kind, "", c.probe.id, c.probe.title, "—", seen)
    if c.kind == "probe_removed":
        return ChangeRow(c.kind, "", c.probe.id, c.probe.title, seen, "—")
    before = f"sha256 {c.previous.sha256[:12]}…" if c.previous else "—"
    return ChangeRow(c.kind, "", c.probe.id, c.probe.title, before, f"sha256 {c.probe.sha256[:12]}…")


def _target_row(c: WordedTargetChange) -> ChangeRow:
    return ChangeRow(c.kind, f"{c.target} ({c.engine})", "", "", c.before, c.after)


def _target_state(target: TargetResult | None, kind: str) -> str:
    if target is None:
        return "—"
    if kind == "status_changed":
        return f"{target.status} ({target.error})" if target.error else target.status
    if target.browser is None:
        return f"{target.status}: {target.error}" if target.error else target.status
    return f"{target.browser.name} {target.browser.version}"
