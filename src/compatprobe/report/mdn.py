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
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.display import StatementTexts, browser_statements
from compatprobe.bcd.mapping import map_target
from compatprobe.report.table import MdnCell, MdnColumn, MdnView, Observed, Row, Table
from compatprobe.results.model import ProbeInfo

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
    return bcd_id_of(row.probe, row.group, data)


def bcd_id_of(probe: ProbeInfo | None, group: str, data: BcdData) -> str | None:
    """The BCD entry of a probe's row, or (no probe) of a heading row for `group`."""
    for candidate in (probe.bcd, probe.feature) if probe else (group,):
        if candidate and data.features.get(candidate) is not None:
            return candidate
    return None


def shows_server(features: Iterable[str]) -> bool:
    """Whether MDN's table of these features has the Server columns (Deno, Node.js)."""
    return any(feature.startswith(SERVER_CATEGORIES) for feature in features)


def browser_columns(data: BcdData, server: bool) -> list[MdnColumn]:
    """MDN's own browser columns, in MDN's order, before any observed browser is placed in them."""
    columns = []
    for platform, browsers in MDN_BROWSERS:
        if platform == "Server" and not server:
            continue
        for key in browsers:
            if key in data.browsers:
                columns.append(MdnColumn(key, str(data.browsers[key].get("name", key)), platform))
    return columns


def mdn_columns(table: Table, data: BcdData) -> list[MdnColumn]:
    server = shows_server(r.probe.feature for r in table.rows if r.probe)
    columns = {column.key: column for column in browser_columns(data, server)}
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


def _heads(columns: list[MdnColumn]) -> list[tuple[str, str, str]]:
    return [(c.key, c.label, c.platform) for c in columns]


class FeatureStatements:
    """BCD's statements and notes per BCD id in MDN's own browser columns: all that a row's MDN cells
    show besides its observations, so it can be made before the outcomes (report.prepared)."""

    def __init__(self, data: BcdData, columns: list[MdnColumn]) -> None:
        self.data = data
        self.heads = _heads(columns)  # (key, label, platform): all of a column that the cells need
        self._by_id: dict[str, FeatureCells] = {}
        self._texts = StatementTexts()
        # The cell of BCD's statements alone, by the statements' id: a sweep's 12,623 rows show 164,000
        # such cells, of a few thousand kinds (StatementTexts shares the statements). Each cell keeps
        # its statements object, so that no other object can take its id meanwhile.
        self._plain: dict[int, MdnCell] = {}

    def made(self) -> dict[str, FeatureCells]:
        """Every BCD id's cells made so far (to send to another process: see `adopt`)."""
        return self._by_id

    def adopt(self, made: dict[str, FeatureCells]) -> None:
        """Take cells made by another FeatureStatements of the same data and columns."""
        for cells in made.values():
            for cell in cells.plain:
                self._plain.setdefault(id(cell.statements), cell)
        self._by_id.update(made)

    def of(self, feature: str) -> FeatureCells:
        """BCD's statements and notes for `feature` in every column."""
        found = self._by_id.get(feature)
        if found is None:
            compat: dict[str, Any] | None = self.data.features.get(feature)
            found = self._by_id[feature] = FeatureCells([], {})
            for i, (key, label, _) in enumerate(self.heads):
                statements = None
                if compat is not None:
                    statements = browser_statements(compat, key, self.data.browsers, self._texts)
                if statements is not None and (statements.main.notes or statements.more):  # most have neither
                    notes = tuple(f"{label}, {feature}: {note}" for note in statements.notes)
                    if notes:
                        found.notes[i] = notes
                plain = self._plain.get(id(statements))
                if plain is None:
                    plain = self._plain[id(statements)] = MdnCell(statements)
                found.plain.append(plain)
        return found


class MdnStatements:
    """The table's MDN columns: BCD's statements and notes in each, computed once per BCD id (or
    given, made before the outcomes: `prepared`, used when its columns are the table's)."""

    def __init__(self, table: Table, data: BcdData, prepared: FeatureStatements | None = None) -> None:
        self.data = data
        self.columns = mdn_columns(table, data)
        self.view = MdnView(data.version, _platforms(self.columns), self.columns)
        # MDN's own columns come first; the browsers BCD does not know follow, with no statements.
        own = [c for c in self.columns if c.platform != OBSERVED_ONLY]
        fits = prepared is not None and prepared.data is data and prepared.heads == _heads(own)
        self._statements = prepared if prepared is not None and fits else FeatureStatements(data, own)
        self._others = [MdnCell()] * (len(self.columns) - len(own))
        self._none = FeatureCells([MdnCell()] * len(self.columns), {})
        self._observed = [i for i, column in enumerate(self.columns) if column.targets]

    def cells(self, row: Row, index: dict[int, int], footnote: Callable[[str], int]) -> list[MdnCell]:
        """The row's MDN cells: BCD's statements and notes, and the observations in their columns."""
        feature = row_bcd_id(row, self.data)
        found = self._statements.of(feature) if feature else self._none
        cells = found.plain + self._others if feature else found.plain.copy()
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
    return Baselines(features, data).of(row.probe, row.group)


class Baselines:
    """web-features' Baseline status of rows, each probe's (or heading's) looked up once; made
    before the outcomes when prepared (report.prepared)."""

    def __init__(self, features: WebFeatures, data: BcdData | None) -> None:
        self.features, self.data = features, data
        self._found: dict[tuple[str, ...], Baseline | None] = {}

    def made(self) -> dict[tuple[str, ...], Baseline | None]:
        """Every status looked up so far (to send to another process: see `adopt`)."""
        return self._found

    def adopt(self, made: dict[tuple[str, ...], Baseline | None]) -> None:
        """Take statuses looked up by another Baselines of the same data."""
        self._found.update(made)

    def of(self, probe: ProbeInfo | None, group: str) -> Baseline | None:
        """The status of a probe's row, or (no probe) of a heading row for `group`."""
        # What the status depends on: a probe's `bcd:` and feature id, a heading's group.
        key = ("probe", probe.bcd or "", probe.feature) if probe else ("group", group)
        try:
            return self._found[key]
        except KeyError:
            found = self._found[key] = self._lookup(probe, group)
            return found

    def _lookup(self, probe: ProbeInfo | None, group: str) -> Baseline | None:
        ids = [bcd_id_of(probe, group, self.data)] if self.data is not None else []
        ids += [probe.bcd, probe.feature] if probe else [group]
        return next((b for b in (self.features.baseline(i) for i in ids if i) if b is not None), None)


def web_features_source(features: WebFeatures) -> str:
    version = f" {features.version}" if features.version else ""
    return f"web-features{version} ({features.source})"
