"""BCD in the table: a marker and a footnote on contradicting cells, BCD's status flags on rows,
BCD's statement under each compared cell, and the BCD version in the provenance.

Computed from a comparison before the rows are built (report.assemble puts them in), so the table
without BCD stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compatprobe.bcd.compare import BcdComparison, Comparison
from compatprobe.report.bcd_words import WAY_TEXT, where
from compatprobe.report.table import CellBcd, TableBcd


@dataclass(slots=True)
class BcdMarks:
    """What BCD says in the table: per (probe id, target name) the cell's mark, per probe id the
    row's status flags, and the table's provenance."""

    cells: dict[tuple[str, str], CellBcd] = field(default_factory=dict)
    notes: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # each contradiction's footnote
    flags: dict[str, list[str]] = field(default_factory=dict)
    table: TableBcd | None = None
    contradicts: bool = False  # the legend explains the contradiction mark


def contradiction_text(c: Comparison, bcd_version: str, browsers: dict[str, Any]) -> str:
    assert c.bcd is not None and c.way is not None
    who = c.mapping.label(browsers)
    return (
        f"{c.feature}{where(c)} contradicts BCD {bcd_version}: for {who} BCD says {c.bcd.summary}, "
        f"quoting {c.bcd.quote}; observed: {c.observed.summary}. So {WAY_TEXT[c.way]}."
    )


def bcd_marks(comparison: BcdComparison, targets: set[str], footnote: Callable[[str], int]) -> BcdMarks:
    """The marks of every compared cell of `targets`; `footnote` numbers each contradiction's note,
    in the comparison's order."""
    data = comparison.data
    marks = BcdMarks()
    for c in comparison.comparisons:
        if c.feature in comparison.status:
            marks.flags[c.probe] = list(comparison.status[c.feature])
        if c.target not in targets or c.bcd is None:
            continue  # nothing BCD could say: no BCD browser, release or entry (the provenance says which)
        key = (c.probe, c.target)
        shown = marks.cells.get(key)
        if shown is not None and c.agreement != "contradicts":
            continue  # a cell of several scopes shows its first comparison, or a contradiction in any
        mark = CellBcd(c.agreement, f"BCD: {c.bcd.summary}", f"BCD {data.version}, {c.bcd.quote}")
        if c.agreement == "contradicts":
            number = footnote(contradiction_text(c, data.version, data.browsers))
            marks.notes.setdefault(key, []).append(number)
            mark.evidence = marks.notes[key][0]
        marks.cells[key] = mark
    marks.contradicts = bool(comparison.contradictions)
    marks.table = TableBcd(
        version=data.version,
        timestamp=data.timestamp,
        source=data.source,
        mappings=[(name, m.label(data.browsers)) for name, m in comparison.mappings.items()],
        agrees=comparison.count("agrees"),
        contradicts=comparison.count("contradicts"),
        not_comparable=comparison.count("not-comparable"),
    )
    return marks
