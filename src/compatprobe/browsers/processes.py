"""Helper processes compatprobe starts itself (WebDriver servers, Xvfb), and stopping them for sure.

Each one starts in a session of its own, so a terminal's Ctrl-C reaches compatprobe and not the
helpers directly: compatprobe decides when they stop. It stops the whole process group, because
a helper's own children (MiniBrowser, a WebKitWebProcess stuck in a probe's endless loop) do not
always die with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence

STOP_GRACE_S = 5.0


class ChildProcesses:
    """The helper processes of one run; `kill_all` is the last resort when a run is cut short."""

    def __init__(self) -> None:
        self._live: list[subprocess.Popen[bytes]] = []

    def start(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        pass_fds: Sequence[int] = (),
    ) -> subprocess.Popen[bytes]:
        # An argument list, never a shell: values from matrix.yaml reach the program as they are.
        process = subprocess.Popen(
            list(argv),
            env=dict(env) if env is not None else None,
            pass_fds=tuple(pass_fds),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._live.append(process)
        return process

    async def stop(self, process: subprocess.Popen[bytes] | None, grace_s: float = STOP_GRACE_S) -> None:
        """SIGTERM to the process's group, then SIGKILL to whatever is left of it."""
        if process is None:
            return
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(process.wait, grace_s)
        # Children of the helper may outlive it in its group; they go too.
        _signal_group(process, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            await asyncio.to_thread(process.wait, grace_s)
        if process in self._live:
            self._live.remove(process)

    def kill_all(self) -> None:
        """SIGKILL every helper group still known, at once (a second Ctrl-C, or an abrupt end)."""
        for process in self._live:
            _signal_group(process, signal.SIGKILL)
        self._live.clear()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    # The group id is the helper's pid (start_new_session); it can outlive the helper itself.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)
