"""The processes a compatprobe child started, read from /proc (Linux): to kill one, or to check none is left."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    start: int  # clock ticks since boot: tells a process from a later one that reuses its pid
    argv: tuple[str, ...]

    @property
    def name(self) -> str:
        return os.path.basename(self.argv[0]) if self.argv else "?"


def _read(pid: int) -> Proc | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name in parentheses may hold spaces; the fields after it are fixed.
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":  # a zombie has exited; only its entry waits to be collected
        return None
    return Proc(pid, int(fields[1]), int(fields[19]), tuple(a.decode(errors="replace") for a in argv if a))


def table() -> dict[int, Proc]:
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (proc := _read(int(entry))) is not None:
            procs[proc.pid] = proc
    return procs


def descendants(root: int) -> list[Proc]:
    procs = table()
    found: list[Proc] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for proc in procs.values():
            if proc.ppid == parent:
                found.append(proc)
                frontier.append(proc.pid)
    return found


def still_running(procs: list[Proc] | set[Proc]) -> list[Proc]:
    """Those of `procs` that are still alive (the same process, not a new one with its pid)."""
    alive = []
    for proc in procs:
        now = _read(proc.pid)
        if now is not None and now.start == proc.start:
            alive.append(now)
    return alive


def browser_pid(root: int, engine: str) -> int | None:
    """The main process of the engine's browser among `root`'s descendants, or None if not (yet) there."""
    for proc in descendants(root):
        args = " ".join(proc.argv)
        if engine == "chromium" and proc.name in ("chromium", "chrome", "headless_shell") and "--type=" not in args:
            return proc.pid
        if engine == "firefox" and proc.name.startswith("firefox") and "-contentproc" not in args:
            return proc.pid
        if engine == "webkit" and proc.name == "MiniBrowser":
            return proc.pid
        if engine == "webdriver" and proc.name == "WebKitWebDriver":
            return proc.pid
    return None


def wait_for_exit(
    proc: subprocess.Popen[str], seen: set[Proc], timeout: float = 300, tick: Callable[[], None] | None = None
) -> None:
    """Wait for `proc`, adding every descendant seen on the way to `seen`, and calling `tick` often."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("compatprobe did not exit")
        seen.update(descendants(proc.pid))
        if tick is not None:
            tick()
        time.sleep(0.1)


def kill_group(popen: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group `popen` leads (started with start_new_session), as a crash would end it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(popen.pid, signal.SIGKILL)
    popen.wait(timeout=30)


def stop_group(popen: subprocess.Popen[bytes], wait_s: float) -> None:
    """SIGTERM the group `popen` leads and wait up to `wait_s`; then SIGKILL what is left of the group:
    a browser or driver the leader started may outlive it."""
    if popen.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(timeout=wait_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(popen.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        popen.wait(timeout=10)


@contextmanager
def watched() -> Iterator[set[Proc]]:
    """Every process this test process starts meanwhile (those running before are left out)."""
    before = set(descendants(os.getpid()))
    seen: set[Proc] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(p for p in descendants(os.getpid()) if p not in before)
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()
