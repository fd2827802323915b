"""How a table is laid out for reading: sections (an interface with its members nested under it), an
anchor per row named by its feature id, the summary per browser, the rows where browsers differ or
BCD is contradicted, and the pages a large table is split into.

Derived from the Table alone, at render time, so every format lays out the same table the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compatprobe.kinds import MISSING, SUMMARY_COLUMNS, summary_column
from compatprobe.report.table import Column, Row, Table

# Past this many rows, an HTML table is split into a page per section with an index.
SPLIT_ROWS = 500
SUPPORTED = SUMMARY_COLUMNS["supported"]
# Kinds that say what the browser did; the others (timeout, probe error, not run) say nothing of it.
KNOWN = SUPPORTED + SUMMARY_COLUMNS["missing"] + SUMMARY_COLUMNS["throws"]


@dataclass(slots=True)
class LaidRow:
    row: Row
    anchor: str  # the row's id in the page: its feature id
    depth: int  # 0: the section's own row, 1: a member, 2: a behaviour of a member
    differs: bool  # the browsers that ran it gave different outcomes
    contradicted: bool  # an observation contradicts BCD
    page: str = ""  # the file holding it when the table is split ("" on a single page)
    folded: list[LaidRow] = field(default_factory=list)  # members that differ only as this interface is missing

    @property
    def href(self) -> str:
        return f"{self.page}#{self.anchor}"


@dataclass(slots=True)
class Section:
    id: str  # "api.RTCPeerConnection", "javascript.builtins.Array"
    head: LaidRow | None  # the row of the section's own feature, when a probe speaks for it
    rows: list[LaidRow]  # the others, in table order
    page: str = ""

    @property
    def all_rows(self) -> list[LaidRow]:
        return ([self.head] if self.head else []) + self.rows

    @property
    def differing(self) -> int:
        return sum(r.differs for r in self.all_rows)

    @property
    def contradicted(self) -> int:
        return sum(r.contradicted for r in self.all_rows)


@dataclass(slots=True)
class BrowserSummary:
    column: Column
    supported: int = 0
    missing: int = 0
    throws: int = 0
    unknown: int = 0  # timeout, probe error, not run
    contradictions: int = 0

    def count(self, column: str) -> None:
        """One more cell in this summary column (kinds.SUMMARY_COLUMNS)."""
        setattr(self, column, getattr(self, column) + 1)


@dataclass(slots=True)
class Layout:
    sections: list[Section]
    summary: list[BrowserSummary]
    rows: int
    split: bool = False
    differing: list[LaidRow] = field(default_factory=list)  # the differences view: each missing interface once

    @property
    def differ(self) -> list[LaidRow]:
        """The view "browsers differ": rows whose browsers gave different outcomes."""
        return [r for r in self.differing if r.differs]

    @property
    def contradicted_only(self) -> list[LaidRow]:
        """The view "BCD contradicted": rows where browsers agree and an observation contradicts BCD."""
        return [r for r in self.differing if not r.differs]


def section_of(feature: str, groups: set[str], group: str) -> str:
    """api.X for an interface's members; other ids by their group (its own, when it heads one)."""
    parts = feature.split(".")
    if parts[0] == "api":
        return ".".join(parts[:2])
    return feature if feature in groups else group


def _differs(row: Row) -> bool:
    seen = {(c.kind.key in SUPPORTED, c.text) for c in row.cells if c.kind.key in KNOWN}
    return len(seen) > 1


def _contradicted(row: Row) -> bool:
    return any(c.bcd is not None and c.bcd.agreement == "contradicts" for c in row.cells)


def page_name(section: str) -> str:
    return re.sub(r"[^\w.-]", "_", section) + ".html"


def lay_out(table: Table, *, split: bool | None = None) -> Layout:
    """The table's sections and summary; `split` (default: past SPLIT_ROWS rows) gives each section a page."""
    split = len(table.rows) > SPLIT_ROWS if split is None else split
    groups = {r.group for r in table.rows}
    sections: dict[str, Section] = {}
    used: set[str] = set()
    for row in table.rows:
        feature = row.probe.feature if row.probe else row.group
        key = section_of(feature, groups, row.group)
        section = sections.setdefault(key, Section(key, None, [], page_name(key) if split else ""))
        anchor = feature if feature not in used else f"{feature}~{row.probe.id if row.probe else len(used)}"
        used.add(anchor)
        depth = 0 if feature == key else 2 if row.nested else 1
        laid = LaidRow(row, anchor, depth, _differs(row), _contradicted(row), section.page)
        if depth == 0 and section.head is None:
            section.head = laid
        else:
            section.rows.append(laid)
    ordered = sorted(sections.values(), key=lambda s: s.id)
    summary = [BrowserSummary(c) for c in table.columns]
    for row in table.rows:
        if not row.cells:
            continue  # a heading over members, with no probe of its own
        for tally, cell in zip(summary, row.cells, strict=True):
            tally.count(summary_column(cell.kind.key))
            if cell.bcd is not None and cell.bcd.agreement == "contradicts":
                tally.contradictions += 1
    folded = {id(r) for s in ordered for r in _fold(s)}
    differing = [r for s in ordered for r in s.all_rows if (r.differs or r.contradicted) and id(r) not in folded]
    return Layout(ordered, summary, len(table.rows), split, differing)


def _fold(section: Section) -> list[LaidRow]:
    """The members of an interface some browsers lack that differ for that reason alone: the
    differences view counts the interface once and lists them under its row."""
    head = section.head
    if head is None or not head.differs:
        return []
    lacking = {i for i, c in enumerate(head.row.cells) if c.kind.key == "no"}
    for laid in section.rows:
        cells = laid.row.cells
        if not laid.differs or laid.contradicted or not cells:
            continue
        missing = {i for i, c in enumerate(cells) if c.kind.key == "no" and c.detail == MISSING["interface-missing"]}
        others = [c for i, c in enumerate(cells) if i not in missing]
        seen = {(c.kind.key in SUPPORTED, c.text) for c in others if c.kind.key in KNOWN}
        if missing and missing <= lacking and len(seen) <= 1:
            head.folded.append(laid)
    return head.folded
