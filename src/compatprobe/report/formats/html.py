"""HTML: self-contained pages (inline style and one inline script, by hash under a strict CSP) per
table or diff. Everything works without JavaScript; the script only adds the search and forwards an
index's `#feature.id` to the feature's section page.

A table is one page; past layout.SPLIT_ROWS rows, `table_files` also gives it as an index, a page
per section and a page of the rows where browsers differ, all written beside each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from markupsafe import Markup

from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.formats.html_legend import legend_of
from compatprobe.report.formats.html_notes import bcd_note_markup
from compatprobe.report.formats.html_rows import Columns, ident, platform_class, row_html, toggle
from compatprobe.report.formats.html_search import feature_entries
from compatprobe.report.layout import SPLIT_ROWS, LaidRow, Layout, Section, lay_out
from compatprobe.report.table import Table
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
        # One environment per format object: a split table renders hundreds of pages from it.
        if not hasattr(self, "_env"):
            self._env = html_environment(self.template_dir)
            self._style = self._env.get_template("style.css").render()
            self._script = self._env.get_template("table.js").render()
        style, script = self._style, self._script if scripted else None
        return self._env.get_template(template).render(style=style, script=script, csp=csp(style, script), **context)

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
        numbering, notes = _notes(table, layout.differing)
        differences = Page(
            "differences",
            "browsers differ, BCD contradicted",
            [],
            layout.differing,
            notes,
            name,
            DIFFERENCES_PAGE,
            numbering,
        )
        yield DIFFERENCES_PAGE, self._table_page(table, layout, differences)
        for section in layout.sections:
            numbering, notes = _notes(table, section.all_rows)
            page = Page("section", section.id, [section], None, notes, name, DIFFERENCES_PAGE, numbering)
            yield section.page, self._table_page(table, layout, page)

    def _table_page(self, table: Table, layout: Layout, page: Page) -> str:
        mdn = table.mdn
        ncols = len(mdn.columns) if mdn else len(table.columns)
        heads: list[Any] = []
        if mdn:
            # The observed browsers' columns first, so that they are never the ones off screen.
            order = sorted(range(ncols), key=lambda i: not mdn.columns[i].targets)
            heads = [mdn.columns[i] for i in order]
            labels, platforms = [c.label for c in heads], [c.platform for c in heads]
            columns = Columns(labels, platforms, page.numbering, order, [bool(c.targets) for c in heads])
        else:
            columns = Columns([f"{c.heading} {c.release}".strip() for c in table.columns], None, page.numbering)
        # A long single page opens with its sections closed, so that the index of them fits a screen.
        open_sections = page.kind != "single" or layout.rows <= SPLIT_ROWS

        def row(laid: LaidRow, link: bool = False, head: str = "") -> Markup:
            return row_html(laid, columns=columns, link=link, head=head)

        if not hasattr(self, "_legend") or self._legend[0] is not table:
            self._legend = (table, legend_of(table))
            self._notes = bcd_note_markup(table)
        return self._page(
            "table.html",
            scripted=page.kind == "index",
            table=table,
            layout=layout,
            page=page,
            mdn=mdn,
            ncols=ncols,
            row=row,
            toggle=lambda section: Markup(toggle(section, open_sections)),
            legend=self._legend[1],
            # A footnote quoting BCD keeps the note's links and code (sanitized); any other stays text.
            note_markup=self._notes,
            features=feature_entries(layout) if page.kind == "index" else [],
            platform_class=platform_class,
            ident=ident,
            mdn_columns=heads,
            mdn_platforms=_platforms(heads),
        )

    def diff(self, diff: Diff) -> str:
        return self._page("diff.html", diff=worded(diff))


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


def _platforms(columns: list[Any]) -> list[tuple[str, int, bool]]:
    """The header's groups over the columns: (platform, how many columns, observed)."""
    groups: list[tuple[str, int, bool]] = []
    for c in columns:
        key = (c.platform, bool(c.targets))
        if groups and groups[-1][0] == key[0] and groups[-1][2] == key[1]:
            groups[-1] = (key[0], groups[-1][1] + 1, key[1])
        else:
            groups.append((key[0], 1, key[1]))
    return groups
