"""Version ranges in the table, from a history of runs: each cell's range ("120 \N{EN DASH} 157") and a
note for every earlier outcome ("throws NotSupportedError from 22 to 50")."""

from __future__ import annotations

from compatprobe.report.table import Table
from compatprobe.results.history import CellHistory, Segment, cell_histories
from compatprobe.results.model import Results


def note_text(history: CellHistory, segment: Segment) -> str:
    runs = "1 run" if segment.runs == 1 else f"{segment.runs} runs"
    first, last = segment.first_run[:10], segment.last_run[:10]
    dates = first if first == last else f"{first} to {last}"
    return f"{history.title}: {history.browser} {segment.phrase} {segment.span} ({runs}, {dates})."


def annotate_table(table: Table, runs: list[Results]) -> None:
    """Give the table (of the newest run) each cell's version range, and a note for every earlier outcome."""
    histories = cell_histories(runs)
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
            for segment in reversed(segments):
                cell.footnotes.append(table.footnote(note_text(history, segment)))
    first, last = runs[0].run.started[:10], runs[-1].run.started[:10]
    dates = first if first == last else f"{first} to {last}"
    table.notes.append(f"Version ranges from {len(runs)} run{'s' if len(runs) > 1 else ''} ({dates}).")
