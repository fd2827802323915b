"""A run's files saved together: the results file, its history copy and a report's pages appear all
or none. The results file is begun first, in a forked copy of the process where one can be made,
so that its writing (a third of a second for a sweep) overlaps the making of the report, which
holds one core while the other is idle (the browsers are closed by then)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from compatprobe.files import Staged, fill, not_replaced, reserve, reserve_new
from compatprobe.forked import Begun, begin
from compatprobe.report.writing import PageText, StagedReport, stage_report
from compatprobe.results.history import history_names
from compatprobe.results.model import Results, results_text, stage_results
from compatprobe.run.interrupts import Interrupted, deferred


class Saving:
    """The files of one run being saved (see `saving`)."""

    def __init__(self, results: Results, path: Path, history: Path | None) -> None:
        self.results, self.path = results, path
        self.begun = Begun()
        self.file: Staged | None = None  # None for a device or FIFO: staged at the end
        self.copy: Staged | None = None  # in the history folder
        self.staged: list[Staged | StagedReport] = []
        self.left_alone: list[Path] = []  # the report's files that already held what it writes
        try:
            self.file = reserve(path)
            self.copy = reserve_new(history_names(results, history)) if history is not None else None
        except OSError as exc:
            self.discard()
            raise not_replaced(exc) from exc
        if self.file is not None or self.copy is not None:
            self.begun = begin(self._write)

    def save(self, report: Iterable[tuple[Path, PageText]] | None, also: Callable[[], None] | None) -> list[Path]:
        """Stage the report's files, then move every file into place (see compatprobe.api.save);
        the report's files that already held what it writes are left as they were (`left_alone`)."""
        wrote: list[Path] = []
        try:
            with deferred():
                try:
                    if report is not None:
                        staged = stage_report(report)
                        self.staged.append(staged)
                        self.left_alone = staged.left_alone()
                    self.staged[:0] = self._results_staged()
                except OSError as exc:
                    raise not_replaced(exc) from exc
                for output in self.staged:
                    wrote += output.commit()
                if also is not None:
                    also()
        except Interrupted as exc:
            exc.wrote = tuple(wrote)
            raise
        return wrote

    def discard(self) -> None:
        """Remove whatever is staged and not in place, stopping the copy that writes it."""
        self.begun.cancel()
        for output in (self.file, self.copy, *self.staged):
            if output is not None:
                output.discard()

    def _results_staged(self) -> list[Staged]:
        """The results file and history copy, written: by the copy, else here."""
        if not self.begun.done():
            self._write()
        staged = [self.file or stage_results(self.results, self.path), self.copy]
        return [s for s in staged if s is not None]

    def _write(self) -> None:
        text = results_text(self.results)
        for reserved in (self.file, self.copy):
            if reserved is not None:
                fill(reserved, text)


@contextmanager
def saving(results: Results, path: Path, history: Path | None = None) -> Iterator[Saving]:
    """Begin saving `results` to `path` (and a copy in the `history` folder) while the caller makes
    the report; `Saving.save` then writes the report and moves every file into place. Leaving the
    block before, or after a failure, leaves no file and no copy of the process behind."""
    pending = Saving(results, path, history)
    try:
        yield pending
    finally:
        pending.discard()
