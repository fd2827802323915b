"""Plain text for a terminal: one line per item, browser text stripped of control characters."""

from __future__ import annotations

from typing import ClassVar

from compatprobe.bcd.compare import BcdComparison
from compatprobe.diff.compare import Diff
from compatprobe.report.diff_words import worded
from compatprobe.report.formats.base import Document, Format, bcd_template
from compatprobe.report.templating import text_environment


class TextFormat(Format):
    name: ClassVar[str] = "text"
    documents: ClassVar[tuple[Document, ...]] = ("diff", "bcd")

    def diff(self, diff: Diff) -> str:
        return text_environment(self.template_dir).get_template("diff.txt").render(diff=worded(diff))

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False, limit: int | None = None) -> str:
        template, context = bcd_template(comparison, show_all=show_all, suffix="txt", limit=limit)
        return text_environment(self.template_dir).get_template(template).render(**context)
