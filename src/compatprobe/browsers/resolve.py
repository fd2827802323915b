"""Every target of a matrix resolved on this machine, without starting a browser."""

from __future__ import annotations

from playwright.async_api import Playwright

from compatprobe.browsers.driver import playwright_driver
from compatprobe.browsers.targets import Resolved, resolve
from compatprobe.config.matrix import Matrix
from compatprobe.engines import ENGINES


async def bundled_paths(pw: Playwright) -> dict[str, str]:
    """Where Playwright's own build of each engine would be."""
    return {engine: getattr(pw, engine).executable_path for engine in ENGINES}


async def resolve_all(matrix: Matrix, names: list[str] | None = None) -> list[Resolved]:
    """The matrix's targets (or those `names`) with the browser each would use here."""
    async with playwright_driver() as pw:
        bundled = await bundled_paths(pw)
    return [resolve(t, bundled) for t in matrix.targets if names is None or t.name in names]
