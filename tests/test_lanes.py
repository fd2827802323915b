"""Lanes (run/rounds.py) in real browsers: in Chromium and Firefox a round's worker probes run in a
second harness page while the window's run, on the run's second origin (ProbeServer.origins). The
two overlap in time, neither finds the other's origin state, and the window's page keeps the focus
(checked against a page of the same browser with no harness). The workers' lane, once done, runs
generated probes the window's page had not started, and their outcomes are those of the same checks
put to the browser directly. The bookkeeping when a lane's page is lost or lends is tested with a
stand-in page (test_rounds_recovery.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.probes.select import choose
from compatprobe.run import rounds
from compatprobe.run.lending import LEND_LEAST
from compatprobe.scopes import Unit
from conftest import FIXTURES
from direct import evaluate_many_as_run, evaluate_playwright
from generated_checks import direct_expression, harness_answer

pytestmark = pytest.mark.browsers

ENGINES = ["chromium", "firefox"]


@pytest.fixture(scope="module")
def lanes_run(tmp_path_factory: pytest.TempPathFactory, pinned_cache: Path) -> dict[str, Any]:
    """The run's results, and per engine the probes the workers' lane borrowed (seen on their way)."""
    out: Path = tmp_path_factory.mktemp("lanes")
    results = out / "results.json"
    borrowed: dict[str, list[str]] = {}
    more = rounds._Lane._more

    async def seen(lane: rounds._Lane, page: Any, plan: list[Unit], *rest: Any) -> Any:
        borrowed.setdefault(lane.keeper.session.browser.name.lower(), []).extend(i for i, _ in plan)
        return await more(lane, page, plan, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rounds._Lane, "_more", seen)
        argv = ["run", "-m", str(FIXTURES / "lanes" / "matrix.yaml"), "--results", str(results), "-q"]
        assert main([*argv, "-o", str(out / "index.html")]) == 0  # never the checkout's out/
    made = choose(FIXTURES / "lanes" / "probes", [], ["css.properties.[a-c]*"]).probes
    return {"results": json.loads(results.read_text()), "borrowed": borrowed, "sources": {p.id: p.source for p in made}}


@pytest.fixture(scope="module")
def lanes(lanes_run: dict[str, Any]) -> dict[str, Any]:
    return lanes_run["results"]


def values(results: dict[str, Any], engine: str, probe: str, scope: str) -> dict[str, str]:
    target = next(t for t in results["targets"] if t["name"] == engine)
    found = next(o for o in target["outcomes"] if o["probe"] == probe and o.get("scope", "window") == scope)
    assert found["status"] == "supported", found
    return found["values"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_probe_runs_while_the_window_s_does(lanes: dict[str, Any], engine: str) -> None:
    window = values(lanes, engine, "01-window-holds-a-lock", "window")
    worker = values(lanes, engine, "02-worker-looks", "worker")
    # The worker looks 4 s into its probe, the window's holds the lock 8 s: the two lanes may start
    # up to 4 s apart either way (2 s was not enough on a busy machine: the worker looked 19 ms early).
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


@pytest.mark.parametrize("engine", ENGINES)
def test_the_workers_lane_runs_generated_probes_the_window_s_had_not_started(
    lanes_run: dict[str, Any], engine: str
) -> None:
    # The window's page is held 8 s by its first probe; the workers' lane, done long before, borrows
    # half of the generated probes queued behind it. Each probe reports once, and what the borrowed
    # ones say is what the same checks say put to this browser directly.
    borrowed = lanes_run["borrowed"][engine]
    assert len(borrowed) >= LEND_LEAST
    target = next(t for t in lanes_run["results"]["targets"] if t["name"] == engine)
    units = [(o["probe"], o.get("scope", "window")) for o in target["outcomes"]]
    assert len(units) == len(set(units)) == len(lanes_run["sources"]) + 3  # and the hand-written ones
    outcomes = {o["probe"]: o for o in target["outcomes"]}
    direct = evaluate_many_as_run(engine, {i: direct_expression(lanes_run["sources"][i]) for i in borrowed})
    said = {i: harness_answer(outcomes[i]) for i in borrowed}
    assert said == {i: direct[i].get("value", direct[i].get("error")) for i in borrowed}
    assert set(said.values()) == {"yes", "no"}  # both kinds of answer among them
