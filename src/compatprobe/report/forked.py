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
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")
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
        _copy(reader, writer, lambda: work([jobs[i] for i in theirs]))
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
    if sys.platform != "linux" or jobs < MIN_JOBS or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def _copy(reader: int, writer: int, run: Callable[[], list[int]]) -> None:
    """In the forked copy: run its share, send the positions done, and exit without running any
    of the parent's exit handlers or flushing its buffers (the parent's to write)."""
    status = 1
    try:
        os.close(reader)
        data = memoryview(json.dumps(run()).encode())
        while data:
            data = data[os.write(writer, data) :]
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
