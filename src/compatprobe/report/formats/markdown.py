"""Markdown, short enough for a job summary, a pull-request comment or an issue."""

from __future__ import annotations

from typing import ClassVar

from compatprobe.bcd.compare import BcdComparison
from compatprobe.diff.compare import Diff
from compatprobe.report.formats.base import Document, Format, bcd_template
from compatprobe.report.table import Table
from compatprobe.report.templating import markdown_environment

# A job summary is for reading at a glance; the JSON form lists every change.
MD_MAX_ROWS = 100


class MarkdownFormat(Format):
    name: ClassVar[str] = "md"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff", "bcd")

    def table(self, table: Table) -> str:
        return markdown_environment(self.template_dir).get_template("table.md").render(table=table)

    def diff(self, diff: Diff) -> str:
        return markdown_environment(self.template_dir).get_template("diff.md").render(diff=diff, max_rows=MD_MAX_ROWS)

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False) -> str:
        template, context = bcd_template(comparison, show_all=show_all, suffix="md")
        return markdown_environment(self.template_dir).get_template(template).render(**context)
