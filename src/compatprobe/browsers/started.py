"""What a local session started (a WebDriver server, a virtual screen), stopped together when the
session closes or fails to open."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.xvfb import Xvfb


@dataclass(slots=True)
class Started:
    children: ChildProcesses = field(default_factory=ChildProcesses)  # a remote session's is empty
    # Stopping the WebDriver server's process group also ends the browser and its web processes,
    # which a probe's endless loop can leave running after the browser itself is gone.
    driver: subprocess.Popen[bytes] | None = None
    xvfb: Xvfb | None = None
    profile: Path | None = None  # a copy of a started profile (browsers/profiles.py), removed last
    # An argument only this browser's command line holds (its profile copy, or a mark given to
    # it): its process group is found by it (ChildProcesses.kill_group_led_with).
    mark: str | None = None

    async def stop(self) -> None:
        await self.children.stop(self.driver)
        if self.xvfb:
            await self.xvfb.stop()
        if self.profile:
            await asyncio.to_thread(shutil.rmtree, self.profile, True)
