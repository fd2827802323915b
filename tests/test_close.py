"""A browser compatprobe launched is closed by killing its process group: its profile is no one's
to keep (browsers/playwright_session.py). Debian's Chromium says its own pid, which /proc confirms,
and nothing of it is left after the close."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from compatprobe.browsers import processes
from compatprobe.browsers.playwright_session import launch_playwright

pytestmark = pytest.mark.browsers


async def _launch_and_close() -> tuple[int | None, list[tuple[int, int]], tuple[Path, ...], list[bool]]:
    """What Chromium said its pid was, the browser groups /proc shows under the run's driver, the
    temporary folders the leader's command line names, and what each kill found."""
    killed: list[bool] = []
    async with async_playwright() as pw:
        session = await launch_playwright(
            pw, "chromium", executable="/usr/bin/chromium", channel=None, args=(), headless=True
        )
        children = session.started.children
        kill = children.kill_group_led_by
        children.kill_group_led_by = lambda leader: killed.append(kill(leader)) or killed[-1]  # type: ignore[method-assign]
        said = await session._chromium_pid()
        groups = [leader for driver, _ in processes._drivers() for leader in processes._group_leaders(driver)]
        folders = processes._left_by(processes._argv(groups[0][0])) if groups else ()
        await session.close()
    return said, groups, folders, killed


def test_a_launched_chromium_is_closed_by_killing_its_group() -> None:
    said, groups, folders, killed = asyncio.run(_launch_and_close())
    assert len(groups) == 1 and said == groups[0][0]  # the pid Chromium gave is its group's leader
    assert killed == [True]
    assert processes.start_time(groups[0][0]) is None  # gone, not left to the driver
    assert folders and not any(folder.exists() for folder in folders)  # its temporary profile too
