"""HTML: self-contained pages (inline style and one inline script, by hash under a strict CSP) per
table or diff. Everything works without JavaScript; the script only adds the search and forwards an
index's `#feature.id` to the feature's section page.

A table is one page; past layout.SPLIT_ROWS rows, `table_pages` also gives it as an index, a page
per section and a page of the rows where browsers differ, all written beside each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import jinja2
from markupsafe import Markup

from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.formats.html_notes import bcd_note_markup
from compatprobe.report.formats.html_parts import TableMade, table_made
from compatprobe.report.formats.html_rows import ident, probe_list, row_html, toggle
from compatprobe.report.formats.html_search import feature_entries, feature_list
from compatprobe.report.layout import SPLIT_ROWS, LaidRow, Layout, Section, lay_out
from compatprobe.report.table import Row, Table
from compatprobe.report.templating import csp, html_environment

DIFFERENCES_PAGE = "differences.html"


@dataclass
class Page:
    kind: str  # single, index, section, differences
    title: str
    sections: list[Section]
    differences_rows: list[LaidRow] | None
    footnotes: list[tuple[int, str]]  # numbered per page: (the page's number, text)
    index: str
    differences: str  # where the differences view is: "#differences", or its page
    numbering: dict[int, int] = field(default_factory=dict)  # the table's footnote number: the page's


class HtmlFormat(Format):
    name: ClassVar[str] = "html"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff")

    def _page(self, template: str, scripted: bool = False, **context: Any) -> str:
        """`scripted`: the page carries the search script (a split table's index; no other page runs any)."""
        env = self._environment()
        style, script = self._style, self._script if scripted else None
        return env.get_template(template).render(style=style, script=script, csp=self._csp[scripted], **context)

    def _environment(self) -> jinja2.Environment:
        # One environment per format object: a split table renders hundreds of pages from it, and
        # each page's policy hashes the same style (and, on an index, the same script).
        if not hasattr(self, "_env"):
            self._env = html_environment(self.template_dir)
            self._style = self._env.get_template("style.css").render()
            self._script = self._env.get_template("table.js").render()
            self._csp = {False: csp(self._style), True: csp(self._style, self._script)}
        return self._env

    def table(self, table: Table) -> str:
        """The whole table on one page, with its differences view as a section."""
        layout = lay_out(table, split=False)
        notes = list(enumerate(table.footnotes, start=1))
        page = Page("single", "", layout.sections, layout.differing, notes, "", "#differences")
        return self._table_page(table, layout, page)

    def table_pages(self, table: Table, name: str) -> list[tuple[str, Callable[[], str]]]:
        layout = lay_out(table)
        if not layout.split:
            return [(name, lambda: self.table(table))]

        def page(kind: str, title: str, rows: list[LaidRow], sections: list[Section]) -> Callable[[], str]:
            def render() -> str:
                numbering, notes = _notes(table, rows)
                differing = rows if kind == "differences" else None
                made = Page(kind, title, sections, differing, notes, name, DIFFERENCES_PAGE, numbering)
                return self._table_page(table, layout, made)

            return render

        index = Page("index", "index", [], None, [], name, DIFFERENCES_PAGE)
        return [
            (name, lambda: self._table_page(table, layout, index)),
            (DIFFERENCES_PAGE, page("differences", "browsers differ, BCD contradicted", layout.differing, [])),
            *((s.page, page("section", s.id, s.all_rows, [s])) for s in layout.sections),
        ]

    def _table_page(self, table: Table, layout: Layout, page: Page) -> str:
        made = self._made(table)
        columns = replace(made.columns, numbering=page.numbering)
        # A long single page opens with its sections closed, so that the index of them fits a screen.
        open_sections = page.kind != "single" or layout.rows <= SPLIT_ROWS

        def row(laid: LaidRow, link: bool = False, head: str = "") -> Markup:
            return row_html(laid, columns=columns, link=link, head=head)

        # A footnote quoting BCD keeps the note's links and code (sanitized); any other stays text.
        quoted = bcd_note_markup(table, _rows(table, page), made.sanitized)
        return self._page(
            "table.html",
            scripted=page.kind == "index",
            layout=layout,
            page=page,
            note_markup=quoted,
            row=row,
            toggle=lambda section: Markup(toggle(section, open_sections)),
            features=feature_list(feature_entries(layout)) if page.kind == "index" else Markup(),
            probe_list=probe_list,
            ident=ident,
            **made.context,
        )

    def _made(self, table: Table) -> TableMade:
        """What every page of `table` shares, made once (a table does not change while its pages
        are rendered)."""
        if not hasattr(self, "_shared") or self._shared.table is not table:
            self._shared = table_made(table, self._environment())
        return self._shared

    def diff(self, diff: Diff) -> str:
        return self._page("diff.html", diff=worded(diff))


def _rows(table: Table, page: Page) -> list[Row]:
    """The rows whose footnotes the page lists."""
    if page.kind == "single":
        return table.rows
    laid = [r for s in page.sections for r in s.all_rows] + (page.differences_rows or [])
    return [r.row for r in laid]


def _notes(table: Table, rows: list[LaidRow]) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """The footnotes the rows cite, numbered from 1 on this page in the order they are first cited:
    the table's number to the page's, and the page's notes."""
    numbering: dict[int, int] = {}
    for laid in rows:
        for cell in laid.row.cells:
            for n in cell.footnotes:
                numbering.setdefault(n, len(numbering) + 1)
        for mdn in laid.row.mdn:
            for n in mdn.notes:
                numbering.setdefault(n, len(numbering) + 1)
            for o in mdn.observed:
                for n in o.cell.footnotes:
                    numbering.setdefault(n, len(numbering) + 1)
    return numbering, [(local, table.footnotes[n - 1]) for n, local in numbering.items()]
