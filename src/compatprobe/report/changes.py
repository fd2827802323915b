"""Marks in the table for what changed since a previous run (run/render --compare)."""

from __future__ import annotations

from dataclasses import dataclass

from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import WordedCellChange, worded


@dataclass(slots=True)
class ChangeMarks:
    changed: dict[tuple[str, str, str], WordedCellChange]  # (engine, target, probe id): the first of a cell's scopes
    added: set[str]  # the probes the previous run did not have
    note: str  # the line under the table's heading


def change_marks(diff: Diff) -> ChangeMarks:
    """The table's cells that changed against the diff's old run, and the new probes."""
    changed: dict[tuple[str, str, str], WordedCellChange] = {}
    for c in worded(diff).cells:  # the first of a cell's scopes, in the diff's order: a lost support before the rest
        changed.setdefault((c.engine, c.target, c.probe.id), c)
    added = {c.probe.id for c in diff.probes if c.kind == "probe_added"}
    return ChangeMarks(changed, added, f"Marked cells changed since the run of {diff.old.started} ({diff.old.source}).")
