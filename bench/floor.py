"""The floor of a run: start the matrix's browsers the way compatprobe does, open one page, close them.

Same Playwright driver, same resolution of each target, same launch code and options, the same
targets with the same concurrency limits (on 2 cores: two local browsers at once); no HTTP server,
no harness, no probes, no results. bench/run.py times this process against `compatprobe run` on
the same matrix.

    python bench/floor.py MATRIX
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from playwright.async_api import Playwright

from compatprobe.browsers.driver import playwright_driver
from compatprobe.browsers.launch import start_session
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.resolve import bundled_paths
from compatprobe.browsers.targets import Resolved, resolve
from compatprobe.config.matrix import cpu_count, load_matrix
from compatprobe.run.concurrency import Slots, limits_for


async def open_one_page(resolved: Resolved, pw: Playwright, children: ChildProcesses) -> None:
    assert resolved.chosen is not None
    session = await start_session(resolved.spec.engine, resolved.chosen, pw, os.environ, children)
    try:
        page = await session.new_page()
        await page.goto("about:blank")
    finally:
        await session.close()


async def main(matrix_path: Path) -> None:
    matrix = load_matrix(matrix_path)
    children = ChildProcesses()
    slots = Slots(limits_for(matrix.concurrency, matrix.local_concurrency, cpu_count()))

    async def one(target: Resolved, pw: Playwright) -> None:
        assert target.chosen is not None
        async with slots.take(target.chosen.remote):
            await open_one_page(target, pw, children)

    try:
        async with playwright_driver() as pw:
            bundled = await bundled_paths(pw)
            targets = [resolve(t, bundled) for t in matrix.targets]
            await asyncio.gather(*(one(t, pw) for t in targets if t.chosen is not None))
    finally:
        children.kill_all()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
