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


@dataclass(slots=True)
class Unnumbered:
    """The marks of every target's compared cells, each contradiction's note still in words: made
    apart from the table (in a forked copy, report.assemble), which numbers them once it has its own."""

    marks: BcdMarks
    said: list[tuple[tuple[str, str], str]]  # (probe id, target name) and its note, in the comparison's order


def unnumbered(comparison: BcdComparison) -> Unnumbered:
    data = comparison.data
    found = Unnumbered(BcdMarks(), [])
    marks = found.marks
    for c in comparison.comparisons:
        if c.feature in comparison.status:
            marks.flags[c.probe] = list(comparison.status[c.feature])
        if c.bcd is None:
            continue  # nothing BCD could say: no BCD browser, release or entry (the provenance says which)
        key = (c.probe, c.target)
        shown = marks.cells.get(key)
        if shown is not None and c.agreement != "contradicts":
            continue  # a cell of several scopes shows its first comparison, or a contradiction in any
        marks.cells[key] = CellBcd(c.agreement, f"BCD: {c.bcd.summary}", f"BCD {data.version}, {c.bcd.quote}")
        if c.agreement == "contradicts":
            found.said.append((key, contradiction_text(c, data.version, data.browsers)))
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
    return found


def numbered(found: Unnumbered, targets: set[str], footnote: Callable[[str], int]) -> BcdMarks:
    """`found`'s marks of the cells of `targets`, each contradiction's note numbered by `footnote` in
    the comparison's order; a cell's evidence is its first."""
    made = found.marks
    marks = BcdMarks(flags=made.flags, table=made.table, contradicts=made.contradicts)
    marks.cells = {key: mark for key, mark in made.cells.items() if key[1] in targets}
    for key, text in found.said:
        if key[1] in targets:
            marks.notes.setdefault(key, []).append(footnote(text))
    for key, numbers in marks.notes.items():
        marks.cells[key].evidence = numbers[0]
    return marks
