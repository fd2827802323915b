"""Work shared with a forked copy of this process, or begun in one. A sweep's 3,400 pages take a
core a second or two to render and stage, and once a run's browsers are closed the second core is
idle. fork() shares the table with the copy for free (copy on write), where a spawned worker would
need all of it pickled.

Only where a fork is safe: on Linux, in a process with no other thread (a lock another thread
held at the fork would stay held in the copy forever). Elsewhere, and for a little work, it is all
done here. A copy that fails for any reason has its share done here after it, so the outcome
(what was written, or the error that stopped it) is the one a single process gives.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Generic, TypeVar

Job = TypeVar("Job")
Value = TypeVar("Value")
# Below this many jobs a fork (a few milliseconds, and the copy's own first page) is not worth it.
MIN_JOBS = 64
PIPE_BUFFER = 1 << 16  # Linux's default: a pipe that holds more must be made larger (F_SETPIPE_SZ)
# Streamed jobs are larger (a results file of a history each, a tenth of a second or more).
MIN_STREAMED = 4


def shared(jobs: Sequence[Job], work: Callable[[Iterable[Job]], list[int]]) -> list[int]:
    """`work` over `jobs`, shared with a forked copy: the positions in `jobs` it returns, as one
    call given them all would return them. Each process takes the next job as it finishes one, so
    a costly job (a sweep's index page is a quarter of the pages' time) leaves the rest to the other."""
    deck = _deck(len(jobs)) if len(jobs) >= MIN_JOBS and _can_fork() else None
    if deck is None:
        return work(jobs)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        _copy(reader, writer, lambda: _worked(jobs, deck, work, []))
    os.close(writer)
    mine: list[int] = []
    try:
        done = _worked(jobs, deck, work, mine)
    except BaseException:
        with contextlib.suppress(OSError):  # its pages go with the staging folder
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(deck)
        answer = _answer(reader, pid)
    if answer is None:  # the copy failed: every job this process did not take is done here
        taken = set(mine)
        theirs = [i for i in range(len(jobs)) if i not in taken]
        answer = [theirs[i] for i in work([jobs[i] for i in theirs])]
    return sorted([*done, *answer])


def _deck(count: int) -> int | None:
    """A pipe holding the position of every job, its writing end closed: whoever reads a position
    has that job. A read of 4 bytes from a pipe is whole, so no job is dealt twice. None when the
    pipe cannot hold them all (beyond /proc/sys/fs/pipe-max-size, a million bytes by default)."""
    import fcntl  # only here, on Linux: Windows has no fcntl, and its runs never fork

    reader, writer = os.pipe()
    try:
        if 4 * count > PIPE_BUFFER:  # the writer would wait for a reader
            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, 4 * count)
        _write_all(writer, b"".join(i.to_bytes(4, "little") for i in range(count)))
    except OSError:
        os.close(reader)
        return None
    finally:
        os.close(writer)
    return reader


def _worked(jobs: Sequence[Job], deck: int, work: Callable[[Iterable[Job]], list[int]], taken: list[int]) -> list[int]:
    """`work` over the jobs this process takes from the deck (noted in `taken`): positions in `jobs`."""

    def dealt() -> Iterator[Job]:
        while card := os.read(deck, 4):
            taken.append(int.from_bytes(card, "little"))
            yield jobs[taken[-1]]

    return [taken[i] for i in work(dealt())]


def streamed(jobs: Sequence[Job], make: Callable[[Job], Value]) -> Iterator[Value]:
    """`make(job)` of each job, in order, every other one made meanwhile in a forked copy and sent
    here pickled as it is asked for: the copy waits on a full pipe, so no more than one value waits.
    Where the copy stops (a job it failed on, or any fault), the rest of its share is made here, so
    that an error comes at the job and in the words one process gives. Close the iterator (or end
    it) to stop the copy."""
    if len(jobs) < MIN_STREAMED or not _can_fork():
        yield from map(make, jobs)
        return
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        _send_each(reader, writer, [jobs[i] for i in range(1, len(jobs), 2)], make)
    os.close(writer)
    source = os.fdopen(reader, "rb")
    copying = True
    try:
        for position, job in enumerate(jobs):
            value = _received(source) if copying and position % 2 else None
            if value is None:
                copying = copying and not position % 2
                value = (make(job),)
            yield value[0]
    finally:
        source.close()
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        _reaped(pid)


def _send_each(reader: int, writer: int, jobs: list[Job], make: Callable[[Job], Value]) -> None:
    """In the forked copy: each job's value, pickled after its length; exits at the first fault."""
    status = 1
    try:
        os.close(reader)
        for job in jobs:
            data = pickle.dumps(make(job), pickle.HIGHEST_PROTOCOL)
            _write_all(writer, len(data).to_bytes(8, "big") + data)
        status = 0
    finally:
        os._exit(status)


def _write_all(writer: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view) :]


def _received(source: BinaryIO) -> tuple[Any] | None:
    """The copy's next value (in a tuple: the value may be None), or None when it sent no more."""
    head = source.read(8)
    if len(head) < 8:
        return None
    data = source.read(int.from_bytes(head, "big"))
    try:
        return (pickle.loads(data),)
    except Exception:  # a value cut short: the copy died while sending it
        return None


@dataclass
class Begun:
    """Work begun in a forked copy (`pid`), or not begun (no copy could be made)."""

    pid: int | None = None
    reader: int | None = None  # the copy's answer: sent once its work is done

    def done(self) -> bool:
        """Whether the copy did the work, once it has exited. False: there was no copy, or it
        failed, and the work is the caller's to do."""
        if self.pid is None or self.reader is None:
            return False
        pid, reader, self.pid, self.reader = self.pid, self.reader, None, None
        return _answer(reader, pid) == []

    def cancel(self) -> None:
        """Stop the copy, if there is one, and reap it."""
        if self.pid is None or self.reader is None:
            return
        pid, reader, self.pid, self.reader = self.pid, self.reader, None, None
        _stop(pid, reader)


def begin(work: Callable[[], None]) -> Begun:
    """`work` begun in a forked copy, where one can be made, while this process goes on; its
    `done()` then says whether the copy did it. The work must leave its mark only in files this
    process named before the fork, and do nothing this process must see."""
    if not _can_fork():
        return Begun()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        _copy(reader, writer, lambda: _done(work))
    os.close(writer)
    return Begun(pid, reader)


def _done(work: Callable[[], None]) -> list[int]:
    work()
    return []


@dataclass
class Aside(Generic[Value]):
    """A value being made in a forked copy (`pid`) and sent back pickled, or to be made here."""

    make: Callable[[], Value]
    pid: int | None = None
    reader: int | None = None

    def value(self) -> Value:
        """The copy's value once it is made; made here when there was no copy, or it failed (so an
        error comes here, in the words one process gives)."""
        if self.pid is None or self.reader is None:
            return self.make()
        pid, reader, self.pid, self.reader = self.pid, self.reader, None, None
        try:
            with os.fdopen(reader, "rb") as source:
                got = _received(source)
        except BaseException:  # a signal while waiting: the copy's value is not wanted, nor waited for
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            raise
        finally:
            _reaped(pid)
        return got[0] if got is not None else self.make()

    def cancel(self) -> None:
        """Stop the copy, if its value was not taken, and reap it."""
        if self.pid is None or self.reader is None:
            return
        pid, reader, self.pid, self.reader = self.pid, self.reader, None, None
        _stop(pid, reader)


def aside(make: Callable[[], Value]) -> Aside[Value]:
    """`make()` begun in a forked copy, where one can be made, while this process goes on; take it
    with `value()`, or `cancel()` it. `make` must leave no mark of its own: only its value comes back."""
    if not _can_fork():
        return Aside(make)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        _send_each(reader, writer, [make], lambda job: job())
    os.close(writer)
    return Aside(make, pid, reader)


def _stop(pid: int, reader: int) -> None:
    """Kill a copy whose answer is no longer wanted, and reap it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    os.close(reader)
    _reaped(pid)


def _can_fork() -> bool:
    if sys.platform != "linux" or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def _copy(reader: int, writer: int, run: Callable[[], list[int]]) -> None:
    """In the forked copy: run its share, send the positions done, and exit without running any
    of the parent's exit handlers or flushing its buffers (the parent's to write)."""
    status = 1
    try:
        os.close(reader)
        _write_all(writer, json.dumps(run()).encode())
        status = 0
    finally:
        os._exit(status)


def _answer(reader: int, pid: int) -> list[int] | None:
    """The copy's positions done, once it has exited; None when it failed."""
    chunks = []
    try:
        while chunk := os.read(reader, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(reader)
        status = _reaped(pid)
    if status != 0:
        return None
    try:
        answer = json.loads(b"".join(chunks))
    except ValueError:
        return None
    return answer if isinstance(answer, list) else None


def _reaped(pid: int) -> int:
    """The copy's exit status once it has exited. A program that ignores SIGCHLD has its children
    reaped for it: then the copy's whole answer (sent only when its share is done) is its status."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0
