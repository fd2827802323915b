"""The harness helpers that removeTrack's deeper probes lean on (helpers/events.js, helpers/webrtc.js,
live tracks in helpers/media.js), run as probes in Chromium and Firefox: what each one hands over,
and that a step a probe needs and does not get is told apart from the browser lacking a feature."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compatprobe.cli import main
from conftest import FIXTURES, WEBRTC_ENGINES

pytestmark = pytest.mark.browsers


@pytest.fixture(scope="module")
def helpers_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("helpers")
    matrix = FIXTURES / "wpt_helpers" / "matrix.yaml"
    assert main(["run", "-q", "-m", str(matrix), "--results", str(out / "r.json"), "-o", str(out / "i.html")]) == 0
    data = json.loads((out / "r.json").read_text())
    return {t["name"]: {o["probe"]: o for o in t["outcomes"]} for t in data["targets"]}


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
def test_event_hands_over_the_event_and_orders_it(helpers_run: dict[str, Any], engine: str) -> None:
    seen = helpers_run[engine]["event-object"]
    assert seen["status"] == "supported"
    assert seen["values"] == {"detail": "42", "timeline": '["before", "ping seen", "after"]'}
    assert seen["events"] == ["before", "ping seen", "after"]


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
def test_an_event_that_does_not_come_says_which(helpers_run: dict[str, Any], engine: str) -> None:
    missed = helpers_run[engine]["event-timeout"]
    assert (missed["status"], missed["reason"]) == ("unsupported", "behaviour")
    assert missed["message"] == "no never event on EventTarget within 200 ms"
    # A waiter the probe never awaited times out without an unhandled rejection ending the probe.
    left = helpers_run[engine]["event-unawaited"]
    assert (left["status"], left["values"]) == ("supported", {"still running": "true"})


# What the helpers hand over, probe by probe: negotiation in steps, and a pair that carries media.
HANDED_OVER = {
    "steps": {
        "after offer": '["have-local-offer", "have-remote-offer"]',
        "after answer": '["stable", "stable"]',
        "in beforeAnswer": '["have-remote-offer"]',
        "after negotiate": '["stable", "stable"]',
    },
    "pair-media": {"muted on arrival": "true", "muted after t.unmuted()": "false", "callee connection": "true"},
}


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
@pytest.mark.parametrize("probe", HANDED_OVER)
def test_negotiation_in_steps_and_a_pair_carrying_media(helpers_run: dict[str, Any], engine: str, probe: str) -> None:
    outcome = helpers_run[engine][probe]
    assert outcome["status"] == "supported", outcome
    assert outcome["values"] == HANDED_OVER[probe]


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
def test_media_that_never_comes_is_a_setup_error(helpers_run: dict[str, Any], engine: str) -> None:
    never = helpers_run[engine]["media-never-comes"]
    assert (never["status"], never["reason"]) == ("error", "setup")
    assert never["message"] == (
        "no unmute event on MediaStreamTrack within 1500 ms: a step the probe needs did not happen"
    )
