"""Version ranges in the table, from a history of runs or from several builds of one target in a run
(`chromium@92` ... `chromium@153` and `chromium`): each cell's range ("120 \N{EN DASH} 157"), a note for
every earlier outcome ("throws NotSupportedError from 22 to 50"), and the builds of a target folded
into one column whose cells list every segment, newest first ("110 \N{EN DASH} 156 · ? 104 \N{EN DASH} 109 ·
No 92 \N{EN DASH} 103"; "?": releases between two builds with different outcomes, not observed)."""

from __future__ import annotations

from collections.abc import Sequence

from compatprobe.report.table import Column, Table
from compatprobe.results.history import (
    CellHistory,
    RunTrace,
    Segment,
    Timeline,
    family,
    timeline_of,
    trace_of,
    version_key,
)
from compatprobe.results.model import Results

SEPARATOR = " \N{MIDDLE DOT} "


def note_text(history: CellHistory, segment: Segment, changed: str | None = None) -> str:
    """`changed`: the date the probe took its current form, when this segment was seen before it."""
    runs = "1 run" if segment.runs == 1 else f"{segment.runs} runs"
    first, last = segment.first_run[:10], segment.last_run[:10]
    dates = first if first == last else f"{first} to {last}"
    probe = f"; the probe has changed since, on {changed}" if changed else ""
    return f"{history.title}: {history.browser} {segment.phrase} {segment.span} ({runs}, {dates}{probe})."


def build_note(history: CellHistory, segment: Segment) -> str:
    builds = "1 build" if segment.runs == 1 else f"{segment.runs} builds"
    since = f"; observed otherwise in {segment.before}" if segment.before else ""
    return f"{history.title}: {history.browser} {segment.phrase} {segment.span} ({builds}{since})."


def segments_text(segments: list[Segment]) -> str:
    """Earlier segments, newest first: "? 104 \N{EN DASH} 109 · No 92 \N{EN DASH} 103"."""
    return SEPARATOR.join(f"{s.label} {s.versions}" for s in reversed(segments))


def fold_builds(table: Table) -> set[tuple[str, str]]:
    """One column per (engine, target family): the newest build's; returns the families folded."""
    by_family: dict[tuple[str, str], list[int]] = {}
    for index, column in enumerate(table.columns):
        by_family.setdefault((column.target.engine, family(column.target.name)), []).append(index)
    folded = {key for key, indexes in by_family.items() if len(indexes) > 1}
    if not folded:
        return folded
    keep = sorted(max(indexes, key=lambda i: _version(table.columns[i])) for indexes in by_family.values())
    for key in folded:
        versions = [table.columns[i].release for i in by_family[key] if table.columns[i].target.browser]
        column = table.columns[max(by_family[key], key=lambda i: _version(table.columns[i]))]
        if versions:
            low = min(versions, key=version_key)
            column.note = column.note or f"{len(by_family[key])} builds, {low} \N{EN DASH} {column.release}"
    table.columns = [table.columns[i] for i in keep]
    for row in table.rows:
        if row.cells:
            row.cells = [row.cells[i] for i in keep]
    for group in table.groups:
        group.span = sum(c.target.engine == group.engine for c in table.columns)
    return folded


def _version(column: Column) -> tuple[int, ...]:
    return version_key(column.target.browser.version) if column.target.browser else (-1,)


def annotate_table(table: Table, history: Timeline | Sequence[Results | RunTrace]) -> None:
    """Fold each target's builds into one column, then give every cell its version range and a note
    for every earlier outcome, from `history`: the runs before the table's as a timeline, or the runs
    oldest first ending with the table's (each the results or its trace)."""
    folded = fold_builds(table)
    if isinstance(history, Timeline):
        timeline = history.with_run(trace_of(table.results))
    elif len(history) == 1 and not folded:
        return
    else:
        timeline = timeline_of(history)
    if len(timeline.runs) == 1 and not folded:
        return
    histories = timeline.cell_histories()
    changes = timeline.probe_changes()
    runs = timeline.runs
    # The probes each column's newest run observed (a walk of its outcomes per cell was quadratic).
    observed = [{o.probe for o in c.target.outcomes} if c.target.browser else set() for c in table.columns]
    for row in table.rows:
        if row.probe is None:
            continue
        for column, cell, seen in zip(table.columns, row.cells, observed, strict=True):
            key = (column.target.engine, family(column.target.name))
            history = histories.get((*key, row.probe.id))
            if history is None:
                continue
            segments = list(history.segments)
            # The last segment is this cell's own outcome only if the newest run observed it.
            if row.probe.id in seen:
                cell.range = segments.pop().versions
            if key in folded and segments:
                cell.range = SEPARATOR.join(filter(None, [cell.range, segments_text(segments)]))
            cell.earlier = any(not s.unknown for s in segments)
            changed = changes.get(row.probe.id)
            for segment in reversed(segments):
                if segment.unknown:
                    continue
                if key in folded:
                    text = build_note(history, segment)
                else:
                    # An outcome seen before the probe changed may not contradict the cell: say so.
                    before = changed if changed and segment.last_run < changed else None
                    text = note_text(history, segment, before[:10] if before else None)
                cell.footnotes.append(table.footnote(text))
    if len(runs) > 1:
        first, last = runs[0].started[:10], runs[-1].started[:10]
        dates = first if first == last else f"{first} to {last}"
        table.notes.append(f"Version ranges from {len(runs)} runs ({dates}).")
    if folded:
        table.notes.append(
            "Version ranges from several builds of a target, sorted by browser version; "
            "? marks releases between two builds with different outcomes, which were not observed."
        )
    if changes:
        edited = ", ".join(f"{pid} on {when[:10]}" for pid, when in sorted(changes.items()))
        table.notes.append(f"Probes changed during these runs (earlier outcomes came from their old code): {edited}.")
