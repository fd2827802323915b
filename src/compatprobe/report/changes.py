"""Marks in the table for what changed since a previous run (run/render --compare)."""

from __future__ import annotations

from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import WordedCellChange, worded
from compatprobe.report.table import Table


def mark_changes(table: Table, diff: Diff) -> None:
    """Mark the table's cells that changed against the diff's old run, and the rows of new probes."""
    changed: dict[tuple[str, str, str], WordedCellChange] = {}
    for c in worded(diff).cells:  # the first of a cell's scopes, in the diff's order: a lost support before the rest
        changed.setdefault((c.engine, c.target, c.probe.id), c)
    added = {c.probe.id for c in diff.probes if c.kind == "probe_added"}
    for row in table.rows:
        if row.probe is None:
            continue
        if row.probe.id in added and "new" not in row.badges:
            row.badges.append("new")
        for column, cell in zip(table.columns, row.cells, strict=True):
            change = changed.get((column.target.engine, column.target.name, row.probe.id))
            if change is not None:
                cell.changed, cell.was = change.kind, change.was
    table.notes.append(f"Marked cells changed since the run of {diff.old.started} ({diff.old.source}).")
