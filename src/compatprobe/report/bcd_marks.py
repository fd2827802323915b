"""BCD in the table: a marker and a footnote on contradicting cells, BCD's status flags on rows,
BCD's statement under each compared cell, and the BCD version in the provenance.

It only adds to a Table that table.build_table made, so the table without BCD stays as it was.
"""

from __future__ import annotations

from typing import Any

from compatprobe.bcd.compare import BcdComparison, Comparison
from compatprobe.kinds import CONTRADICTS
from compatprobe.report.bcd_words import WAY_TEXT, where
from compatprobe.report.table import Cell, CellBcd, Table, TableBcd


def contradiction_text(c: Comparison, bcd_version: str, browsers: dict[str, Any]) -> str:
    assert c.bcd is not None and c.way is not None
    who = c.mapping.label(browsers)
    return (
        f"{c.feature}{where(c)} contradicts BCD {bcd_version}: for {who} BCD says {c.bcd.summary}, "
        f"quoting {c.bcd.quote}; observed: {c.observed.summary}. So {WAY_TEXT[c.way]}."
    )


def annotate_table(table: Table, comparison: BcdComparison) -> None:
    data = comparison.data
    columns = {column.target.name: i for i, column in enumerate(table.columns)}
    rows = {row.probe.id: row for row in table.rows if row.probe}
    for c in comparison.comparisons:
        row = rows.get(c.probe)
        if row is not None and c.feature in comparison.status:
            row.bcd_flags = list(comparison.status[c.feature])
        if row is None or c.target not in columns or c.bcd is None:
            continue  # nothing BCD could say: no BCD browser, release or entry (the provenance says which)
        cell: Cell = row.cells[columns[c.target]]
        if cell.bcd is not None and c.verdict != "contradicts":
            continue  # a cell of several scopes shows its first comparison, or a contradiction in any
        cell.bcd = CellBcd(c.verdict, f"BCD: {c.bcd.summary}", f"BCD {data.version}, {c.bcd.quote}")
        if c.verdict == "contradicts":
            text = contradiction_text(c, data.version, data.browsers)
            cell.footnotes.append(table.footnote(text))
    if comparison.contradictions and CONTRADICTS not in table.legend:
        table.legend.append(CONTRADICTS)
    table.bcd = TableBcd(
        version=data.version,
        timestamp=data.timestamp,
        source=data.source,
        mappings=[(name, m.label(data.browsers)) for name, m in comparison.mappings.items()],
        agrees=comparison.count("agrees"),
        contradicts=comparison.count("contradicts"),
        not_comparable=comparison.count("not-comparable"),
    )
