"""Playwright's driver starts with Node's compile cache in compatprobe's cache (browsers/driver.py):
Node keeps what it compiled there, and the variable is gone again once the driver has started."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from compatprobe.browsers.driver import NODE_CACHE, playwright_driver


async def driver_started() -> str | None:
    """What NODE_COMPILE_CACHE holds while the started driver is in use."""
    async with playwright_driver() as pw:
        assert pw.chromium.name == "chromium"
        return os.environ.get(NODE_CACHE)


def test_the_driver_keeps_its_compiled_scripts_in_compatprobes_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path))
    monkeypatch.delenv(NODE_CACHE, raising=False)
    assert asyncio.run(driver_started()) is None, "set only while the driver starts"
    assert NODE_CACHE not in os.environ
    assert any(p.is_file() for p in (tmp_path / "node").rglob("*")), "Node wrote its compile cache there"


def test_a_compile_cache_the_user_chose_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "compatprobe"))
    monkeypatch.setenv(NODE_CACHE, str(tmp_path / "theirs"))
    assert asyncio.run(driver_started()) == str(tmp_path / "theirs")
    assert any(p.is_file() for p in (tmp_path / "theirs").rglob("*"))
    assert not (tmp_path / "compatprobe" / "node").exists()
