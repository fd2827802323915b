"""The interface every output format implements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from compatprobe.bcd.compare import BcdComparison
    from compatprobe.diff.compare import Diff
    from compatprobe.report.table import Table
    from compatprobe.results.history import HistoryRun

Document = Literal["table", "diff", "bcd", "history"]


class Format:
    """Renders documents as text; a subclass lists the documents it supports in `documents`."""

    name: ClassVar[str]
    documents: ClassVar[tuple[Document, ...]]

    def __init__(self, template_dir: Path | None = None) -> None:
        self.template_dir = template_dir

    def table(self, table: Table) -> str:
        raise NotImplementedError(f"{self.name} does not render tables")

    def table_files(self, table: Table, name: str) -> dict[str, str]:
        """The table as files to write side by side, by file name; `name` is the main one's.
        One file, unless the format splits a large table (HTML does)."""
        return {name: self.table(table)}

    def diff(self, diff: Diff) -> str:
        raise NotImplementedError(f"{self.name} does not render diffs")

    def bcd(self, comparison: BcdComparison, *, show_all: bool = False) -> str:
        raise NotImplementedError(f"{self.name} does not render BCD comparisons")

    def history(self, runs: list[HistoryRun]) -> str:
        raise NotImplementedError(f"{self.name} does not render histories")
