"""A virtual X screen for browsers that need one (WebKitGTK's MiniBrowser)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess

from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.session import InfrastructureError


class Xvfb:
    """Starts `Xvfb` on a free display number (chosen by Xvfb itself via -displayfd)."""

    def __init__(self, children: ChildProcesses) -> None:
        self._children = children
        self.process: subprocess.Popen[bytes] | None = None
        self.display: str | None = None

    async def start(self) -> str:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise InfrastructureError("Xvfb is not installed (Debian: apt-get install xvfb)")
        read_fd, write_fd = os.pipe()
        try:
            self.process = self._children.start(
                [binary, "-displayfd", str(write_fd), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
                pass_fds=(write_fd,),
            )
        finally:
            os.close(write_fd)
        try:
            number = await asyncio.wait_for(asyncio.to_thread(_read_line, read_fd), timeout=15)
        except asyncio.TimeoutError as exc:
            await self.stop()
            raise InfrastructureError("Xvfb did not report a display within 15 s") from exc
        finally:
            os.close(read_fd)
        if not number:
            await self.stop()
            raise InfrastructureError("Xvfb exited before reporting a display")
        self.display = f":{number}"
        return self.display

    async def stop(self) -> None:
        await self._children.stop(self.process)
        self.process = None


def _read_line(fd: int) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode().strip()
