"""Writing output files so that a failure never leaves one half-written, with the mode the umask gives."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TextIO

from compatprobe.errors import InputError


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
    a function that writes to the file instead (a large document written as it is made)."""
    tmp = _new_temporary(folder, name)
    try:
        _fill(Path(tmp), text, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _new_temporary(folder: Path, name: str) -> str:
    """A new empty temporary file in `folder`, for the output `name`.

    mkstemp makes files 0600 whatever the umask; an output file gets what open() would give it,
    so that a web server running as another user can read a report when the umask lets it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder / name)) from exc
    finally:
        os.close(fd)
    return tmp


def _fill(tmp: Path, text: str | Callable[[TextIO], None], output: Path) -> None:
    """`text` written into `tmp` (whatever it held before) and flushed to disk; an error names `output`."""
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            if callable(text):
                text(handle)
            else:
                handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        # A full disk raises from write() with no file name: the error names the output it was for.
        if exc.filename is None or exc.filename == str(tmp):
            raise OSError(exc.errno, exc.strerror or str(exc), str(output)) from exc
        raise


def destination(path: Path) -> tuple[Path, bool]:
    """Where writing `path` goes, and whether it is written in place: a symlink is followed (never
    replaced), and a device or FIFO is written to (a rename would put a regular file in its place,
    which as root replaced the machine's /dev/null). A socket, or a link to nothing, is refused."""
    target = path
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise InputError(
                f"is a symbolic link to {target}, which does not exist", path=path, hint="name the file itself"
            )
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target, False
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return target, True
    if stat.S_ISSOCK(mode):
        raise InputError("is a socket, not a file", path=path, hint="name a file to write")
    return target, False


def _write_in_place(path: Path, text: str | Callable[[TextIO], None]) -> None:
    """A device or FIFO takes the text as it comes: there is nothing to rename over it."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        if callable(text):
            text(handle)
        else:
            handle.write(text)


@dataclass
class Staged:
    """One output written beside its place and not yet in it: `commit` moves it there, `discard`
    removes it. A device or FIFO cannot be staged (nothing can be renamed over it): its text is
    held, and written into it at commit."""

    path: Path  # where it goes (a symlink already followed)
    temporary: Path | None  # the file written beside it; None for a device or FIFO
    text: str | Callable[[TextIO], None] | None = None  # for a device or FIFO
    names: Callable[[int], Path] | None = None  # a new name (write_new): the first free one at commit

    def commit(self) -> list[Path]:
        """Move the output into place (a rename: no disk space needed); the paths it now has. When
        that fails, the temporary file is removed."""
        if self.temporary is None:
            assert self.text is not None
            _write_in_place(self.path, self.text)
            return [self.path]
        try:
            if self.names is not None:
                self.path = _claim(self.names)
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise
        self.temporary = None
        return [self.path]

    def discard(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def stage(path: Path, text: str | Callable[[TextIO], None]) -> Staged:
    """`text` (or what a function writes) in a temporary file beside `path`, flushed to disk: through
    a symlink beside its target, and held for a device or FIFO."""
    path, in_place = destination(path)
    if in_place:
        return Staged(path, None, text)
    return Staged(path, Path(_write_temporary(path.parent, path.name, text)))


def stage_new(names: Callable[[int], Path], text: str) -> Staged:
    """`text` staged for the first of names(1), names(2), ... that is free at commit (see write_new)."""
    return Staged(names(1), Path(_write_temporary(names(1).parent, names(1).stem, text)), names=names)


def reserve(path: Path) -> Staged | None:
    """An empty file staged beside `path`, for `fill` to write (another process may: its name is
    known); None for a device or FIFO, which only `stage` can take."""
    path, in_place = destination(path)
    return None if in_place else Staged(path, Path(_new_temporary(path.parent, path.name)))


def reserve_new(names: Callable[[int], Path]) -> Staged:
    """An empty file staged for the first of names(1), names(2), ... free at commit (see stage_new)."""
    return Staged(names(1), Path(_new_temporary(names(1).parent, names(1).stem)), names=names)


def fill(staged: Staged, text: str | Callable[[TextIO], None]) -> None:
    """Write a reserved file's `text` (or what a function writes), flushed to disk."""
    assert staged.temporary is not None, "a reserved file is never a device"
    _fill(staged.temporary, text, staged.path)


def _claim(names: Callable[[int], Path]) -> Path:
    """The first of names(1), names(2), ... that does not exist, claimed with O_EXCL so that two
    writers at the same moment cannot take the same one."""
    for n in count(1):
        path = names(n)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")


def not_replaced(exc: OSError, path: Path | None = None) -> OSError:
    """`exc` naming the output it was for (`path` when it names none: a full disk raises from
    write() with no file name), and saying that no output was written or replaced, for a writer
    that stages every output before it moves any (the caller must have discarded them)."""
    return OSError(
        exc.errno,
        f"{exc.strerror or exc}; no output was written or replaced",
        exc.filename if exc.filename is not None else (str(path) if path is not None else None),
    )


def write_atomic(path: Path, text: str | Callable[[TextIO], None]) -> None:
    """Write `text` (or what a function writes) to a temporary file beside `path`, then rename it
    over `path`; through a symlink to its target, and into a device or FIFO directly."""
    stage(path, text).commit()


def write_all_atomic(files: Iterable[tuple[Path, str]]) -> list[Path]:
    """Write several files so that none is replaced unless every one could be written first (and
    made: `files` may render each as it is asked for); returns their paths."""
    staged: list[Staged] = []
    try:
        for path, text in files:
            staged.append(stage(path, text))
        return [path for output in staged for path in output.commit()]
    finally:
        for output in staged:
            output.discard()


def unsafe_name(name: str) -> str | None:
    """Why `name` (from data: a target's name, a probe id's part) cannot be one file's name inside
    a folder, or None when it can: a name from data never becomes a path unchecked."""
    if not name or name in (".", ".."):
        return "it is empty or names a folder"
    if "/" in name or "\\" in name:
        return "it holds a path separator"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "it holds a control character"
    if name.startswith("."):
        return "it starts with a dot"
    if len(name.encode()) > 200:
        return "it is too long for a file name"
    return None


def refuse_inputs(path: Path | None, inputs: Iterable[Path], flag: str) -> None:
    """An output path that is one of the command's inputs (the matrix, a probe, a results file it
    reads) would destroy it: refused before any work is done."""
    if path is None:
        return
    try:
        own = os.stat(path)
    except OSError:
        return  # nothing there yet: no input (an existing file) can be it
    for source in inputs:
        try:
            found = os.stat(source)
        except OSError:
            continue  # not there (an input that is missing is its reader's error): nothing to destroy
        if (found.st_dev, found.st_ino) == (own.st_dev, own.st_ino):
            raise InputError(
                f"{flag} {path}: is one of this command's inputs ({source})",
                hint="write the output somewhere else",
            )


def write_new(names: Callable[[int], Path], text: str) -> Path:
    """Write `text` under the first of names(1), names(2), ... that does not exist yet; never replaces a file.

    All the names must be in one folder. The name is claimed with O_EXCL, so two writers at the
    same moment cannot take the same one; the text arrives whole, by rename.
    """
    return stage_new(names, text).commit()[0]
