"""The table's rows as HTML, written in Python rather than in Jinja macros: a whole-platform table has
15,000 rows of a dozen cells, and a macro call per cell made rendering take minutes. The page
around the rows (templates/table.html) stays a template a user can override.

Every text is escaped (markupsafe) exactly as the autoescaping templates would.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from compatprobe.bcd.display import StatementText
from compatprobe.report.layout import LaidRow, Section
from compatprobe.report.mdn import OBSERVED_ONLY, MdnCell
from compatprobe.report.table import Cell

# BCD's kinds of statement, as the MDN cells mark them (never by colour alone).
BCD_ICONS = {
    "yes": "✓",
    "partial": "◐",
    "flag": "⚑",
    "preview": "◔",
    "removed": "✗",
    "no": "✗",
    "unknown": "?",
    "none": "",
}


def notes_refs(numbers: list[int]) -> str:
    return "".join(f'<sup><a href="#note-{n}">[{n}]</a></sup>' for n in numbers)


def observed(cell: Cell) -> str:
    if cell.scopes:  # the window and workers differ: each scope's mark
        marks = (
            f'<span class="scope k-{p.kind.key}" title="{escape(p.scope)}: {escape(p.text)}'
            f'{f" ({escape(p.detail)})" if p.detail else ""}">{escape(p.scope)} '
            f'<span class="icon">{escape(p.kind.icon)}</span></span>'
            for p in cell.scopes
        )
        parts = [" · ".join(marks)]
    else:
        parts = [f'<span class="icon" aria-hidden="true">{escape(cell.kind.icon)}</span>{escape(cell.text)}']
    if cell.detail:
        parts.append(f' <span class="detail">{escape(cell.detail)}</span>')
    if cell.range:
        parts.append(f' <span class="range">{escape(cell.range)}</span>')
    if cell.flaky:
        parts.append(' <span class="flaky">≈ flaky</span>')
    if cell.footnotes:
        parts.append(" " + notes_refs(cell.footnotes))
    if cell.changed:
        parts.append(f' <span class="was">changed: was {escape(cell.was)}</span>')
    return "".join(parts)


def statement(s: StatementText, lead: bool) -> str:
    qualifiers = "".join(f' <span class="q">{escape(q)}</span>' for q in s.qualifiers)
    return (
        f'<span class="{"stmt" if lead else "more"} b-{s.kind}"><span class="icon" aria-hidden="true">'
        f"{BCD_ICONS[s.kind]}</span>{escape(s.text)}{qualifiers}</span>"
    )


def mdn_cell(cell: MdnCell, platform: str) -> str:
    parts = [f'<td class="cell mdn b-{cell.kind}">']
    if cell.statements:
        parts.append(statement(cell.statements.main, True))
        parts.extend(statement(s, False) for s in cell.statements.more)
        parts.append(notes_refs(cell.notes))
    for o in cell.observed:
        changed = " changed" if o.cell.changed else ""
        # In a column of its own, the browser's name is the column's heading already.
        who = f"{escape(o.column.heading)} {escape(o.column.release)}"
        seen = "" if platform == OBSERVED_ONLY else f'<span class="seen">{who}:</span> '
        parts.append(f'<span class="obs k-{o.cell.kind.key}{changed}">{seen}{observed(o.cell)}')
        if o.verdict == "confirmed":
            parts.append(' <span class="verdict v-ok">✔ confirms BCD</span>')
        elif o.verdict == "contradicted":
            parts.append(f' <a class="verdict v-bad bcd-mark" href="#note-{o.evidence}">≠ contradicts BCD</a>')
        parts.append("</span>")
    parts.append("</td>")
    return "".join(parts)


def plain_cell(cell: Cell) -> str:
    changed = f" changed change-{escape(cell.changed)}" if cell.changed else ""
    bcd = ""
    if cell.bcd:
        mark = '<span class="bcd-mark">≠ BCD</span> ' if cell.bcd.verdict == "contradicts" else ""
        bcd = f' <span class="bcd bcd-{escape(cell.bcd.verdict)}">{mark}{escape(cell.bcd.summary)}</span>'
    return f'<td class="cell k-{cell.kind.key}{changed}">{observed(cell)}{bcd}</td>'


def toggle(section: Section, open_sections: bool) -> str:
    """The checkbox that folds a section (CSS :has() hides the rest of its rows when unchecked)."""
    count = len(section.rows)
    if not count:
        return ""
    sid = escape(section.id)
    checked = " checked" if open_sections else ""
    return (
        f'<input type="checkbox" class="toggle" id="open-{sid}"{checked} aria-label="show the {count} rows of {sid}">'
        f'<label for="open-{sid}" '
        f'class="toggle-label" title="show or hide the {count} rows of {sid}">'
        f'<span class="count">{count}</span></label>'
    )


def row_header(laid: LaidRow, link: bool, head: str) -> str:
    row = laid.row
    label = escape(row.label)
    parts = ['<th scope="row">', head, f'<a href="{escape(laid.href)}">{label}</a>' if link else str(label)]
    parts.extend(f' <span class="badge badge-{escape(b)}">{escape(b)}</span>' for b in row.badges)
    if row.baseline:
        b = row.baseline
        parts.append(
            f' <span class="baseline baseline-{b.key}">{escape(b.label)}'
            f'<span class="baseline-dates">{escape(b.detail)} ({escape(b.name)})</span></span>'
        )
    if any(flag not in row.badges for flag in row.bcd_flags):
        parts.append(f' <span class="bcd-flags">BCD: {escape(", ".join(row.bcd_flags))}</span>')
    if laid.depth < 2 or link:
        parts.append(f"<code>{escape(row.probe.feature if row.probe else row.group)}</code>")
    parts.append("</th>")
    return "".join(parts)


def row_html(
    laid: LaidRow,
    *,
    platforms: list[str] | None,
    ncols: int,
    link: bool = False,
    head: str = "",
) -> Markup:
    """One <tr>: `platforms` (each MDN column's platform) when the table has MDN's columns; `link`
    for the differences view (the label links to the row in the full table, no id of its own);
    `head`: the section's fold toggle, in its first row."""
    row = laid.row
    classes = f"d{laid.depth}" + (" head" if head else "") + (" differs" if laid.differs else "")
    classes += " contradicted" if laid.contradicted else ""
    anchor = "" if link else f' id="{escape(laid.anchor)}"'
    if not row.cells:
        cells = f'<td class="heading-only" colspan="{ncols}"></td>'
    elif platforms is not None:
        cells = "".join(mdn_cell(c, p) for c, p in zip(row.mdn, platforms, strict=True))
    else:
        cells = "".join(plain_cell(c) for c in row.cells)
    return Markup(f'<tr class="{classes}"{anchor}>{row_header(laid, link, head)}{cells}</tr>\n')
