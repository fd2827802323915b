"""The browser engines compatprobe runs, and how every output names them."""

from __future__ import annotations

ENGINES: tuple[str, ...] = ("chromium", "firefox", "webkit")
# How tables, notes and provenance name an engine (and Playwright's browsers, which are named for them).
ENGINE_LABELS: dict[str, str] = {"chromium": "Chromium", "firefox": "Firefox", "webkit": "WebKit"}


def engine_order(engine: str) -> int:
    """An engine's place in ENGINES; engines compatprobe does not know come last."""
    return ENGINES.index(engine) if engine in ENGINES else len(ENGINES)
