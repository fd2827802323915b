"""SIGINT and SIGTERM: a run stops cleanly, closes what it started, exits 128 + signal.

The targets that had finished are kept: `Interrupted.partial` holds them as a partial run (the
others as failed, "interrupted"), for the caller to write whole; with none finished it is None.

Browsers and helper servers run in sessions of their own (so that a terminal's Ctrl-C does not
kill them half-way through a probe), which means they never see these signals: compatprobe turns
the first one into a cancellation that closes everything on its way out, and a second one into
an immediate stop that kills the helpers it knows of.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from compatprobe.results.model import Results, TargetResult

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; the exit code is 128 + its number (130 SIGINT, 143 SIGTERM)."""

    def __init__(self, signum: int, partial: Results | None = None, finished: tuple[str, ...] = ()) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        self.partial = partial  # the targets that finished, as a partial run; None when none had
        self.finished = finished  # their names, in the matrix's order
        self.wrote: tuple[Path, ...] = ()  # files put in place before it was raised (api.save)
        super().__init__(signal.Signals(signum).name)


def unfinished(name: str, engine: str, probes: list[str], signum: int, started: str | None) -> TargetResult:
    """A target the signal stopped: failed, every probe not run (what it had observed is dropped
    with it, so that a target is either whole or marked as stopped)."""
    return TargetResult(
        name=name,
        engine=engine,
        status="failed",
        error=f"interrupted ({signal.Signals(signum).name}) before this target finished",
        started=started,
        not_run=list(probes),
    )


def keep_finished(results: Results, finished: set[str], signum: int) -> Results | None:
    """`results` with the targets not in `finished` replaced by `unfinished` ones; None when none finished."""
    if not finished & {t.name for t in results.targets}:
        return None
    ids = [p.id for p in results.probes]
    results.targets = [
        t if t.name in finished else unfinished(t.name, t.engine, ids, signum, t.started) for t in results.targets
    ]
    return results


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise Interrupted (SIGTERM would otherwise end Python at once)."""
    previous = {sig: signal.signal(sig, _raise) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, so that its files are all written or none are.

    A signal that comes meanwhile is noted, then raised again once the handlers the block found are
    back. (Blocking the signals instead holds them for this thread only: the kernel then hands a
    process's signal to any other thread, a script's own or pytest-xdist's, and Python runs the
    handler at once.) Python runs handlers in the main thread only, so a block in another thread
    is never cut by one and needs nothing held.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: held.append(signum)) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        if held:
            signal.raise_signal(held[0])


def _quiet_when_stopping(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # Calls in flight when the run was cancelled (a page.evaluate waiting on Playwright's driver)
    # fail once the browsers close; nobody is left to read that, and it is no news.
    if "exception was never retrieved" in str(context.get("message", "")):
        return
    loop.default_exception_handler(context)


class LoopInterrupts:
    """In an event loop: the first signal cancels `task`, a second one calls `force` and exits."""

    def __init__(self, task: asyncio.Task[Any], force: Callable[[], None]) -> None:
        self.signum: int | None = None
        self._task = task
        self._force = force
        self._loop = asyncio.get_running_loop()
        self._previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
        try:
            for sig in SIGNALS:
                self._loop.add_signal_handler(sig, self._on_signal, sig)
        except (RuntimeError, ValueError, NotImplementedError):
            # Not the main thread (a library caller's worker), or no such support: signals then
            # keep whatever meaning the caller gave them.
            self._previous = {}

    def _on_signal(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
            self._loop.set_exception_handler(_quiet_when_stopping)
            self._task.cancel()
            return
        self._force()
        os.write(2, f"compatprobe: stopped at once ({signal.Signals(signum).name} again)\n".encode())
        os._exit(128 + signum)

    def close(self) -> None:
        for sig, handler in self._previous.items():
            self._loop.remove_signal_handler(sig)
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
