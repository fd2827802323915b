"""One module per command. Each has NAME and SUMMARY, its description as its docstring, `add_arguments(parser)` and
`handle(args) -> exit code`; cli.py registers them all the same way."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from compatprobe.api import Format, Table, write_report
from compatprobe.errors import InputError
from compatprobe.files import refuse_inputs, write_atomic

EXIT_OK = 0
EXIT_FOUND = 1  # diff/bcd: changes or contradictions that --fail-on asked about
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_PROBE_ERRORS = 4  # run: every target ran, but a probe itself broke (syntax, a throw outside checked calls)
EXIT_INTERRUPTED = 130

EPILOG = """exit codes:
  0  done; every target ran every probe
  1  diff or bcd found what --fail-on names
  2  bad input or usage (the message names the file, line and what to do); nothing was written
  3  partial: a target was unavailable or failed, or some probes never ran (results are still written)
  4  run: a probe itself broke (syntax error, a throw outside t.call, an uncaught error); the
     results are written and stderr names each probe's file and line
  130 interrupted by SIGINT (Ctrl-C); 143 by SIGTERM. Browsers and helpers are stopped; run writes the
     targets that had finished as a partial run (nothing when none had). The last line says which
     files were written; a signal while run writes them waits until all are in place
"""


def output_file(out: Path | str | None, name: str | None, flag: str, inputs: Iterable[Path] = ()) -> Path | None:
    """Where output named by a flag goes: None for standard output, `name` inside a folder it
    names, else the file itself. A place that cannot be written, or one of the command's `inputs`,
    is an input error (exit 2), found before any work is done."""
    if out is None or str(out) == "-":
        return None
    path = Path(out)
    if str(out).endswith("/") and name is not None:  # a folder to be made: the usual name inside it
        path = path / name
    if path.is_dir() and name is None:
        raise InputError(f"{flag} {out}: is a folder", hint=f"name a file inside it, such as {flag} {path / 'out.txt'}")
    if path.is_dir():
        assert name is not None
        path = path / name
        if path.is_dir():
            raise InputError(f"{flag} {out}: {path} is a folder", hint=f"name the file, such as {flag} {path / name}")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"{flag} {out}: {parent} is a file, not a folder", hint="choose a path in a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{flag} {out}: {parent} is not writable", hint="choose a folder you can write to")
    refuse_inputs(path, inputs, flag)
    return path


M_ARENA_MAX = -8  # glibc's malloc.h


def share_one_arena() -> None:
    """Ask glibc for one malloc arena for every thread of this process (MALLOC_ARENA_MAX=1), for a
    command that makes its plan in a worker thread (api.Planning): glibc gives a second thread an
    arena of its own, and what the plan made there, and the holes it left, stay where the main
    thread's table and pages cannot go (the sweep's peak: 220 MB, 245 MB with two arenas; malloc_trim
    gave none back). The command's threads take turns under the GIL, so one arena costs them
    nothing. A process-wide setting for the program's life, so the program's to make, not the
    library's. Elsewhere (another libc, another system) it does nothing."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)


# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
LOOP_SWITCH_S = 0.0005


@contextmanager
def loop_first() -> Iterator[None]:
    """A shorter switch interval while the planning thread computes beside the event loop that
    drives the browsers (api.Planning): each message from a browser waited for the GIL up to 5 ms,
    and a launch and its first pages are many messages. Back as it was after, for a caller that
    goes on."""
    was = sys.getswitchinterval()
    sys.setswitchinterval(min(was, LOOP_SWITCH_S))
    try:
        yield
    finally:
        sys.setswitchinterval(was)


@contextmanager
def report_heap() -> Iterator[Callable[[], None]]:
    """What a command loaded before its report (results, BCD, web-features) lives until the report is
    written: frozen, the collector no longer walks it on each full collection that the report's own
    objects set off (a sweep's table: 0.2 to 0.3 s less). The function it gives freezes what was
    made since (a run's plan and data as each is made, so that the collector does not walk them
    while the probes run either; the table, once assembled, lives as long). Thawed after, for a
    caller that goes on (a program or a test that runs commands in its own process)."""
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


@contextmanager
def report_paused(hold: Callable[[], None]) -> Iterator[None]:
    """No collection while a report's inputs or the report are made: the plan, results, BCD,
    web-features and the table make millions of objects and no reference cycle, so a collection
    only walks them. What was made is held (`hold`, report_heap's) before the collector resumes:
    its first young collection would walk all of it (0.22 s after a sweep's render)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        hold()
        if was:
            gc.enable()


def emit(text: str, out: str | Path | None, inputs: Iterable[Path] = ()) -> None:
    """Write to standard output, or atomically to a file (in a folder: see output_file)."""
    path = output_file(out, None, "-o", inputs)
    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)


@dataclass
class TableOutput:
    """A rendered table ready to write: one text for standard output, or the files of `--out`."""

    text: str = ""
    files: list[tuple[Path, Callable[[], str]]] | None = None  # each rendered as it is written
    written: list[Path] = field(default_factory=list)
    left_alone: list[Path] = field(default_factory=list)  # of `written`: already so, not replaced

    def write(self) -> None:
        if self.files is not None:
            self.written = write_report(self.files, left_alone=self.left_alone)
        else:
            sys.stdout.write(self.text)

    def said(self) -> str:
        """Which files it wrote, for the message after a run."""
        if not self.written:
            return "standard output"
        first, *others = self.written
        if not others:
            return str(first)
        names = ", ".join(p.name for p in others[:3]) + (", ..." if len(others) > 3 else "")
        same = len(set(others) & set(self.left_alone))
        kept = f"; {same} of the pages were unchanged and left as they were" if same else ""
        return f"{first} and {len(others)} pages beside it ({names}){kept}"


def table_output(fmt: Format, table: Table, out: str | None, inputs: Iterable[Path] = ()) -> TableOutput:
    """The table for `--out`: a large HTML table becomes an index with pages beside it."""
    main = output_file(out, None, "-o", inputs)
    if main is None:
        return TableOutput(text=fmt.table(table))
    return TableOutput(files=[(main.parent / name, render) for name, render in fmt.table_pages(table, main.name)])
