"""Playwright's driver, a Node program, started with Node's compile cache in compatprobe's cache: its
scripts (10 MB) are compiled once and kept, not at every start (starting and stopping it took 0.73 s
against 0.81 s; docs/performance.md)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator

from playwright.async_api import Playwright, async_playwright

from compatprobe.data.cache import cache_root

NODE_CACHE = "NODE_COMPILE_CACHE"


@contextlib.asynccontextmanager
async def playwright_driver() -> AsyncIterator[Playwright]:
    """`async_playwright()`, its driver started with the compile cache."""
    manager = async_playwright()
    with _node_compile_cache():
        playwright = await manager.__aenter__()
    try:
        yield playwright
    finally:
        await manager.__aexit__(None, None, None)


@contextlib.contextmanager
def _node_compile_cache() -> Iterator[None]:
    """NODE_COMPILE_CACHE while Playwright starts its driver (it copies os.environ for it then), and
    no longer: the browsers need none. A value the user set is theirs. Node skips a cache it cannot
    write, silently."""
    if NODE_CACHE in os.environ:
        yield
        return
    os.environ[NODE_CACHE] = str(cache_root() / "node")
    try:
        yield
    finally:
        os.environ.pop(NODE_CACHE, None)
