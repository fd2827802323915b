"""HTML: one self-contained page (inline style under a strict CSP, no scripts) per table or diff."""

from __future__ import annotations

from typing import Any, ClassVar

from compatprobe.diff.compare import Diff
from compatprobe.report.formats.base import Document, Format
from compatprobe.report.table import Table
from compatprobe.report.templating import csp, html_environment


class HtmlFormat(Format):
    name: ClassVar[str] = "html"
    documents: ClassVar[tuple[Document, ...]] = ("table", "diff")

    def _page(self, template: str, **context: Any) -> str:
        env = html_environment(self.template_dir)
        style = env.get_template("style.css").render()
        return env.get_template(template).render(style=style, csp=csp(style), **context)

    def table(self, table: Table) -> str:
        return self._page("table.html", table=table)

    def diff(self, diff: Diff) -> str:
        return self._page("diff.html", diff=diff)
