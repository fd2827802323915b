"""Opening a page has a time limit: a browser that does not give one within it is killed and
relaunched, so a stuck page costs seconds, not the target's deadline (run/recovery.py).

Debian's Chromium, pointed at a loopback server that never answers the first request for the
harness page and answers the next: the first launch's page never commits, the relaunch's does.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import pytest
from playwright.async_api import async_playwright

from compatprobe.browsers.playwright_session import launch_playwright
from compatprobe.browsers.session import InfrastructureError
from compatprobe.run.recovery import PAGE_OPEN_ATTEMPTS, BrowserKeeper
from loopback import Quiet, serve

pytestmark = pytest.mark.browsers
OPEN_S = 3.0


@contextmanager
def stalling_server(stalls: int) -> Iterator[str]:
    """Holds the first `stalls` requests without an answer until the server stops; answers the rest."""
    seen = [0]
    release = threading.Event()

    class Handler(Quiet):
        def do_GET(self) -> None:
            seen[0] += 1
            if seen[0] <= stalls:
                release.wait()
                return
            self.reply(200, b"<!doctype html><title>harness</title>", {"Content-Type": "text/html"})

    with serve(Handler) as url:
        try:
            yield url
        finally:
            release.set()  # before the server stops: the held requests end


async def _open(url: str) -> tuple[list[str], str | None, str]:
    incidents: list[str] = []
    async with async_playwright() as pw:
        launch = partial(
            launch_playwright, pw, "chromium", executable="/usr/bin/chromium", channel=None, args=(), headless=True
        )
        keeper = BrowserKeeper(await launch(), launch, (url,), incidents.append, open_s=OPEN_S)
        try:
            page = await keeper.open_page()
            title = await page._page.title()  # type: ignore[attr-defined]
            return incidents, None, title
        except InfrastructureError as exc:
            return incidents, str(exc), ""
        finally:
            await keeper.close()


def test_a_page_that_does_not_open_costs_a_relaunch() -> None:
    with stalling_server(stalls=1) as url:
        incidents, error, title = asyncio.run(_open(url))
    assert error is None and title == "harness"
    assert incidents == [f"no page opened within {OPEN_S:.0f} s, so the browser was restarted"]


def test_a_browser_that_never_opens_a_page_fails_its_target_after_a_few_launches() -> None:
    with stalling_server(stalls=PAGE_OPEN_ATTEMPTS) as url:
        incidents, error, _ = asyncio.run(_open(url))
    assert error == f"no page opened within {OPEN_S:.0f} s in {PAGE_OPEN_ATTEMPTS} launches of the browser"
    assert len(incidents) == PAGE_OPEN_ATTEMPTS - 1
