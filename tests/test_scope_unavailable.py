"""A scope that cannot start is reported as that, never as the feature missing: the harness page in a
real browser whose worker script does not load (Playwright answers its request with a 404)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from compatprobe.probes.loader import load_probes
from compatprobe.results.words import label
from compatprobe.run.harness import plan_columns
from compatprobe.run.rounds import outcome_from_harness
from compatprobe.run.server import ProbeServer
from conftest import FIXTURES

pytestmark = pytest.mark.browsers

PROBES = FIXTURES / "scopes" / "probes"
PROBE = "09-clean-events"
LAUNCH: dict[str, dict[str, Any]] = {
    "chromium": {"executable_path": "/usr/bin/chromium"},
    "firefox": {"channel": "moz-firefox", "executable_path": "/usr/bin/firefox-esr"},
}
# Which worker requests Playwright's routing reaches: all of Chromium's, only Firefox's dedicated worker.
ROUTED = {"chromium": ("worker", "sharedworker", "serviceworker"), "firefox": ("worker",)}


def run_without_worker_script(engine: str) -> dict[str, dict[str, Any]]:
    """One probe in every scope, with /worker.js answered 404; the raw outcomes by scope."""
    probes = load_probes(PROBES, [PROBE])
    with ProbeServer(probes, PROBES) as server, sync_playwright() as p:
        browser = getattr(p, engine).launch(**LAUNCH[engine])
        try:
            context = browser.new_context()
            context.route("**/worker.js*", lambda route: route.fulfill(status=404, body="not here"))
            page = context.new_page()
            page.goto(server.url)
            scopes = ("window", *ROUTED[engine])
            plan = plan_columns([(PROBE, s) for s in scopes], {PROBE: 2000})
            page.evaluate(
                "(plan) => __compatprobe.json('start', JSON.stringify(plan))",
                {"sources_url": server.url + "probes.json", "probes": plan},
            )
            found: list[dict[str, Any]] = []
            while True:
                batch = json.loads(page.evaluate("() => __compatprobe.json('next', '1000')"))
                found += batch["results"]
                if batch["done"]:
                    break
        finally:
            browser.close()
    return {raw.get("scope") or "window": raw for raw in found}


@pytest.fixture(scope="module")
def unstarted() -> dict[str, dict[str, dict[str, Any]]]:
    return {engine: run_without_worker_script(engine) for engine in LAUNCH}


@pytest.mark.parametrize("engine", list(LAUNCH))
def test_the_window_runs_and_each_scope_says_it_did_not_start(
    unstarted: dict[str, dict[str, Any]], engine: str
) -> None:
    raw = unstarted[engine]
    assert raw["window"]["status"] == "supported"
    for scope in ROUTED[engine]:
        got = raw[scope]
        assert (got["status"], got["reason"]) == ("error", "scope-unavailable"), got
        outcome = outcome_from_harness(got)
        assert outcome.scope == scope and label(outcome) == "Scope did not start"
    assert raw["worker"]["message"] == "the dedicated worker could not start: its script did not load or run"


def test_a_service_worker_that_does_not_register_says_why(unstarted: dict[str, dict[str, Any]]) -> None:
    # Chromium only: Playwright does not route Firefox's service worker scripts.
    message = unstarted["chromium"]["serviceworker"]["message"]
    assert message.startswith("the service worker could not start: the service worker did not register: TypeError")
    assert "(404)" in message
