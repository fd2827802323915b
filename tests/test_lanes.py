"""Lanes (run/rounds.py) in real browsers: in Chromium and Firefox a round's worker probes run in a
second harness page while the window's run, on the run's second origin (ProbeServer.origins). The
two overlap in time, neither finds the other's origin state, and the window's page keeps the focus
(checked against a page of the same browser with no harness). The bookkeeping when a lane's page is
lost is tested with a stand-in page (test_rounds_recovery.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from conftest import FIXTURES
from direct import evaluate_playwright

pytestmark = pytest.mark.browsers

ENGINES = ["chromium", "firefox"]


@pytest.fixture(scope="module")
def lanes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: Path = tmp_path_factory.mktemp("lanes")
    results = out / "results.json"
    assert main(["run", "-m", str(FIXTURES / "lanes" / "matrix.yaml"), "--results", str(results), "-q"]) == 0
    return json.loads(results.read_text())


def values(results: dict[str, Any], engine: str, probe: str, scope: str) -> dict[str, str]:
    target = next(t for t in results["targets"] if t["name"] == engine)
    found = next(o for o in target["outcomes"] if o["probe"] == probe and o.get("scope", "window") == scope)
    assert found["status"] == "supported", found
    return found["values"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_probe_runs_while_the_window_s_does(lanes: dict[str, Any], engine: str) -> None:
    window = values(lanes, engine, "01-window-holds-a-lock", "window")
    worker = values(lanes, engine, "02-worker-looks", "worker")
    assert int(window["from"]) < int(worker["at"]) < int(window["to"])


@pytest.mark.parametrize("engine", ENGINES)
def test_the_lanes_are_two_origins_that_share_no_lock(lanes: dict[str, Any], engine: str) -> None:
    window = values(lanes, engine, "01-window-holds-a-lock", "window")
    worker = values(lanes, engine, "02-worker-looks", "worker")
    # On one origin the worker would find the window's lock held: it looked while it was.
    assert worker["held"] == '"none"'
    assert window["origin"].startswith('"http://127.0.0.1:')
    assert worker["origin"] == window["origin"].replace("127.0.0.1", "localhost")


@pytest.mark.parametrize("engine", ENGINES)
def test_the_window_s_page_keeps_the_focus(lanes: dict[str, Any], engine: str) -> None:
    window = values(lanes, engine, "01-window-holds-a-lock", "window")
    assert window["focus"] == json.dumps(evaluate_playwright(engine, "() => document.hasFocus()"))
