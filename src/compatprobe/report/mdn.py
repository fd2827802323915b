"""MDN's browser columns in the table: BCD's statement for every browser MDN shows, with this run's
observations placed in their BCD browser's column and marked as confirming or contradicting it.
And web-features' Baseline status on each row.

Both only add to a Table that report.table.build_table made (after report.bcd_marks), so the
table without BCD stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compatprobe.bcd.baseline import WebFeatures
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.display import BrowserStatements, browser_statements
from compatprobe.bcd.mapping import map_target
from compatprobe.report.table import Cell, Column, Row, Table

# The browsers MDN's compatibility tables show, by platform, in MDN's order.
MDN_BROWSERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Desktop", ("chrome", "edge", "firefox", "opera", "safari")),
    (
        "Mobile",
        (
            "chrome_android",
            "firefox_android",
            "opera_android",
            "safari_ios",
            "samsunginternet_android",
            "webview_android",
        ),
    ),
    ("Server", ("deno", "nodejs")),  # only for javascript.* features, as on MDN
)
SERVER_CATEGORIES = ("javascript.",)
OBSERVED_ONLY = "Not in BCD"


@dataclass(slots=True)
class MdnColumn:
    key: str  # the BCD browser id, or the target's name for a browser BCD does not know
    label: str
    platform: str
    targets: list[Column] = field(default_factory=list)  # the observed targets that land here


@dataclass(slots=True)
class Observed:
    """One observed target's outcome in an MDN cell, and what it says about BCD's statement."""

    column: Column
    cell: Cell
    verdict: str | None = None  # confirmed, contradicted, or None when not compared
    evidence: int | None = None  # the footnote holding the contradiction's evidence


@dataclass(slots=True)
class MdnCell:
    statements: BrowserStatements | None = None
    notes: list[int] = field(default_factory=list)  # footnote numbers of BCD's notes
    observed: list[Observed] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.statements.main.kind if self.statements else "none"


@dataclass(slots=True)
class MdnView:
    bcd_version: str
    platforms: list[tuple[str, int]]  # (label, how many columns)
    columns: list[MdnColumn]


AGREEMENT_WORDS = {"agrees": "confirmed", "contradicts": "contradicted"}


def row_bcd_id(row: Row, data: BcdData) -> str | None:
    """The BCD entry a row stands for: the probe's `bcd:`, else its feature id, else (a heading) its group."""
    for candidate in (row.probe.bcd, row.probe.feature) if row.probe else (row.group,):
        if candidate and data.features.get(candidate) is not None:
            return candidate
    return None


def _columns(table: Table, data: BcdData) -> list[MdnColumn]:
    server = any(r.probe and r.probe.feature.startswith(SERVER_CATEGORIES) for r in table.rows)
    columns: dict[str, MdnColumn] = {}
    for platform, browsers in MDN_BROWSERS:
        if platform == "Server" and not server:
            continue
        for key in browsers:
            if key in data.browsers:
                columns[key] = MdnColumn(key, str(data.browsers[key].get("name", key)), platform)
    for column in table.columns:
        mapping = map_target(column.target, data.browsers, data.version)
        if mapping.browser in columns:
            columns[mapping.browser].targets.append(column)
        else:
            label = f"{column.heading} {column.release}" if column.target.browser else column.heading
            columns[f"target:{column.target.name}"] = MdnColumn(column.target.name, label, OBSERVED_ONLY, [column])
    return list(columns.values())


def _evidence(table: Table, cell: Cell, feature: str) -> int | None:
    """The footnote of the cell that report.bcd_marks wrote for this contradiction."""
    prefix = f"{feature} contradicts BCD"
    return next((n for n in cell.footnotes if table.footnotes[n - 1].startswith(prefix)), None)


def add_mdn_columns(table: Table, data: BcdData) -> None:
    """Give every row a cell per MDN browser: BCD's statements and notes, and the observations."""
    columns = _columns(table, data)
    index = {id(c): i for i, c in enumerate(table.columns)}
    for row in table.rows:
        feature = row_bcd_id(row, data)
        compat = data.features.get(feature) if feature else None
        cells = []
        for column in columns:
            cell = MdnCell()
            if compat is not None and column.platform != OBSERVED_ONLY:
                cell.statements = browser_statements(compat, column.key, data.browsers)
                name = column.label
                for note in cell.statements.notes if cell.statements else ():
                    cell.notes.append(table.footnote(f"{name}, {feature}: {note}"))
            for target in column.targets:
                if not row.cells:
                    continue
                observed = row.cells[index[id(target)]]
                verdict = AGREEMENT_WORDS.get(observed.bcd.verdict) if observed.bcd else None
                evidence = _evidence(table, observed, feature) if verdict == "contradicted" and feature else None
                cell.observed.append(Observed(target, observed, verdict, evidence))
            cells.append(cell)
        row.mdn = cells
    platforms: list[tuple[str, int]] = []
    for column in columns:
        if platforms and platforms[-1][0] == column.platform:
            platforms[-1] = (column.platform, platforms[-1][1] + 1)
        else:
            platforms.append((column.platform, 1))
    table.mdn = MdnView(data.version, platforms, columns)


def add_baseline(table: Table, features: WebFeatures, data: BcdData | None = None) -> None:
    """web-features' Baseline status on every row that stands for a BCD id web-features lists."""
    for row in table.rows:
        ids = [row_bcd_id(row, data)] if data is not None else []
        ids += [row.probe.bcd, row.probe.feature] if row.probe else [row.group]
        row.baseline = next((b for b in (features.baseline(i) for i in ids if i) if b is not None), None)
    version = f" {features.version}" if features.version else ""
    table.web_features = f"web-features{version} ({features.source})"
