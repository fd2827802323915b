"""What the runner needs from a browser, whatever protocol drives it."""

from __future__ import annotations

import json
from typing import Any, Protocol

from compatprobe.results.model import BrowserInfo, Where


class InfrastructureError(Exception):
    """The browser or its driver failed, as opposed to a probe observing something."""


class PageLost(InfrastructureError):
    """The harness page went away (navigated, closed, crashed); the browser may still be usable."""


class SessionLost(InfrastructureError):
    """The browser, its server or the connection to it went away: no probe is to blame, none can go on."""


def harness_answer(value: Any) -> Any:
    """The harness answers JSON text (window.__compatprobe.json): one string crosses a browser's
    protocol much faster than a tree of objects, which Firefox's BiDi serializes node by node."""
    if not isinstance(value, str):
        raise PageLost(f"the harness page answered {type(value).__name__}, not JSON text")
    return json.loads(value)


class Page(Protocol):
    async def goto(self, url: str) -> None: ...

    async def harness(self, method: str, arg: Any) -> Any:
        """Call `window.__compatprobe[method](arg)` and return its (awaited) result, read from JSON text."""
        ...

    async def bring_to_front(self) -> None:
        """Make it the page that has the focus (Firefox gives it to the page opened last)."""
        ...

    async def close(self) -> None:
        """Close the page, even one that hangs or went away; InfrastructureError when that fails."""
        ...


class Session(Protocol):
    browser: BrowserInfo
    launch: dict[str, Any]
    where: Where
    # How many harness pages can run probes at once (run/rounds.py: lanes); WebDriver drives one.
    lanes: int

    async def new_page(self) -> Page: ...

    async def alive(self) -> bool:
        """Whether the browser itself still answers (a lost page may have taken only itself)."""
        ...

    async def reset(self) -> None:
        """Drop every page and go on in a clean browsing context; InfrastructureError when it cannot."""
        ...

    async def close(self) -> None:
        """Stop the browser and everything started for it; never raises."""
        ...


def launch_record(via: str, build: str | None = None, **given: Any) -> dict[str, Any]:
    """How a target's browser was started or reached, as results record it (`launch`); empty values are left out."""
    record: dict[str, Any] = {"via": via}
    if build:
        record["build"] = build
    for key, value in given.items():
        if value:
            record[key] = list(value) if isinstance(value, tuple) else value
    return record
