"""HTML: self-contained pages (inline style under a strict CSP, no scripts) per table or diff.

A table is one page; past layout.SPLIT_ROWS rows, `table_files` also gives it as an index, a page
per section and a page of the rows where browsers differ, all written beside each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from markupsafe import Markup

from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.formats.html_rows import BCD_ICONS, row_html, toggle
from compatprobe.report.layout import SPLIT_ROWS, LaidRow, Layout, Section, lay_out
from compatprobe.report.table import Table
from compatprobe.report.templating import csp, html_environment

DIFFERENCES_PAGE = "differences.html"
BCD_MEANINGS = {
    "yes": "full support since this version",
    "partial": "partial support",
    "flag": "only behind a flag or preference",
    "preview": "only in the browser's preview release",
    "removed": "supported in this range of versions, then removed",
    "no": "no support",
    "unknown": "support unknown",
}


@dataclass
class Page:
    kind: str  # single, index, section, differences
    title: str
    sections: list[Section]
    differences_rows: list[LaidRow] | None
    footnotes: list[tuple[int, str]]
    index: str
    differences: str  # where the differences view is: "#differences", or its page


class HtmlFormat(Format):
    name: ClassVar[str] = "html"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff")

    def _page(self, template: str, **context: Any) -> str:
        # One environment per format object: a split table renders hundreds of pages from it.
        if not hasattr(self, "_env"):
            self._env = html_environment(self.template_dir)
            self._style = self._env.get_template("style.css").render()
        style = self._style
        return self._env.get_template(template).render(style=style, csp=csp(style), **context)

    def table(self, table: Table) -> str:
        """The whole table on one page, with its differences view as a section."""
        layout = lay_out(table, split=False)
        notes = list(enumerate(table.footnotes, start=1))
        page = Page("single", "", layout.sections, layout.differing, notes, "", "#differences")
        return self._table_page(table, layout, page)

    def table_files(self, table: Table, name: str) -> Iterator[tuple[str, str]]:
        layout = lay_out(table)
        if not layout.split:
            yield name, self.table(table)
            return
        yield name, self._table_page(table, layout, Page("index", "index", [], None, [], name, DIFFERENCES_PAGE))
        differences = Page(
            "differences",
            "where browsers differ",
            [],
            layout.differing,
            _notes(table, layout.differing),
            name,
            DIFFERENCES_PAGE,
        )
        yield DIFFERENCES_PAGE, self._table_page(table, layout, differences)
        for section in layout.sections:
            page = Page("section", section.id, [section], None, _notes(table, section.all_rows), name, DIFFERENCES_PAGE)
            yield section.page, self._table_page(table, layout, page)

    def _table_page(self, table: Table, layout: Layout, page: Page) -> str:
        mdn = table.mdn
        ncols = len(mdn.columns) if mdn else len(table.columns)
        platforms = [c.platform for c in mdn.columns] if mdn else None
        # A long single page opens with its sections closed, so that the index of them fits a screen.
        open_sections = page.kind != "single" or layout.rows <= SPLIT_ROWS

        def row(laid: LaidRow, link: bool = False, head: str = "") -> Markup:
            return row_html(laid, platforms=platforms, ncols=ncols, link=link, head=head)

        return self._page(
            "table.html",
            table=table,
            layout=layout,
            page=page,
            mdn=mdn,
            ncols=ncols,
            row=row,
            toggle=lambda section: Markup(toggle(section, open_sections)),
            bcd_icons=BCD_ICONS,
            bcd_meanings=BCD_MEANINGS,
        )

    def diff(self, diff: Diff) -> str:
        return self._page("diff.html", diff=worded(diff))


def _notes(table: Table, rows: list[LaidRow]) -> list[tuple[int, str]]:
    """The footnotes the rows cite, by their numbers in the whole table."""
    cited: set[int] = set()
    for laid in rows:
        for cell in laid.row.cells:
            cited.update(cell.footnotes)
        for mdn in laid.row.mdn:
            cited.update(mdn.notes)
    return [(n, table.footnotes[n - 1]) for n in sorted(cited)]
