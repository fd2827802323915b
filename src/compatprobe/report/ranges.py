"""Version ranges in the table, from a history of runs: each cell's range ("120 \N{EN DASH} 157") and a
note for every earlier outcome ("throws NotSupportedError from 22 to 50")."""

from __future__ import annotations

from compatprobe.report.table import Table
from compatprobe.results.history import CellHistory, Segment, cell_histories
from compatprobe.results.model import Results


def note_text(history: CellHistory, segment: Segment, changed: str | None = None) -> str:
    """`changed`: the date the probe took its current form, when this segment was seen before it."""
    runs = "1 run" if segment.runs == 1 else f"{segment.runs} runs"
    first, last = segment.first_run[:10], segment.last_run[:10]
    dates = first if first == last else f"{first} to {last}"
    probe = f"; the probe has changed since, on {changed}" if changed else ""
    return f"{history.title}: {history.browser} {segment.phrase} {segment.span} ({runs}, {dates}{probe})."


def probe_changes(runs: list[Results]) -> dict[str, str]:
    """Per probe whose code changed over the runs, when (the start of the first run with its current code)."""
    current = {p.id: p.sha256 for p in runs[-1].probes}
    since: dict[str, str] = {}
    for results in runs:
        for probe in results.probes:
            if probe.sha256 != current.get(probe.id):
                since.pop(probe.id, None)
            elif probe.id not in since:
                since[probe.id] = results.run.started
    edited = {p.id for r in runs for p in r.probes if p.id in current and p.sha256 != current[p.id]}
    return {pid: since[pid] for pid in edited if pid in since}


def annotate_table(table: Table, runs: list[Results]) -> None:
    """Give the table (of the newest run) each cell's version range, and a note for every earlier outcome."""
    histories = cell_histories(runs)
    changes = probe_changes(runs)
    for row in table.rows:
        if row.probe is None:
            continue
        for column, cell in zip(table.columns, row.cells, strict=True):
            history = histories.get((column.target.engine, column.target.name, row.probe.id))
            if history is None:
                continue
            segments = list(history.segments)
            # The last segment is this cell's own outcome only if the newest run observed it.
            if any(o.probe == row.probe.id for o in column.target.outcomes) and column.target.browser:
                cell.range = segments.pop().versions
            cell.earlier = bool(segments)
            changed = changes.get(row.probe.id)
            for segment in reversed(segments):
                # An outcome seen before the probe changed may not contradict the cell: say so.
                before = changed if changed and segment.last_run < changed else None
                cell.footnotes.append(table.footnote(note_text(history, segment, before[:10] if before else None)))
    first, last = runs[0].run.started[:10], runs[-1].run.started[:10]
    dates = first if first == last else f"{first} to {last}"
    table.notes.append(f"Version ranges from {len(runs)} run{'s' if len(runs) > 1 else ''} ({dates}).")
    if changes:
        edited = ", ".join(f"{pid} on {when[:10]}" for pid, when in sorted(changes.items()))
        table.notes.append(f"Probes changed during these runs (earlier outcomes came from their old code): {edited}.")
