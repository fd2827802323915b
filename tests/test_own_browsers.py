"""A script that keeps Playwright browsers of its own and calls `api.run` keeps them: the run's
last-resort cleanup (browsers/processes.py) kills only the browsers its own Playwright driver started."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import sync_playwright

from compatprobe import api
from conftest import ROOT
from direct import launch_options

pytestmark = pytest.mark.browsers


def test_a_scripts_own_browser_outlives_a_run() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options("chromium"))
        page = browser.new_page()
        assert page.evaluate("typeof RTCPeerConnection") == "function"
        # Playwright's sync API holds this thread's event loop; the run gets a thread of its own.
        with ThreadPoolExecutor(1) as pool:
            results = pool.submit(api.run, ROOT / "matrix.yaml", browsers=["chromium"], probes=["*"]).result()
        assert [t.status for t in results.targets] == ["ok"] and results.targets[0].outcomes
        # The script's browser is still there and answers, directly.
        assert browser.is_connected()
        assert page.evaluate("1 + 1") == 2
        browser.close()
