"""Work shared with a forked copy of this process. A sweep's 3,400 pages take a core a second or
two to render and stage, and once a run's browsers are closed the second core is idle. fork()
shares the table with the copy for free (copy on write), where a spawned worker would need all of
it pickled.

Only where a fork is safe: on Linux, in a process with no other thread (a lock another thread
held at the fork would stay held in the copy forever). Elsewhere, and for a little work, it is all
done here. A copy that fails for any reason has its share done here after it, so the outcome
(what was written, or the error that stopped it) is the one a single process gives.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import pickle
import select
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

Job = TypeVar("Job")
Made = TypeVar("Made")
# Below this many jobs a fork (a few milliseconds, and the copy's own first page) is not worth it.
MIN_JOBS = 64


def shared(jobs: Sequence[Job], work: Callable[[Sequence[Job]], list[int]]) -> list[int]:
    """`work` over `jobs`, half of them in a forked copy: the positions in `jobs` it returns, as one
    call given them all would return them."""
    if not _can_fork(len(jobs)):
        return work(jobs)
    mine, theirs = range(0, len(jobs), 2), range(1, len(jobs), 2)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: never returns
        _copy(reader, writer, lambda: json.dumps(work([jobs[i] for i in theirs])).encode())
    os.close(writer)
    try:
        done = [mine[i] for i in work([jobs[i] for i in mine])]
    except BaseException:
        with contextlib.suppress(OSError):  # its pages go with the staging folder
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        answer = _answer(reader, pid)
    if answer is None:  # the copy failed: its share is done here, raising what stopped it
        answer = work([jobs[i] for i in theirs])
    return sorted([*done, *(theirs[i] for i in answer)])


def _can_fork(jobs: int) -> bool:
    return jobs >= MIN_JOBS and can_fork()


def can_fork() -> bool:
    """Whether a forked copy is safe and of use here: Linux, more than one core, no other thread."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


class Pending(Generic[Made]):
    """`make()` run in a forked copy of this process (see `can_fork`) at the lowest priority, its
    result pickled back: work that takes only a core the rest of the machine leaves idle, and
    never this process's interpreter lock. `result()` gives it, or None when the copy failed."""

    def __init__(self, make: Callable[[], Made]) -> None:
        self._reader, writer = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the copy: never returns
            _copy(self._reader, writer, lambda: _lowly(make))
        os.close(writer)
        self._done = False
        self._made: Made | None = None

    def result(self, *, wait: bool = True) -> Made | None:
        """What `make()` gave, once the copy has exited (waiting for it); None when it failed, or
        when not `wait`ing and it has not made it yet (the copy is then stopped)."""
        if not self._done:
            self._done = True
            # The copy sends only once it has made it all: nothing to read yet, nothing made yet.
            if not wait and not select.select([self._reader], [], [], 0)[0]:
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
            data = _read(self._reader, self._pid)
            with contextlib.suppress(Exception):  # a copy that died half way: as good as none
                self._made = _unpickled(data) if data is not None else None
        return self._made


def _unpickled(data: bytes) -> Any:
    """The objects pickled in `data`, made with the collector paused: a sweep's prepared table is
    200,000 objects, and the full collections they set off walked the whole heap (0.32 to 0.34 s
    to read them in, 0.13 to 0.17 s paused)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()


def _lowly(make: Callable[[], Made]) -> bytes:
    os.nice(19)
    return pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)


def _copy(reader: int, writer: int, run: Callable[[], bytes]) -> None:
    """In the forked copy: run its share, send what it gives, and exit without running any of the
    parent's exit handlers or flushing its buffers (the parent's to write)."""
    status = 1
    try:
        os.close(reader)
        data = memoryview(run())
        while data:
            data = data[os.write(writer, data) :]
        status = 0
    finally:
        os._exit(status)


def _answer(reader: int, pid: int) -> list[int] | None:
    """The copy's positions done, once it has exited; None when it failed."""
    data = _read(reader, pid)
    if data is None:
        return None
    try:
        answer = json.loads(data)
    except ValueError:
        return None
    return answer if isinstance(answer, list) else None


def _read(reader: int, pid: int) -> bytes | None:
    """All the copy sent, once it has exited; None when it failed."""
    chunks = []
    try:
        while chunk := os.read(reader, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(reader)
        status = _reaped(pid)
    return b"".join(chunks) if status == 0 else None


def _reaped(pid: int) -> int:
    """The copy's exit status once it has exited. A program that ignores SIGCHLD has its children
    reaped for it: then the copy's whole answer (sent only when its share is done) is its status."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0
