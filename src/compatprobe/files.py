"""Writing output files so that a failure never leaves one half-written, with the mode the umask gives."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from itertools import count
from pathlib import Path
from typing import TextIO


def _umask() -> int:
    """The process's umask. Linux shows it in /proc; elsewhere it can only be read by setting it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_temporary(folder: Path, name: str, text: str | Callable[[TextIO], None]) -> str:
    """`text` in a new temporary file in `folder`, flushed to disk; returns its path. `text` may be
    a function that writes to the file instead (a large document written as it is made).

    mkstemp makes files 0600 whatever the umask; an output file gets what open() would give it,
    so that a web server running as another user can read a report when the umask lets it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if callable(text):
                text(handle)
            else:
                handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, text: str | Callable[[TextIO], None]) -> None:
    """Write `text` (or what a function writes) to a temporary file beside `path`, then rename it over `path`."""
    tmp = _write_temporary(path.parent, path.name, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all_atomic(files: Iterable[tuple[Path, str]]) -> list[Path]:
    """Write several files so that none is replaced unless every one could be written first (and
    made: `files` may render each as it is asked for); returns their paths."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            # mkstemp makes the file private; a report is for serving, so it gets the umask's mode.
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        return [path for _, path in staged]
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new(names: Callable[[int], Path], text: str) -> Path:
    """Write `text` under the first of names(1), names(2), ... that does not exist yet; never replaces a file.

    All the names must be in one folder. The name is claimed with O_EXCL, so two writers at the
    same moment cannot take the same one; the text arrives whole, by rename.
    """
    tmp = _write_temporary(names(1).parent, names(1).stem, text)
    try:
        for n in count(1):
            path = names(n)
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            os.replace(tmp, path)
            return path
    finally:
        Path(tmp).unlink(missing_ok=True)
    raise AssertionError("unreachable")
