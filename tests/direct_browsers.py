"""The direct checks' Chromium and Firefox, each launched once per test session, in a process of their own.

A process, not this one: Playwright's sync API makes its thread's event loop look running, which the
asyncio.run of a CLI test run in-process refuses. Each check
gets a new browser context (its own storage, permissions and service workers) on a page the test serves.
"""

from __future__ import annotations

import multiprocessing
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from playwright.sync_api import Browser, Playwright, sync_playwright

ANSWER_S = 900  # longer than any check's own timeout: a worker silent this long is hung


@dataclass
class Check:
    """What the worker does: `calls` (function source, argument) evaluated in turn on `url`; no
    calls: the browser's version."""

    engine: str
    options: dict[str, Any]
    url: str = ""
    calls: list[tuple[str, Any]] | None = None
    timeout: float | None = None  # seconds per call
    context: dict[str, Any] = field(default_factory=dict)


def _browser(p: Playwright, browsers: dict[str, Browser], check: Check) -> Browser:
    # The environment is no part of the key: only DISPLAY matters there, and it is the session's one.
    key = f"{check.engine} {sorted((k, repr(v)) for k, v in check.options.items() if k != 'env')}"
    if key not in browsers or not browsers[key].is_connected():
        browsers[key] = getattr(p, check.engine).launch(**check.options)
    return browsers[key]


def _run(p: Playwright, browsers: dict[str, Browser], check: Check) -> Any:
    browser = _browser(p, browsers, check)
    if check.calls is None:
        return browser.version
    context = browser.new_context(**check.context)
    try:
        page = context.new_page()
        if check.timeout is not None:
            page.set_default_timeout(check.timeout * 1000)
        page.goto(check.url)
        return [page.evaluate(source, arg) for source, arg in check.calls]
    finally:
        context.close()


def serve(conn: Connection) -> None:
    """The worker process: answers each Check with ("ok", value) or ("error", what went wrong)."""
    browsers: dict[str, Browser] = {}
    with sync_playwright() as p:
        while (check := conn.recv()) is not None:
            try:
                conn.send(("ok", _run(p, browsers, check)))
            except Exception as exc:  # the test that asked fails with it; the worker goes on
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
        for browser in browsers.values():
            with suppress(Exception):  # one that crashed is gone already
                browser.close()


class SharedBrowsers:
    """The worker, started on first use; `close` ends it and its browsers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def run(self, check: Check) -> Any:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._start()
            assert self._conn is not None
            self._conn.send(check)
            if not self._conn.poll(ANSWER_S):
                self._stop(kill=True)
                raise AssertionError(f"the shared {check.engine} gave no answer in {ANSWER_S} s")
            status, value = self._conn.recv()
        if status != "ok":
            raise AssertionError(f"the direct check in {check.engine} failed: {value}")
        return value

    def _start(self) -> None:
        spawn = multiprocessing.get_context("spawn")  # no copy of pytest's threads and state
        self._conn, theirs = spawn.Pipe()
        self._worker = spawn.Process(target=serve, args=(theirs,), name="direct-browsers", daemon=True)
        self._worker.start()
        theirs.close()

    def _stop(self, kill: bool = False) -> None:
        if self._worker is None or self._conn is None:
            return
        if not kill:
            with suppress(OSError):
                self._conn.send(None)
            self._worker.join(60)
        if self._worker.is_alive():
            self._worker.kill()
            self._worker.join(30)
        self._conn.close()
        self._worker = self._conn = None

    def close(self) -> None:
        with self._lock:
            self._stop()
