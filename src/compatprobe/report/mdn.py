"""MDN's browser columns in the table: BCD's statement for every browser MDN shows, with this run's
observations placed in their BCD browser's column and marked as confirming or contradicting it.
And web-features' Baseline status on each row.

Computed per BCD id once (every row standing for the id shares them); report.assemble puts them
in the rows, so the table without BCD stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from compatprobe.bcd.baseline import Baseline, WebFeatures
from compatprobe.bcd.by_statement import ByStatement
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.display import BrowserStatements, StatementTexts
from compatprobe.bcd.mapping import map_target
from compatprobe.report.table import MdnCell, MdnColumn, MdnView, Observed, Row, Table

__all__ = ["MdnCell", "MdnColumn", "MdnView", "Observed"]  # the model lives in report.table

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


AGREEMENT_WORDS = {"agrees": "confirmed", "contradicts": "contradicted"}


def row_bcd_id(row: Row, data: BcdData) -> str | None:
    """The BCD entry a row stands for: the probe's `bcd:`, else its feature id, else (a heading) its group."""
    for candidate in (row.probe.bcd, row.probe.feature) if row.probe else (row.group,):
        if candidate and data.features.get(candidate) is not None:
            return candidate
    return None


def mdn_columns(table: Table, data: BcdData) -> list[MdnColumn]:
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


@dataclass(frozen=True, slots=True)
class FeatureCells:
    """One BCD id's MDN cells before a row's observations: BCD's statements alone, per column, and
    the notes of the few columns that have any, as the footnotes say them."""

    plain: list[MdnCell]
    notes: dict[int, tuple[str, ...]]  # by column index


class MdnStatements:
    """BCD's statements and notes in each MDN column, computed once per BCD id."""

    def __init__(self, table: Table, data: BcdData) -> None:
        self.data = data
        self.columns = mdn_columns(table, data)
        self.view = MdnView(data.version, _platforms(self.columns), self.columns)
        self._by_id: dict[str, FeatureCells] = {}
        self._texts = StatementTexts()
        # The cell of BCD's statements alone, by the statements' id: a sweep's 12,623 rows show 164,000
        # such cells, of a few thousand kinds (StatementTexts shares the statements). Each cell keeps
        # its statements object, so that no other object can take its id meanwhile.
        self._plain: dict[int, MdnCell] = {}
        self._empty = self._plain_cell(None)
        self._none = FeatureCells([self._empty] * len(self.columns), {})
        # Each statement's cell and whether it has notes, by browser and what it says (by_statement):
        # most of a sweep's 145,000 cells, found in one look-up.
        self._cells: ByStatement[tuple[MdnCell, bool]] = ByStatement()
        self._observed = [i for i, column in enumerate(self.columns) if column.targets]
        # The browser each column asks BCD about; None for a browser BCD does not know.
        self._keys = [None if c.platform == OBSERVED_ONLY else c.key for c in self.columns]
        self._by_shape: dict[bytes, tuple[list[MdnCell], tuple[int, ...]]] = {}

    def prepare(self, rows: list[Row]) -> None:
        """BCD's cells for every row's BCD id, made now rather than as the rows are completed."""
        for row in rows:
            feature = row_bcd_id(row, self.data)
            if feature:
                self.of(feature)

    def of(self, feature: str) -> FeatureCells:
        """BCD's statements and notes for `feature` in every MDN column."""
        found = self._by_id.get(feature)
        if found is None:
            found = self._by_id[feature] = self._feature_cells(feature)
        return found

    def _feature_cells(self, feature: str) -> FeatureCells:
        compat: dict[str, Any] | None = self.data.features.get(feature)
        support = (compat.get("support") or {}) if compat is not None else {}
        given = [support.get(key) if key is not None else None for key in self._keys]
        # 11,000 ids of a sweep say one of 3,300 things in MDN's columns: each made once.
        shape = _shape(given)
        found = self._by_shape.get(shape) if shape is not None else None
        if found is None:
            found = self._columns_cells(given)
            if shape is not None:
                self._by_shape[shape] = found
        plain, noted = found
        notes: dict[int, tuple[str, ...]] = {}
        for i in noted:  # only columns whose statements have notes or more statements
            said = plain[i].statements.notes if plain[i].statements is not None else ()
            if said:
                notes[i] = tuple(f"{self.columns[i].label}, {feature}: {note}" for note in said)
        return FeatureCells(plain, notes)

    def _columns_cells(self, given: list[Any]) -> tuple[list[MdnCell], tuple[int, ...]]:
        """Each column's cell of BCD's statements alone, and the columns whose statements have notes."""
        plain: list[MdnCell] = []
        noted: list[int] = []
        for i, (key, statement) in enumerate(zip(self._keys, given, strict=True)):
            if statement is None or key is None:
                plain.append(self._empty)
                continue
            cell, has_notes = self._cells.get((key,), statement, self._cell_of, statement, key)
            if has_notes:
                noted.append(i)
            plain.append(cell)
        return plain, tuple(noted)

    def _cell_of(self, given: Any, key: str) -> tuple[MdnCell, bool]:
        statements = self._texts.shown(given, key, self.data.browsers)
        # Most statements have neither notes nor more statements: no footnote to word.
        return self._plain_cell(statements), statements is not None and bool(statements.main.notes or statements.more)

    def _plain_cell(self, statements: BrowserStatements | None) -> MdnCell:
        plain = self._plain.get(id(statements))
        if plain is None:
            plain = self._plain[id(statements)] = MdnCell(statements)
        return plain

    def cells(self, row: Row, index: dict[int, int], footnote: Callable[[str], int]) -> list[MdnCell]:
        """The row's MDN cells: BCD's statements and notes, and the observations in their columns."""
        feature = row_bcd_id(row, self.data)
        found = self.of(feature) if feature else self._none
        cells = found.plain.copy()
        # In column order, as the footnotes are numbered when they are first cited.
        for i in sorted({*found.notes, *(self._observed if row.cells else ())}):
            observed = []
            for target in self.columns[i].targets if row.cells else ():
                cell = row.cells[index[id(target)]]
                agreement = AGREEMENT_WORDS.get(cell.bcd.agreement) if cell.bcd else None
                evidence = cell.bcd.evidence if agreement == "contradicted" and cell.bcd else None
                observed.append(Observed(target, cell, agreement, evidence))
            notes = tuple(footnote(note) for note in found.notes.get(i, ()))
            cells[i] = MdnCell(cells[i].statements, notes, tuple(observed))
        return cells


def _shape(given: list[Any]) -> bytes | None:
    """What a BCD id says in MDN's columns, as bytes two ids share only when they say the same;
    None without orjson (then each id's cells are found column by column, as they were)."""
    try:
        import orjson
    except ImportError:
        return None
    try:
        return orjson.dumps(given)
    except orjson.JSONEncodeError:  # not JSON: no shape to share
        return None


def _platforms(columns: list[MdnColumn]) -> list[tuple[str, int]]:
    platforms: list[tuple[str, int]] = []
    for column in columns:
        if platforms and platforms[-1][0] == column.platform:
            platforms[-1] = (column.platform, platforms[-1][1] + 1)
        else:
            platforms.append((column.platform, 1))
    return platforms


def baseline_of(row: Row, features: WebFeatures, data: BcdData | None) -> Baseline | None:
    """web-features' Baseline status of the row's BCD id, when web-features lists it."""
    ids = [row_bcd_id(row, data)] if data is not None else []
    ids += [row.probe.bcd, row.probe.feature] if row.probe else [row.group]
    return next((b for b in (features.baseline(i) for i in ids if i) if b is not None), None)


def web_features_source(features: WebFeatures) -> str:
    version = f" {features.version}" if features.version else ""
    return f"web-features{version} ({features.source})"
