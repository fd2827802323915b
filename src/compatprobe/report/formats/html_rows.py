"""The table's rows as HTML, written in Python rather than in Jinja macros: a whole-platform table has
15,000 rows of a dozen cells, and a macro call per cell made rendering take minutes. The page
around the rows (templates/table.html) stays a template a user can override.

Every text is escaped (markupsafe) exactly as the autoescaping templates would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from compatprobe.bcd.display import BrowserStatements, StatementText
from compatprobe.kinds import BCD_KINDS
from compatprobe.report.layout import LaidRow, Section
from compatprobe.report.mdn import OBSERVED_ONLY, MdnCell
from compatprobe.report.table import Cell, Row
from compatprobe.report.templating import escaped, web_url

# BCD's kinds of statement, as the MDN cells mark them (never by colour alone: kinds.BCD_KINDS).
BCD_ICONS = {**{key: kind.icon for key, kind in BCD_KINDS.items()}, "none": ""}


@dataclass(frozen=True, slots=True)
class Columns:
    """What a row's cells need of their columns: each one's words for a card (a phone's layout) and,
    with MDN's columns, each one's platform, for the CSS that folds a platform's columns."""

    labels: list[str]
    platforms: list[str] | None = None  # None: the table has no MDN columns
    numbering: dict[int, int] = field(default_factory=dict)  # the table's footnote number: the page's
    order: list[int] | None = None  # which of a row's MDN cells goes in each column
    observed: list[bool] | None = None  # whether each MDN column holds an observed browser
    # Markup the same wherever it appears in the table, made once for all its pages (see mdn_cells).
    openings: list[str] = field(default_factory=list)
    plain: dict[tuple[int, int], tuple[BrowserStatements | None, str]] = field(default_factory=dict)


def mdn_columns(labels: list[str], platforms: list[str], order: list[int], observed: list[bool]) -> Columns:
    """The Columns of a table with MDN's columns, each column's cell attributes escaped once."""
    openings = [
        f'{platform_class(p)}{" observed" if seen else ""}" data-label="{escaped(label)}">'
        for label, p, seen in zip(labels, platforms, observed, strict=True)
    ]
    return Columns(labels, platforms, {}, order, observed, openings)


def ident(text: str) -> Markup:
    """An identifier that may wrap only after a dot, never inside a name ("removeStrea m()")."""
    # Escaping neither makes nor removes a dot: the same as escaping each part between them.
    return Markup(escaped(text).replace(".", "<wbr>."))


def platform_class(platform: str) -> str:
    return "p-" + "".join(c if c.isalnum() else "-" for c in platform.lower())


def notes_refs(numbers: list[int], numbering: dict[int, int] | None = None) -> str:
    local = [numbering.get(n, n) if numbering else n for n in numbers]
    return "".join(f'<sup><a href="#note-{n}">[{n}]</a></sup>' for n in local)


def observed(cell: Cell, numbering: dict[int, int] | None = None) -> str:
    if cell.scopes:  # the window and workers differ: each scope's mark
        marks = (
            f'<span class="scope k-{p.kind.key}" title="{escaped(p.scope)}: {escaped(p.text)}'
            f'{f" ({escaped(p.detail)})" if p.detail else ""}">{escaped(p.scope)} '
            f'<span class="icon">{escaped(p.kind.icon)}</span></span>'
            for p in cell.scopes
        )
        parts = [" · ".join(marks)]
    else:
        parts = [f'<span class="icon" aria-hidden="true">{escaped(cell.kind.icon)}</span>{escaped(cell.text)}']
    if cell.detail:
        parts.append(f' <span class="detail">{escaped(cell.detail)}</span>')
    if cell.range:
        parts.append(f' <span class="range">{escaped(cell.range)}</span>')
    if cell.flaky:
        parts.append(' <span class="flaky">≈ flaky</span>')
    if cell.footnotes:
        parts.append(" " + notes_refs(cell.footnotes, numbering))
    if cell.changed:
        parts.append(f' <span class="was">changed: was {escaped(cell.was)}</span>')
    return "".join(parts)


def statement(s: StatementText, lead: bool) -> str:
    qualifiers = "".join(f' <span class="q">{escaped(q)}</span>' for q in s.qualifiers)
    return (
        f'<span class="{"stmt" if lead else "more"} b-{s.kind}"><span class="sr">BCD says: </span>'
        f'<span class="icon" aria-hidden="true" data-mark="bcd-{s.kind}">{BCD_ICONS[s.kind]}</span>'
        f"{escaped(s.text)}{qualifiers}</span>"
    )


def mdn_cell(cell: MdnCell, opening: str, numbering: dict[int, int], observed_only: bool) -> str:
    """`opening`: the column's classes and label (Columns.openings); `observed_only`: the column
    is a browser BCD does not know, whose name is its heading already."""
    parts = [f'<td class="cell mdn b-{cell.kind} {opening}']
    if cell.statements:
        parts.append(statement(cell.statements.main, True))
        parts.extend(statement(s, False) for s in cell.statements.more)
        parts.append(notes_refs(cell.notes, numbering))
    for o in cell.observed:
        changed = " changed" if o.cell.changed else ""
        who = f"{escaped(o.column.heading)} {escaped(o.column.release)}"
        seen = '<span class="sr">observed: </span>' if observed_only else f'<span class="seen">{who}:</span> '
        parts.append(f'<span class="obs k-{o.cell.kind.key}{changed}">{seen}{observed(o.cell, numbering)}')
        if o.agreement == "confirmed":
            parts.append(' <span class="verdict v-ok" data-mark="confirms">✔ confirms BCD</span>')
        elif o.agreement == "contradicted":
            n = numbering.get(o.evidence, o.evidence) if o.evidence else o.evidence
            parts.append(
                f' <a class="verdict v-bad bcd-mark" data-mark="contradicts" href="#note-{n}">≠ contradicts BCD</a>'
            )
        parts.append("</span>")
    parts.append("</td>")
    return "".join(parts)


def mdn_cells(row: Row, columns: Columns) -> str:
    """A row's MDN cells in the columns' order. A cell with neither an observation nor a note shows
    only BCD's statements, and every row of the same BCD id (and most rows of the same statement)
    holds the same statements object (report.mdn), so its markup is made once per column and object:
    164,000 cells of a sweep, most of them plain."""
    assert columns.platforms is not None and columns.order is not None and columns.observed is not None
    made, numbering, cells = columns.plain, columns.numbering, row.mdn
    parts = []
    for position, i in enumerate(columns.order):
        cell = cells[i]
        if cell.observed or cell.notes:
            only = columns.platforms[position] == OBSERVED_ONLY
            parts.append(mdn_cell(cell, columns.openings[position], numbering, only))
            continue
        # Each entry keeps its statements object, so that no other object can take its id meanwhile.
        key = (position, id(cell.statements))
        found = made.get(key)
        if found is None:
            found = made[key] = (cell.statements, mdn_cell(cell, columns.openings[position], numbering, False))
        parts.append(found[1])
    return "".join(parts)


def plain_cell(cell: Cell, label: str, numbering: dict[int, int]) -> str:
    changed = f" changed change-{escaped(cell.changed)}" if cell.changed else ""
    bcd = ""
    if cell.bcd:
        mark = (
            '<span class="bcd-mark" data-mark="bcd-contradicts">≠ BCD</span> '
            if cell.bcd.agreement == "contradicts"
            else ""
        )
        bcd = f' <span class="bcd bcd-{escaped(cell.bcd.agreement)}">{mark}{escaped(cell.bcd.summary)}</span>'
    label_attr = f' data-label="{escaped(label)}"'
    return f'<td class="cell k-{cell.kind.key}{changed}"{label_attr}>{observed(cell, numbering)}{bcd}</td>'


def toggle(section: Section, open_sections: bool) -> str:
    """The checkbox that folds a section (CSS :has() hides the rest of its rows when unchecked)."""
    count = len(section.rows)
    if not count:
        return ""
    sid = escaped(section.id)
    checked = " checked" if open_sections else ""
    return (
        f'<input type="checkbox" class="toggle" id="open-{sid}"{checked} aria-label="show the {count} rows of {sid}">'
        f'<label for="open-{sid}" '
        f'class="toggle-label" data-mark="fold" title="show or hide the {count} rows of {sid}">'
        f'<span class="count">{count}</span></label>'
    )


def row_header(laid: LaidRow, link: bool, head: str) -> str:
    row = laid.row
    label = ident(row.label)
    parts = ['<th scope="row">', head, f'<a href="{escaped(laid.href)}">{label}</a>' if link else str(label)]
    badges = [*row.badges, *(flag for flag in row.bcd_flags if flag not in row.badges)]
    for badge in map(escaped, badges):
        parts.append(f' <span class="badge badge-{badge}" data-mark="{badge}">{badge}</span>')
    if row.baseline:
        b = row.baseline
        parts.append(
            f' <span class="baseline baseline-{b.key}" data-mark="baseline-{b.key}">{escaped(b.label)}'
            f'<span class="baseline-dates">{escaped(b.detail)} ({escaped(b.name)})</span></span>'
        )
    if laid.depth < 2 or link:
        parts.append(f"<code>{ident(row.probe.feature if row.probe else row.group)}</code>")
    if link and laid.folded:
        members = "".join(f'<li><a href="{escaped(r.href)}">{ident(r.anchor)}</a></li>' for r in laid.folded)
        parts.append(
            f'<details class="folded" data-mark="folded"><summary>{len(laid.folded)} members missing with it'
            f"</summary><ul>{members}</ul></details>"
        )
    parts.append("</th>")
    return "".join(parts)


def row_html(laid: LaidRow, *, columns: Columns, link: bool = False, head: str = "") -> Markup:
    """One <tr>: `columns` says what the cells need of theirs; `link` for the differences view (the
    label links to the row in the full table, no id of its own); `head`: the section's fold toggle,
    in its first row."""
    row = laid.row
    classes = f"d{laid.depth}" + (" head" if head else "") + (" differs" if laid.differs else "")
    classes += " contradicted" if laid.contradicted else ""
    anchor = "" if link else f' id="{escaped(laid.anchor)}"'
    numbering = columns.numbering
    if not row.cells:
        cells = f'<td class="heading-only" colspan="{len(columns.labels)}"></td>'
    elif columns.platforms is not None:
        cells = mdn_cells(row, columns)
    else:
        cells = "".join(plain_cell(c, label, numbering) for c, label in zip(row.cells, columns.labels, strict=True))
    return Markup(f'<tr class="{classes}"{anchor}>{row_header(laid, link, head)}{cells}</tr>\n')


def probe_list(sections: list[Section]) -> Markup:
    """The list items of the probes behind the sections' rows: id, feature, what it expects, links."""
    items = []
    for laid in (laid for section in sections for laid in section.all_rows):
        probe = laid.row.probe
        if not probe:
            continue
        spec, mdn = web_url(probe.spec), web_url(probe.mdn)
        links = f' <a href="{escaped(spec)}">spec</a>' if spec else ""
        links += f' <a href="{escaped(mdn)}">MDN</a>' if mdn else ""
        items.append(
            f"  <li><code>{escaped(probe.id)}</code> ({escaped(probe.feature)}): "
            f"{escaped(probe.expect or probe.title)}\n{links}</li>\n"
        )
    return Markup("".join(items))
