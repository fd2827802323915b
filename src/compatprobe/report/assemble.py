"""The one place a table is put together. First every mark is computed (version ranges from a
history, what changed since a previous run, BCD's comparisons, MDN's statements per BCD id,
web-features' Baseline); then one function completes each row once. Every command, the Python
API and the benchmark build their tables here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from compatprobe.bcd.baseline import WebFeatures
from compatprobe.bcd.compare import compare as compare_bcd
from compatprobe.bcd.data import BcdData
from compatprobe.diff.compare import compare as compare_runs
from compatprobe.forked import Aside, aside
from compatprobe.kinds import CONTRADICTS
from compatprobe.report.bcd_marks import BcdMarks, Unnumbered, numbered, unnumbered
from compatprobe.report.changes import ChangeMarks, change_marks
from compatprobe.report.mdn import MdnStatements, baseline_of, web_features_source
from compatprobe.report.ranges import annotate_table as add_ranges
from compatprobe.report.table import Row, Table, build_table
from compatprobe.results.heap import collector_paused
from compatprobe.results.history import RunTrace, Timeline
from compatprobe.results.model import Results

# Below this many outcomes a forked copy (7 to 11 ms with BCD loaded) costs what the comparison does.
ASIDE_OUTCOMES = 500


@dataclass(frozen=True)
class Previous:
    """An earlier run to mark changes against, and the name to call it by."""

    results: Results
    source: str


@dataclass(slots=True)
class Marks:
    """Everything the rows get besides their outcomes, computed before any row is completed."""

    changes: ChangeMarks | None = None
    bcd: BcdMarks | None = None
    mdn: MdnStatements | None = None
    web_features: WebFeatures | None = None
    data: BcdData | None = None


def assemble_table(
    results: Results,
    *,
    previous: Previous | None = None,
    history: Timeline | Sequence[Results | RunTrace] | None = None,
    bcd: BcdData | None = None,
    web_features: WebFeatures | None = None,
) -> Table:
    """The table of `results`; `history` (the runs before it as a timeline, or the runs oldest first
    ending with `results`, each whole or its trace) adds version ranges,
    `previous` marks changes, `bcd` marks agreements and contradictions with MDN's data and gives
    the table MDN's browser columns, `web_features` adds Baseline badges."""
    # Half a million objects and no cycles among them: collections would only walk them (0.1 s).
    with collector_paused():
        return _assembled(results, previous, history, bcd, web_features)


def _assembled(
    results: Results,
    previous: Previous | None,
    history: Timeline | Sequence[Results | RunTrace] | None,
    bcd: BcdData | None,
    web_features: WebFeatures | None,
) -> Table:
    compared = _comparing(results, bcd) if bcd is not None else None
    try:
        table = build_table(results)
        # Also folds a target's builds (chromium@92...) into one column; numbers its notes right after the outcomes'.
        add_ranges(table, history if history is not None else [results])
        marks = Marks(web_features=web_features, data=bcd)
        if previous is not None:
            marks.changes = change_marks(compare_runs(previous.results, results, previous.source, "this run"))
        if bcd is not None and compared is not None:
            marks.mdn = MdnStatements(table, bcd)
            marks.mdn.prepare(table.rows)
            # Contradictions are numbered now, in the comparison's order; MDN's notes as the rows are completed.
            targets = {c.target.name for c in table.columns}
            marks.bcd = numbered(compared.value(), targets, table.footnote)
        complete_rows(table, marks)
    finally:
        if compared is not None:
            compared.cancel()
    return table


def _comparing(results: Results, bcd: BcdData) -> Aside[Unnumbered]:
    """The comparison with BCD needs only the results and BCD: a forked copy makes it, and its
    marks, while this process builds the table and MDN's cells, which take about as long."""
    make = partial(_compared, results, bcd)
    worth_a_copy = sum(len(t.outcomes) for t in results.targets) >= ASIDE_OUTCOMES
    return aside(make) if worth_a_copy else Aside(make)


def _compared(results: Results, bcd: BcdData) -> Unnumbered:
    return unnumbered(compare_bcd(results, bcd))


def complete_rows(table: Table, marks: Marks) -> None:
    """Put every mark in its row and cells, one row at a time, and the table's own lines."""
    index = {id(c): i for i, c in enumerate(table.columns)}
    for row in table.rows:
        _complete(row, table, marks)
        if marks.mdn is not None:
            row.mdn = marks.mdn.cells(row, index, table.footnote)
        if marks.web_features is not None:
            row.baseline = baseline_of(row, marks.web_features, marks.data)
    if marks.changes is not None:
        table.notes.append(marks.changes.note)
    if marks.bcd is not None:
        if marks.bcd.contradicts and CONTRADICTS not in table.legend:
            table.legend.append(CONTRADICTS)
        table.bcd = marks.bcd.table
    if marks.mdn is not None:
        table.mdn = marks.mdn.view
    if marks.web_features is not None:
        table.web_features = web_features_source(marks.web_features)


def _complete(row: Row, table: Table, marks: Marks) -> None:
    """A probe's row: new since the previous run, BCD's flags; each cell's change and BCD mark."""
    if row.probe is None:
        return
    probe = row.probe.id
    if marks.changes is not None and probe in marks.changes.added and "new" not in row.badges:
        row.badges.append("new")
    if marks.bcd is not None and probe in marks.bcd.flags:
        row.bcd_flags = marks.bcd.flags[probe]
    for column, cell in zip(table.columns, row.cells, strict=True):
        target = column.target
        if marks.changes is not None:
            change = marks.changes.changed.get((target.engine, target.name, probe))
            if change is not None:
                cell.changed, cell.was = change.kind, change.was
        if marks.bcd is not None:
            cell.bcd = marks.bcd.cells.get((probe, target.name))
            cell.footnotes += marks.bcd.notes.get((probe, target.name), ())
