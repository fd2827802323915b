"""MDN's browser columns in the table: BCD's statement for every browser MDN shows, with this run's
observations placed in their BCD browser's column and marked as confirming or contradicting it.
And web-features' Baseline status on each row.

Computed per BCD id once (every row standing for the id shares them); report.assemble puts them
in the rows, so the table without BCD stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from compatprobe.bcd.baseline import Baseline, WebFeatures
from compatprobe.bcd.by_statement import ByStatement
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.display import BrowserStatements, StatementTexts
from compatprobe.bcd.mapping import map_target
from compatprobe.features import group_of
from compatprobe.probes.info import ProbeInfo
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
    return bcd_id((row.probe.bcd, row.probe.feature) if row.probe else (row.group,), data)


def bcd_id(candidates: Iterable[str | None], data: BcdData) -> str | None:
    """The first of `candidates` that BCD has an entry for."""
    return next((c for c in candidates if c and data.features.get(c) is not None), None)


def serves(features: Iterable[str]) -> bool:
    """Whether MDN shows its server columns (Deno, Node.js) for these features."""
    return any(f.startswith(SERVER_CATEGORIES) for f in features)


def mdn_keys(data: BcdData, server: bool) -> list[str]:
    """The BCD browsers of MDN's columns that `data` knows, in MDN's order."""
    return [
        key
        for platform, browsers in MDN_BROWSERS
        if server or platform != "Server"
        for key in browsers
        if key in data.browsers
    ]


def mdn_columns(table: Table, data: BcdData) -> list[MdnColumn]:
    """MDN's browser columns (mdn_keys), each with the table's columns it maps to, then a column of
    its own for each target BCD does not know."""
    server = serves(r.probe.feature for r in table.rows if r.probe)
    platforms = {key: platform for platform, browsers in MDN_BROWSERS for key in browsers}
    columns = {
        key: MdnColumn(key, str(data.browsers[key].get("name", key)), platforms[key]) for key in mdn_keys(data, server)
    }
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


class BcdStatements:
    """BCD's statements and notes in MDN's browser columns (`keys`: mdn_keys), computed once per BCD
    id and made once per thing said. They depend on BCD alone, not on what any browser did: a run
    makes them for its probes while the probes run (statements_ahead; a sweep's 11,000 ids: 0.14 s)."""

    def __init__(self, data: BcdData, keys: list[str]) -> None:
        self.data = data
        self.keys = keys
        self._labels = [str(data.browsers[key].get("name", key)) for key in self.keys]
        self._by_id: dict[str, FeatureCells] = {}
        self._texts = StatementTexts()
        # The cell of BCD's statements alone, by the statements' id: a sweep's 12,623 rows show 164,000
        # such cells, of a few thousand kinds (StatementTexts shares the statements). Each cell keeps
        # its statements object, so that no other object can take its id meanwhile.
        self._plain: dict[int, MdnCell] = {}
        self.empty = self._plain_cell(None)
        # Each statement's cell and whether it has notes, by browser and what it says (by_statement):
        # most of a sweep's 145,000 cells, found in one look-up.
        self._cells: ByStatement[tuple[MdnCell, bool]] = ByStatement()
        self._by_shape: dict[bytes, tuple[list[MdnCell], tuple[int, ...]]] = {}

    def of(self, feature: str) -> FeatureCells:
        """BCD's statements and notes for `feature` in every column of `keys`."""
        found = self._by_id.get(feature)
        if found is None:
            found = self._by_id[feature] = self._feature_cells(feature)
        return found

    def forget_shapes(self) -> None:
        """Let go of what each shape said (orjson's bytes: 13 MB for a sweep's 3,300 shapes) once
        every id to come is made: an id asked for after gets cells of its own, which read the same."""
        self._by_shape.clear()

    def _feature_cells(self, feature: str) -> FeatureCells:
        compat: dict[str, Any] | None = self.data.features.get(feature)
        support = (compat.get("support") or {}) if compat is not None else {}
        given = [support.get(key) for key in self.keys]
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
                notes[i] = tuple(f"{self._labels[i]}, {feature}: {note}" for note in said)
        return FeatureCells(plain, notes)

    def _columns_cells(self, given: list[Any]) -> tuple[list[MdnCell], tuple[int, ...]]:
        """Each column's cell of BCD's statements alone, and the columns whose statements have notes."""
        plain: list[MdnCell] = []
        noted: list[int] = []
        for i, (key, statement) in enumerate(zip(self.keys, given, strict=True)):
            if statement is None:
                plain.append(self.empty)
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


def statements_ahead(data: BcdData, probes: Iterable[ProbeInfo]) -> BcdStatements:
    """BCD's statements in MDN's columns for every BCD entry a row of `probes` can stand for
    (row_bcd_id), made before any row is: for MdnStatements to take."""
    probes = list(probes)
    made = BcdStatements(data, mdn_keys(data, serves(p.feature for p in probes)))
    for probe in probes:
        for candidates in ((probe.bcd, probe.feature), (group_of(probe.feature),)):
            feature = bcd_id(candidates, data)
            if feature is not None:
                made.of(feature)
    made.forget_shapes()
    return made


class MdnStatements:
    """The table's MDN columns: BCD's statements and notes in each (BcdStatements, made here unless
    the run made them already), and the observations of the targets each column holds."""

    def __init__(self, table: Table, data: BcdData, made: BcdStatements | None = None) -> None:
        self.data = data
        self.columns = mdn_columns(table, data)
        self.view = MdnView(data.version, _platforms(self.columns), self.columns)
        keys = [c.key for c in self.columns if c.platform != OBSERVED_ONLY]
        # Made for another BCD, or other columns: made again, here.
        fits = made is not None and made.data is data and made.keys == keys
        self.statements = made if made is not None and fits else BcdStatements(data, keys)
        # The columns of targets BCD does not know come last (mdn_columns): BCD says nothing there.
        self._unknown = [self.statements.empty] * (len(self.columns) - len(keys))
        self._none = FeatureCells([self.statements.empty] * len(self.columns), {})
        self._observed = [i for i, column in enumerate(self.columns) if column.targets]

    def of(self, feature: str) -> FeatureCells:
        """BCD's statements and notes for `feature` in MDN's browser columns (those of targets BCD
        does not know are not in it)."""
        return self.statements.of(feature)

    def cells(self, row: Row, index: dict[int, int], footnote: Callable[[str], int]) -> list[MdnCell]:
        """The row's MDN cells: BCD's statements and notes, and the observations in their columns."""
        feature = row_bcd_id(row, self.data)
        found = self.of(feature) if feature else self._none
        cells = found.plain + self._unknown if feature else found.plain.copy()
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
