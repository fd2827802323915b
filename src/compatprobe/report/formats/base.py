"""The interface every output format implements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

if TYPE_CHECKING:
    from compatprobe.bcd.compare import BcdComparison
    from compatprobe.diff.compare import Diff
    from compatprobe.report.table import Table
    from compatprobe.results.history import HistoryRun, RunTrace, Timeline

Document = Literal["table", "diff", "bcd", "history"]


class Format:
    """Renders documents as text; a subclass lists the documents it supports in `documents`."""

    name: ClassVar[str]
    documents: ClassVar[tuple[Document, ...]]

    def __init__(self, template_dir: Path | None = None) -> None:
        self.template_dir = template_dir

    def table(self, table: Table) -> str:
        raise NotImplementedError(f"{self.name} does not render tables")

    def table_pages(self, table: Table, name: str) -> list[tuple[str, Callable[[], str]]]:
        """The table as files to write side by side, (file name, the function that renders it), the
        main one (`name`) first. One file, unless the format splits a large table (HTML does); each
        rendered when it is written, so that a table of thousands of pages is never all in memory,
        and all known before any is rendered, so that a writer can share them out."""
        return [(name, lambda: self.table(table))]

    def diff(self, diff: Diff) -> str:
        raise NotImplementedError(f"{self.name} does not render diffs")

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False, limit: int | None = None) -> str:
        raise NotImplementedError(f"{self.name} does not render BCD comparisons")

    def history(self, runs: Timeline | Sequence[HistoryRun | RunTrace]) -> str:
        raise NotImplementedError(f"{self.name} does not render histories")


# Beyond this many features a per-contradiction report is too long to read: counts per class, then
# the leads by BCD file with their proposals, then the rest grouped by the note or need that explains them.
SUMMARY_FROM = 100


def bcd_template(
    comparison: BcdComparison, *, show_all: bool, suffix: str, limit: int | None = None
) -> tuple[str, dict[str, Any]]:
    """The BCD template to use (bcd.SUFFIX, or bcd-leads.SUFFIX at scale or with a limit) and what it
    is given."""
    from compatprobe.bcd.leads import find_leads
    from compatprobe.report.bcd_leads import leads_context
    from compatprobe.report.bcd_words import WAY_TEXT, heading, unknown_lines, where, who

    results = comparison.results
    if not show_all and (len(comparison.status) > SUMMARY_FROM or limit is not None):
        browsers = {name: m.label(comparison.data.browsers) for name, m in comparison.mappings.items()}
        return f"bcd-leads.{suffix}", leads_context(find_leads(comparison), heading(comparison), browsers, limit)
    return f"bcd.{suffix}", {
        "heading": heading(comparison),
        "unknown": unknown_lines(comparison),
        "comparison": comparison,
        "rows": comparison.comparisons if show_all else comparison.contradictions,
        "targets": {t.name: t for t in results.targets},
        "probes": {p.id: p for p in results.probes},
        "results": results,
        "way_text": WAY_TEXT,
        "where": where,
        "who": lambda c: who(comparison, c),
        "browsers": comparison.data.browsers,
    }
