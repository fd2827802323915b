"""Markdown, short enough for a job summary, a pull-request comment or an issue."""

from __future__ import annotations

from typing import ClassVar

from compatprobe.bcd.compare import BcdComparison
from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format, bcd_template
from compatprobe.report.layout import LaidRow, lay_out
from compatprobe.report.table import Table
from compatprobe.report.templating import markdown_environment

# A job summary is for reading at a glance; the JSON form (and the HTML table) lists every change.
MD_MAX_ROWS = 100
WORTH_A_LOOK = ("throws", "error", "timeout")


class MarkdownFormat(Format):
    name: ClassVar[str] = "md"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff", "bcd")

    def table(self, table: Table) -> str:
        layout = lay_out(table, split=False)
        # What a reviewer needs: rows where browsers differ or BCD is contradicted, and rows that
        # changed since the previous run or over the history, were flaky, threw unexpectedly or broke
        # the probe, even where browsers agree.
        # With one browser nothing can differ between browsers: then every row (up to MD_MAX_ROWS).
        alone = sum(c.target.browser is not None for c in table.columns) < 2
        laid = [r for s in layout.sections for r in s.all_rows]
        # Members that differ only because their interface is missing are counted under its row.
        folded = {id(r) for s in layout.sections if s.head for r in s.head.folded}
        shown = [r for r in laid if alone or ((r.differs or r.contradicted) and id(r) not in folded) or _moved(r)]
        rows = shown[:MD_MAX_ROWS]
        cited = sorted({n for laid in rows for cell in laid.row.cells for n in cell.footnotes})
        notes = [(n, table.footnotes[n - 1]) for n in cited]
        template = markdown_environment(self.template_dir).get_template("table.md")
        return template.render(table=table, layout=layout, rows=rows, notes=notes, max_rows=MD_MAX_ROWS, alone=alone)

    def diff(self, diff: Diff) -> str:
        return (
            markdown_environment(self.template_dir)
            .get_template("diff.md")
            .render(diff=worded(diff), max_rows=MD_MAX_ROWS)
        )

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False, limit: int | None = None) -> str:
        template, context = bcd_template(comparison, show_all=show_all, suffix="md", limit=limit)
        return markdown_environment(self.template_dir).get_template(template).render(**context)


def _moved(laid: LaidRow) -> bool:
    """Changed, flaky, another outcome earlier in the history, scopes (window, workers) that differ,
    an exception the spec does not expect (⚠), or the probe itself failed: worth a look even where
    every browser did the same."""
    return any(c.changed or c.flaky or c.earlier or c.scopes or c.kind.key in WORTH_A_LOOK for c in laid.row.cells)
