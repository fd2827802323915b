"""The compatibility table as data: rows of features, columns of targets, cells, footnotes.

Built only from Results, so it renders the same from a fresh run or a results file years old.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from compatprobe.engines import ENGINE_LABELS
from compatprobe.features import group_label, group_of
from compatprobe.kinds import CELL_KINDS, FLAKY, SCOPED, Kind
from compatprobe.results.model import Outcome, ProbeInfo, Results, TargetResult, Variant, release_of
from compatprobe.results.words import label, scoped_title, words
from compatprobe.scopes import SCOPE_TITLES, SCOPES

if TYPE_CHECKING:
    from compatprobe.bcd.baseline import Baseline
    from compatprobe.bcd.display import BrowserStatements


@dataclass(slots=True)
class ScopePart:
    """One scope's outcome in a cell whose scopes differ."""

    scope: str  # as the table names it: "Window", "Worker", "SharedWorker", "ServiceWorker"
    kind: Kind
    text: str
    detail: str | None = None

    @property
    def mark(self) -> str:
        return f"{self.scope} {self.kind.icon}"


@dataclass(slots=True)
class CellBcd:
    agreement: str  # agrees, contradicts, not-comparable
    summary: str  # what BCD says for this browser release, in a few words
    title: str  # BCD's statement as BCD writes it, for a tooltip
    evidence: int | None = None  # the footnote quoting the contradiction (its first, for a cell of several scopes)


@dataclass(slots=True)
class Cell:
    kind: Kind
    text: str
    detail: str | None = None
    footnotes: list[int] = field(default_factory=list)
    range: str | None = None  # from a history of runs: the versions that showed this outcome, "120 to 157"
    earlier: bool = False  # ...and earlier runs of the history showed other outcomes (each has a note)
    changed: str | None = None  # against a previous run (run/render --compare): the diff's kind of change
    was: str | None = None  # ...and what the cell said then
    bcd: CellBcd | None = None  # set by report.bcd_marks.annotate_table
    flaky: bool = False
    scopes: list[ScopePart] = field(default_factory=list)  # set when the scopes' outcomes differ

    @property
    def scope_marks(self) -> str:
        """ "Window ✓ · Worker ✗" """
        return " · ".join(part.mark for part in self.scopes)


@dataclass(slots=True)
class Row:
    probe: ProbeInfo | None
    group: str
    label: str
    nested: bool
    cells: list[Cell]
    badges: list[str] = field(default_factory=list)
    bcd_flags: list[str] = field(default_factory=list)  # BCD's status flags
    baseline: Baseline | None = None  # web-features' status
    mdn: list[MdnCell] = field(default_factory=list)  # one per MDN column, when the table has BCD


@dataclass(slots=True)
class Column:
    target: TargetResult
    heading: str
    version: str
    release: str  # the version as tables name releases: "156", or "2.50" for WebKitGTK
    note: str | None = None


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
    agreement: str | None = None  # confirmed, contradicted, or None when not compared
    evidence: int | None = None  # the footnote holding the contradiction's evidence


@dataclass(frozen=True, slots=True)
class MdnCell:
    """Frozen: a cell with BCD's statements alone is one object for every row that shows them."""

    statements: BrowserStatements | None = None
    notes: tuple[int, ...] = ()  # footnote numbers of BCD's notes
    observed: tuple[Observed, ...] = ()

    @property
    def kind(self) -> str:
        return self.statements.main.kind if self.statements else "none"


@dataclass(slots=True)
class MdnView:
    bcd_version: str
    platforms: list[tuple[str, int]]  # (label, how many columns)
    columns: list[MdnColumn]


@dataclass(slots=True)
class ColumnGroup:
    engine: str
    label: str
    span: int


@dataclass(slots=True)
class TableBcd:
    version: str
    timestamp: str | None
    source: str
    mappings: list[tuple[str, str]]  # (target name, the BCD browser and release it was compared as)
    agrees: int
    contradicts: int
    not_comparable: int


@dataclass(slots=True)
class Table:
    results: Results
    groups: list[ColumnGroup]
    columns: list[Column]
    rows: list[Row]
    footnotes: list[str]
    legend: list[Kind]
    notes: list[str] = field(default_factory=list)  # lines under the heading, such as what the marks compare with
    bcd: TableBcd | None = None  # what BCD the table was compared with
    mdn: MdnView | None = None  # MDN's browser columns
    web_features: str | None = None  # which web-features gave the Baseline badges
    numbers: dict[str, int] = field(default_factory=dict, repr=False)  # each footnote's number, by its text

    def __post_init__(self) -> None:
        for number, text in enumerate(self.footnotes, start=1):
            self.numbers.setdefault(text, number)

    def footnote(self, text: str) -> int:
        """The number of the footnote saying `text`, added once however many cells cite it."""
        return _numbered(self.footnotes, self.numbers, text)


def _numbered(texts: list[str], numbers: dict[str, int], text: str) -> int:
    """`text`'s number among `texts` (from 1), appended the first time: `numbers` holds each
    text's number, so that a sweep's ten thousand notes are not each searched for in a list."""
    number = numbers.get(text)
    if number is None:
        texts.append(text)
        number = numbers[text] = len(texts)
    return number


class _Footnotes:
    """Footnotes collected while the rows are built, before the Table exists: numbered by their
    text in a dictionary (a list searched for each of a sweep's ten thousand notes was quadratic)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.numbers: dict[str, int] = {}

    def add(self, text: str) -> int:
        return _numbered(self.texts, self.numbers, text)


def build_table(results: Results) -> Table:
    columns = _columns(results)
    notes = _Footnotes()
    outcomes = {t.name: scoped_outcomes(t) for t in results.targets}
    rows: list[Row] = []
    for group, probes in _grouped(results.probes):
        head = next((p for p in probes if p.feature == group), None)
        if head is None:
            rows.append(Row(None, group, group_label(group), nested=False, cells=[]))
        for probe in sorted(probes, key=lambda p: (p is not head, p.feature)):
            cells = [_scoped_cell(outcomes[c.target.name].get(probe.id, {}), c.target, probe, notes) for c in columns]
            badges = [b for b, on in (("deprecated", probe.deprecated), ("non-standard", not probe.standard)) if on]
            rows.append(Row(probe, group, probe.title, nested=probe is not head, cells=cells, badges=badges))
    used = {cell.kind.key for row in rows for cell in row.cells}
    used |= {part.kind.key for row in rows for cell in row.cells for part in cell.scopes}
    flaky = any(cell.flaky for row in rows for cell in row.cells)
    return Table(
        results=results,
        groups=_column_groups(columns),
        columns=columns,
        rows=rows,
        footnotes=notes.texts,
        numbers=notes.numbers,
        legend=[kind for key, kind in CELL_KINDS.items() if key in used]
        + ([FLAKY] if flaky else [])
        + ([SCOPED] if SCOPED.key in used else []),
    )


def _grouped(probes: list[ProbeInfo]) -> list[tuple[str, list[ProbeInfo]]]:
    groups: dict[str, list[ProbeInfo]] = {}
    for probe in probes:
        groups.setdefault(group_of(probe.feature), []).append(probe)
    return sorted(groups.items())


def _columns(results: Results) -> list[Column]:
    engine_order = list(dict.fromkeys(t.engine for t in results.targets))
    ordered = sorted(results.targets, key=lambda t: engine_order.index(t.engine))
    columns = []
    for target in ordered:
        if target.browser:
            heading, version = target.browser.name, target.browser.version
        else:
            heading, version = target.name, "not run"
        note = None
        if target.status != "ok":
            note = f"{target.status}: {target.error}" if target.error else target.status
        columns.append(Column(target, heading, version, release_of(target.engine, version), note))
    return columns


def _column_groups(columns: list[Column]) -> list[ColumnGroup]:
    groups: list[ColumnGroup] = []
    for column in columns:
        engine = column.target.engine
        if groups and groups[-1].engine == engine:
            groups[-1].span += 1
        else:
            groups.append(ColumnGroup(engine, ENGINE_LABELS.get(engine, engine), 1))
    return groups


def _values_text(outcome: Outcome) -> str:
    parts = [f"{key} = {value}" for key, value in outcome.values.items()]
    if outcome.events:
        parts.append("events: " + ", ".join(outcome.events))
    return f" Observed: {'; '.join(parts)}." if parts else ""


def scoped_outcomes(target: TargetResult) -> dict[str, dict[str, Outcome]]:
    """A target's outcomes by probe id, then by scope (the window's key for v1's absent scope), in SCOPES order."""
    found: dict[str, dict[str, Outcome]] = {}
    for outcome in sorted(target.outcomes, key=lambda o: SCOPES.index(o.scope)):
        found.setdefault(outcome.probe, {})[outcome.scope] = outcome
    return found


def _scoped_cell(by_scope: dict[str, Outcome], target: TargetResult, probe: ProbeInfo, notes: _Footnotes) -> Cell:
    """One outcome's cell where every scope agrees (or only one ran); else a cell of each scope's mark."""
    # Most probes run in one scope: nothing to compare, so no words to make twice.
    if len(by_scope) <= 1 or len({label(o) for o in by_scope.values()}) == 1:
        return _marked_cell(next(iter(by_scope.values()), None), target, probe, notes)
    parts: list[ScopePart] = []
    footnotes: list[int] = []
    flaky = False
    for scope, outcome in by_scope.items():
        # The scope is named in the part's footnotes: "FileReaderSync (in a dedicated worker): ...".
        titled = replace(probe, title=scoped_title(probe.title, scope), id=scoped_title(probe.id, scope))
        cell = _marked_cell(outcome, target, titled, notes)
        parts.append(ScopePart(SCOPE_TITLES[scope], cell.kind, cell.text, cell.detail))
        footnotes += [n for n in cell.footnotes if n not in footnotes]
        flaky = flaky or cell.flaky
    return Cell(SCOPED, " · ".join(p.mark for p in parts), footnotes=footnotes, flaky=flaky, scopes=parts)


def _marked_cell(outcome: Outcome | None, target: TargetResult, probe: ProbeInfo, notes: _Footnotes) -> Cell:
    cell = _cell(outcome, target, probe, notes)
    if outcome is not None and outcome.flaky and outcome.variants:
        others = "; ".join(f"{v.count} gave {_variant_text(v)}" for v in outcome.variants)
        same = (outcome.runs or 0) - sum(v.count for v in outcome.variants)
        runs = f"of {outcome.runs} runs, {same} gave the result shown; {others}"
        text = f"{probe.title}: flaky in {who_ran(target)}: {runs}."
        cell.flaky = True
        cell.footnotes.append(notes.add(text))
    return cell


def who_ran(target: TargetResult) -> str:
    return target.browser.name if target.browser else target.name


def _variant_text(variant: Variant) -> str:
    text = variant.status
    if variant.exception:
        text += f" ({variant.exception.name})"
    elif variant.reason:
        text += f" ({variant.reason})"
    return f"{text}: {variant.message}" if variant.message else text


def _cell(outcome: Outcome | None, target: TargetResult, probe: ProbeInfo, notes: _Footnotes) -> Cell:
    said = words(outcome)
    kind = CELL_KINDS[said.kind]
    if outcome is None:
        reason = target.error or "the probe did not run"
        return Cell(kind, said.text, footnotes=[notes.add(f"{target.name}: {reason}")])
    if said.kind == "suspect":
        text = f"{probe.id}: {outcome.message or outcome.path}; {outcome.suspect}."
        return Cell(kind, said.text, detail=said.detail, footnotes=[notes.add(text)])
    if said.kind == "setup":
        text = f"{probe.title}: {outcome.message or 'the probe could not prepare what it needs'}."
        return Cell(kind, said.text, footnotes=[notes.add(text)])
    if said.kind == "yes":
        return Cell(kind, said.text)
    if said.kind == "no":
        if outcome.reason in ("interface-missing", "member-missing"):
            return Cell(kind, said.text, detail=said.detail)
        text = f"{probe.title}: {outcome.message or 'not as described'}.{_values_text(outcome)}"
        return Cell(kind, said.text, detail=said.detail, footnotes=[notes.add(text)])
    if said.kind.startswith("throws"):
        exc = outcome.exception
        name = exc.name if exc else "an exception"
        expected = "as the spec expects" if said.kind == "throws-expected" else "the spec does not expect this"
        message = f" with the message “{exc.message}”" if exc and exc.message else ""
        text = f"{probe.title}: {who_ran(target)} throws {name}{message} ({expected}).{_values_text(outcome)}"
        return Cell(kind, said.text, footnotes=[notes.add(text)])
    if said.kind == "timeout":
        return Cell(kind, said.text, footnotes=[notes.add(f"{probe.title}: {outcome.message or 'timed out'}.")])
    return Cell(kind, said.text, footnotes=[notes.add(f"{probe.id}: {outcome.message or 'the probe failed'}.")])
