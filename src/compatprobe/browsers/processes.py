"""Helper processes compatprobe starts itself (WebDriver servers, Xvfb), and stopping them for sure.

Each one starts in a session of its own, so a terminal's Ctrl-C reaches compatprobe and not the
helpers directly: compatprobe decides when they stop. It stops the whole process group, because
a helper's own children (MiniBrowser, a WebKitWebProcess stuck in a probe's endless loop) do not
always die with it.

Browsers that Playwright's driver starts are its children, each in a process group of its own;
should the driver die, Firefox and its content processes would outlive it. Their groups are noted
once launched (Linux: read from /proc) and killed at the end of a run if their leader still lives;
the browsers of a Playwright driver the process ran before the run (a script's own) are left alone.
A browser whose driver died leaves the temporary profile the driver made for it (the driver
removes it when the browser closes) and Chromium's socket folder: those go too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

STOP_GRACE_S = 5.0
# The temporary profiles Playwright's driver makes for the browsers it launches.
DRIVER_PROFILES = ("playwright_chromiumdev_profile-", "playwright_firefoxdev_profile-", "playwright_webkitdev_profile-")


class ChildProcesses:
    """The helper processes of one run; `kill_all` is the last resort when a run is cut short."""

    def __init__(self) -> None:
        self._live: list[subprocess.Popen[bytes]] = []
        # Browser process groups under Playwright's driver: (leader pid, its start time), and the
        # temporary folders the browser and the driver made for it (_left_by).
        self._groups: dict[tuple[int, int], tuple[Path, ...]] = {}
        self._others: set[tuple[int, int]] = set()  # drivers that are not the run's: (pid, start time)

    def note_other_drivers(self) -> None:
        """Note the Playwright drivers this process runs before the run starts its own (a script's,
        which called the API): the browsers under them are not the run's to kill."""
        self._others = set(_drivers())

    def note_browser_groups(self) -> None:
        """Note the process groups the run's Playwright driver (a child of this process) leads browsers in."""
        for driver, _ in _drivers() - self._others:
            for leader in _group_leaders(driver):
                self._groups.setdefault(leader, _left_by(_argv(leader[0])))

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

    def kill_group_led_with(self, argument: str) -> bool:
        """SIGKILL the browser group whose leader, started by the run's Playwright driver, has
        `argument` on its command line (a browser's own profile folder, say: _kill_group_of);
        whether one was found (never where there is no /proc). Found among the groups noted, and
        so after its driver died as well, or under a driver alive now."""
        wanted = argument.encode()
        live = {leader for driver, _ in _drivers() - self._others for leader in _group_leaders(driver)}
        for pid, start in {*self._groups, *live}:
            if start_time(pid) == start and wanted in _argv(pid).split(b"\0"):
                _kill_group_of(pid)
                return True
        return False

    def kill_all(self) -> None:
        """SIGKILL every helper group still known, at once (a second Ctrl-C, or an abrupt end)."""
        for process in self._live:
            _signal_group(process, signal.SIGKILL)
        self._live.clear()
        for (pid, start), folders in self._groups.items():
            if start_time(pid) == start:  # the same browser, not a later process given its pid
                _kill_group_of(pid)
            # Gone already when the browser closed; left when its driver died first.
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
        self._groups.clear()


def _kill_group_of(leader: int) -> None:
    """SIGKILL the leader's process group, and wait until the leader is gone (a second at most),
    so that the folders it wrote in can be removed with nothing written after."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(leader, signal.SIGKILL)
    for _ in range(100):
        if start_time(leader) is None:  # gone, or a zombie: it writes nothing more
            return
        time.sleep(0.01)


def _left_by(argv: bytes) -> tuple[Path, ...]:
    """The temporary folders a browser leaves when it is killed: the profile Playwright's driver
    made for it (Chromium's --user-data-dir=, Firefox's -profile; not one compatprobe made) and the
    folder Chromium keeps its singleton socket in (a link in the profile names it)."""
    args = [a.decode(errors="replace") for a in argv.split(b"\0")]
    for i, arg in enumerate(args):
        given = arg.partition("=")[2] if arg.startswith("--user-data-dir=") else None
        if arg in ("-profile", "--profile") and i + 1 < len(args):
            given = args[i + 1]
        if given and os.path.isabs(given) and Path(given).name.startswith(DRIVER_PROFILES):
            return (*_socket_folder(Path(given)), Path(given))
    return ()


def _socket_folder(profile: Path) -> tuple[Path, ...]:
    try:
        socket = Path(os.readlink(profile / "SingletonSocket"))
    except OSError:
        return ()
    return (socket.parent,) if socket.parent.name.startswith("org.chromium.Chromium.") else ()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    # The group id is the helper's pid (start_new_session); it can outlive the helper itself.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first), or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def start_time(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot), or None when it is gone or a zombie."""
    fields = _stat(pid)
    return int(fields[19]) if fields and fields[0] != "Z" else None


def _argv(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(parent: int) -> list[int]:
    """The pids whose parent is `parent` (none where there is no /proc)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _drivers() -> set[tuple[int, int]]:
    """This process's Playwright drivers, with their start times."""
    return {(pid, start_time(pid) or 0) for pid in _children(os.getpid()) if b"run-driver" in _argv(pid)}


def _group_leaders(parent: int) -> list[tuple[int, int]]:
    """`parent`'s children that lead a process group of their own, with their start times."""
    leaders = []
    for pid in _children(parent):
        fields = _stat(pid)
        if fields and int(fields[2]) == pid and fields[0] != "Z":
            leaders.append((pid, int(fields[19])))
    return leaders
