"""The one place a table is put together: rows from the results, then version ranges from a history,
marks for what changed since a previous run, BCD's statements (and MDN's browser columns), and
web-features' Baseline status. Every command, the Python API and
the benchmark build their tables here."""

from __future__ import annotations

from dataclasses import dataclass

from compatprobe.bcd.baseline import WebFeatures
from compatprobe.bcd.compare import compare as compare_bcd
from compatprobe.bcd.data import BcdData
from compatprobe.diff.compare import compare as compare_runs
from compatprobe.report.bcd_marks import annotate_table as mark_bcd
from compatprobe.report.changes import mark_changes
from compatprobe.report.mdn import add_baseline, add_mdn_columns
from compatprobe.report.ranges import annotate_table as add_ranges
from compatprobe.report.table import Table, build_table
from compatprobe.results.model import Results


@dataclass(frozen=True)
class Previous:
    """An earlier run to mark changes against, and the name to call it by."""

    results: Results
    source: str


def assemble_table(
    results: Results,
    *,
    previous: Previous | None = None,
    history: list[Results] | None = None,
    bcd: BcdData | None = None,
    web_features: WebFeatures | None = None,
) -> Table:
    """The table of `results`; `history` (oldest first, ending with `results`) adds version ranges,
    `previous` marks changes, `bcd` marks agreements and contradictions with MDN's data and gives
    the table MDN's browser columns, `web_features` adds Baseline badges."""
    table = build_table(results)
    add_ranges(table, history or [results])  # also folds a target's builds (chromium@92...) into one column
    if previous is not None:
        mark_changes(table, compare_runs(previous.results, results, previous.source, "this run"))
    if bcd is not None:
        mark_bcd(table, compare_bcd(results, bcd))
        add_mdn_columns(table, bcd)
    if web_features is not None:
        add_baseline(table, web_features, bcd)
    return table
