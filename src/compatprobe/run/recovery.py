"""Keeping a target's browser usable when a probe hangs its page, navigates it away or closes it.

A page that cannot be used any more is replaced step by step: close it; if that fails, drop the
whole browsing context; if that fails too, restart the browser. Each step is bounded in time, and
what was done is said in the probe's outcome and the target's incidents.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from compatprobe.browsers.session import InfrastructureError, Page, Session

PAGE_CLOSE_S = 10.0
CONTEXT_RESET_S = 20.0
BROWSER_CLOSE_S = 20.0
LAUNCH_TIMEOUT_S = 60.0
# Opening a page takes well under a second; some Chromium builds (127, 132, 137 of the npm builds)
# now and then never answer `new_page`, and killing and relaunching the browser always helped.
PAGE_OPEN_S = 15.0
PAGE_OPEN_ATTEMPTS = 3


async def launch_within(launch: Callable[[], Awaitable[Session]], seconds: float = LAUNCH_TIMEOUT_S) -> Session:
    try:
        return await asyncio.wait_for(launch(), seconds)
    except asyncio.TimeoutError as exc:
        raise InfrastructureError(f"the browser did not start within {seconds:.0f} s") from exc


async def close_quietly(session: Session) -> None:
    """Close a session, giving up after a while: its helpers are stopped by process group anyway."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(session.close(), BROWSER_CLOSE_S)


class BrowserKeeper:
    """A target's session and its harness pages, with the means to start them afresh.

    `origins`: where each lane's harness page is loaded from (ProbeServer.origins); `epoch` counts
    the context resets and browser restarts, each of which takes every lane's page with it.
    """

    def __init__(
        self,
        session: Session,
        launch: Callable[[], Awaitable[Session]],
        origins: tuple[str, ...],
        incident: Callable[[str], None] | None = None,
        open_s: float = PAGE_OPEN_S,
    ) -> None:
        self.session = session
        self._launch = launch
        self._origins = origins
        self._incident = incident
        self._open_s = open_s
        self.epoch = 0
        self._restarting = asyncio.Lock()

    @property
    def lanes(self) -> int:
        return min(len(self._origins), self.session.lanes)

    def origin(self, lane: int = 0) -> str:
        return self._origins[lane]

    async def open_page(self, lane: int = 0) -> Page:
        """A harness page, within a time limit: a browser that does not open one is killed and
        relaunched (a stuck renderer costs seconds, not the target's deadline)."""
        for attempt in range(1, PAGE_OPEN_ATTEMPTS + 1):
            epoch = self.epoch
            try:
                return await asyncio.wait_for(self._open(self._origins[lane]), self._open_s)
            except asyncio.TimeoutError:
                if attempt == PAGE_OPEN_ATTEMPTS:
                    break
                if self._incident is not None:
                    self._incident(f"no page opened within {self._open_s:.0f} s, so the browser was restarted")
                await self.restart(epoch)
        raise InfrastructureError(
            f"no page opened within {self._open_s:.0f} s in {PAGE_OPEN_ATTEMPTS} launches of the browser"
        )

    async def _open(self, origin: str) -> Page:
        page = await self.session.new_page()
        await page.goto(origin)
        return page

    async def replace_page(self, page: Page, lane: int = 0) -> tuple[Page, str]:
        """A fresh harness page instead of `page`, and what it took to get it, in words.

        The words are the same every time the same thing happens, so that repeated runs compare.
        """
        try:
            await asyncio.wait_for(page.close(), PAGE_CLOSE_S)
            action = "the page was replaced"
        except (asyncio.TimeoutError, InfrastructureError):
            try:
                self.epoch += 1
                await asyncio.wait_for(self.session.reset(), CONTEXT_RESET_S)
                action = "the page would not close, so a new browser context was opened"
            except (asyncio.TimeoutError, InfrastructureError):
                await self.restart()
                action = "the page would not close, so the browser was restarted"
        return await self.open_page(lane), action

    async def restart(self, seen: int | None = None) -> None:
        """A new browser; none when another lane's restart since the epoch it `seen` made one."""
        async with self._restarting:
            if seen is not None and seen != self.epoch:
                return
            self.epoch += 1
            await close_quietly(self.session)
            self.session = await launch_within(self._launch)

    async def close_page(self, page: Page) -> None:
        """Close a page at the end of a round; one that will not close goes with its browser later."""
        with contextlib.suppress(asyncio.TimeoutError, InfrastructureError):
            await asyncio.wait_for(page.close(), PAGE_CLOSE_S)

    async def close(self) -> None:
        await close_quietly(self.session)
