"""A report's files written together, so that a folder holds one whole report: the files are staged
in a temporary folder beside them, flushed to disk once, then moved into place; none is replaced
unless every one was written, and the pages of an earlier split report that this one does not
write are removed.

One flush for the folder instead of an fsync per page (3,434 of them cost 0.9 s of a sweep, and
much more when the disk is shared): it still reports a full disk or a write error before any
file is replaced, which is what the flush is for.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from compatprobe.errors import InputError
from compatprobe.files import Staged, destination, not_replaced, stage
from compatprobe.forked import shared
from compatprobe.results.heap import collector_paused

# A page's text, or the function that renders it when it is written.
PageText = str | Callable[[], str]

# How a page compatprobe wrote begins (templates/base.html), and how its index links its pages.
GENERATOR = '<meta name="generator" content="compatprobe '
PAGE_LINK = re.compile(r'href="([\w.-]+\.html)"')


def earlier_pages(main: Path) -> set[str]:
    """The pages beside `main` that the report now at `main` links to, when compatprobe wrote it."""
    try:
        with main.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
            if GENERATOR not in head:
                return set()
            text = head + handle.read()
    except OSError:
        return set()
    return {name for name in PAGE_LINK.findall(text) if name != main.name}


def _flush(folder: Path, main: Path) -> None:
    """Everything written under `folder` on disk, or the error that kept it from getting there
    (naming the report's `main` file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (AttributeError, OSError):  # not Linux: flush everything
            os.sync()
            return
        if syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(main))
    finally:
        os.close(fd)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@dataclass
class StagedReport:
    """A report's files written in a staging folder beside them, not yet in place: `commit` moves
    them there (renames, no disk space needed) and removes the earlier report's stale pages;
    `discard` removes the staging folder. A one-page report to a device or FIFO is held, and
    written into it at commit."""

    paths: list[Path] = field(default_factory=list)  # every file of the report, the main one first
    moves: list[tuple[Path, Path]] = field(default_factory=list)  # staged file, its place
    stale: set[str] = field(default_factory=set)  # pages of the earlier report that this one does not write
    staging: Path | None = None
    in_place: Staged | None = None

    def left_alone(self) -> list[Path]:
        """The report's files that already held what it writes, and were not replaced."""
        replaced = {place for _, place in self.moves}
        return [] if self.in_place is not None else [p for p in self.paths if p not in replaced]

    def commit(self) -> list[Path]:
        if self.in_place is not None:
            return self.in_place.commit()
        for tmp, path in sorted(
            self.moves, key=lambda m: m[1] == self.paths[0]
        ):  # the main file last: its links resolve
            os.replace(tmp, path)
        for name in self.stale - {path.name for path in self.paths}:
            with contextlib.suppress(FileNotFoundError):
                (self.paths[0].parent / name).unlink()
        self.discard()
        return list(self.paths)

    def discard(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def stage_report(files: Iterable[tuple[Path, PageText]]) -> StagedReport:
    """Stage a report's files (the main one first, all in one folder; each text may be a function
    that renders it when asked), flushed to disk. A file that would not change is left as it is (a
    second render of the same results rewrites nothing). A write error names the file it was for."""
    pages = list(files)
    if not pages:
        return StagedReport()
    first = pages[0][0]
    if destination(first)[1]:  # a device or FIFO: written into, and a report of one page only
        if len(pages) > 1:
            raise InputError(
                "is a device or FIFO, and this report has more than one page",
                path=first,
                hint="write it to a file in a folder, such as -o out/index.html",
            )
        return StagedReport(paths=[first], in_place=stage(first, _text(pages[0][1])))
    report = StagedReport()
    try:
        for asked, _ in pages:
            _place(report, asked)
        assert report.staging is not None
        staging = report.staging
        jobs = list(zip(report.paths, (text for _, text in pages), strict=True))
        with collector_paused():  # rendering makes no cycles worth a walk, nor does the copy need its pages dirtied
            moved = shared(jobs, lambda part: _write_pages(staging, part))
        report.moves = [(staging / report.paths[i].name, report.paths[i]) for i in moved]
        _flush(report.staging, report.paths[0])
    except BaseException:
        report.discard()
        raise
    return report


def _text(text: PageText) -> str:
    return text if isinstance(text, str) else text()


def _place(report: StagedReport, asked: Path) -> None:
    """The page's place in the report, and the staging folder beside the first."""
    path, in_place = destination(asked)  # a symlink is followed, never replaced
    if in_place:
        raise InputError("is a device or FIFO", path=asked, hint="write the report to a file in a folder")
    if not report.paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        report.staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
        report.stale = earlier_pages(path)
    elif path.parent != report.paths[0].parent:
        raise ValueError(f"{path}: a report's files are written in one folder")
    report.paths.append(path)


def _write_pages(staging: Path, jobs: Iterable[tuple[Path, PageText]]) -> list[int]:
    """Render and stage each page whose bytes would change; the positions of those staged."""
    return [i for i, (path, text) in enumerate(jobs) if _write_page(staging, path, text)]


def _write_page(staging: Path, path: Path, text: PageText) -> bool:
    """Whether the page was staged (its bytes would change). Its bytes go when it returns, before
    the next page is rendered: a sweep's largest pages are tens of megabytes."""
    data = _text(text).encode("utf-8")
    if _unchanged(path, data):
        return False
    # open() gives the mode the umask allows, as any file the user writes (mkdtemp's 0700 folder
    # is only the staging area, and is removed).
    try:
        (staging / path.name).write_bytes(data)
    except OSError as exc:  # a full disk raises from write() with no file name: name the page
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    return True


def write_report(files: Iterable[tuple[Path, PageText]], *, left_alone: list[Path] | None = None) -> list[Path]:
    """Write a report's files (see stage_report) and move them into place together; returns their
    paths (`left_alone`, when given, receives those that already held what was written and were
    not replaced). The pages the previous report at the main file's path linked to and this one
    does not write are removed, so that a folder holds one report. When any file cannot be
    written, none is replaced, and the error says so."""
    try:
        report = stage_report(files)
    except OSError as exc:
        raise not_replaced(exc) from exc
    try:
        if left_alone is not None:
            left_alone += report.left_alone()
        return report.commit()
    finally:
        report.discard()
