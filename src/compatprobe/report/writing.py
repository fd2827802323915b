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
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from compatprobe.errors import InputError
from compatprobe.files import destination, write_all_atomic

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


def _flush(folder: Path) -> None:
    """Everything written under `folder` on disk, or the error that kept it from getting there."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (AttributeError, OSError):  # not Linux: flush everything
            os.sync()
            return
        if syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"cannot write to {folder.parent}: {os.strerror(error)}")
    finally:
        os.close(fd)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_report(files: Iterable[tuple[Path, str]]) -> list[Path]:
    """Write a report's files (the main one first, all in one folder; `files` may render each as it
    is asked for); returns their paths. A file that would not change is left as it is (a second
    render of the same results rewrites nothing). The pages the previous report at the main file's
    path linked to and this one does not write are removed."""
    pages = iter(files)
    first = next(pages, None)
    if first is None:
        return []
    if destination(first[0])[1]:  # a device or FIFO: written into, one page only (files.py)
        return write_all_atomic(itertools.chain([first], pages))
    paths: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    staging: Path | None = None
    try:
        for asked, text in itertools.chain([first], pages):
            path, in_place = destination(asked)  # a symlink is followed, never replaced
            if in_place:
                raise InputError("is a device or FIFO", path=asked, hint="write the report to a file in a folder")
            if not paths:
                path.parent.mkdir(parents=True, exist_ok=True)
                staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
                stale = earlier_pages(path)
            elif path.parent != paths[0].parent:
                raise ValueError(f"{path}: a report's files are written in one folder")
            paths.append(path)
            data = text.encode("utf-8")
            if _unchanged(path, data):
                continue
            assert staging is not None
            # open() gives the mode the umask allows, as any file the user writes (mkdtemp's 0700
            # folder is only the staging area, and is removed).
            (staging / path.name).write_bytes(data)
            staged.append((staging / path.name, path))
        if staging is None:
            return []
        _flush(staging)
        for tmp, path in sorted(staged, key=lambda s: s[1] == paths[0]):  # the main file last: its links resolve
            os.replace(tmp, path)
        for name in stale - {path.name for path in paths}:
            with contextlib.suppress(FileNotFoundError):
                (paths[0].parent / name).unlink()
        return paths
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
