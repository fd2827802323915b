"""The probe API in a dedicated worker is the window's (both come from harness/common.js): a promise
that rejects ends t.throws and t.call as "throws" with its exception, a resolved value is recorded,
a checked promise left unawaited still decides, and a failed t.setup is an error of setup. Run in
Chromium, Firefox and WebKitGTK, against the same promises evaluated directly in each browser."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.engines import ENGINES
from conftest import FIXTURES
from direct import (
    evaluate_in_worker_playwright,
    evaluate_in_worker_webkitgtk,
    evaluate_playwright,
    evaluate_webkitgtk,
)

pytestmark = pytest.mark.browsers

SCOPES = ["window", "worker"]
MATRIX = FIXTURES / "worker_api" / "matrix.yaml"

# The promises the probes hand to t.throws, t.call and t.setup, each settled to data.
QUESTION = """Promise.all([
  Promise.reject(new TypeError("x")).then(() => null, (e) => [e.name, e.message]),
  new Response("hi").text(),
  new Response("{").json().then(() => null, (e) => [e.name, e.message]),
])"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The fixture's outcomes by (target, scope, probe)."""
    out = tmp_path_factory.mktemp("worker_api")
    code = main(["run", "-q", "-m", str(MATRIX), "--results", str(out / "r.json"), "-o", str(out / "i.html")])
    assert code == 0
    data = json.loads((out / "r.json").read_text())
    return {(t["name"], o.get("scope", "window"), o["probe"]): o for t in data["targets"] for o in t["outcomes"]}


@pytest.fixture(scope="module")
def direct() -> dict[tuple[str, str], list[Any]]:
    """QUESTION's answer in each engine's page and in a dedicated worker of it, without compatprobe."""
    answers: dict[tuple[str, str], list[Any]] = {}
    for engine in ENGINES:
        if engine == "webkit":
            script = f"const done = arguments[arguments.length - 1]; ({QUESTION}).then(done);"
            answers[engine, "window"] = evaluate_webkitgtk(script, asynchronous=True)
            answers[engine, "worker"] = evaluate_in_worker_webkitgtk(QUESTION)
        else:
            answers[engine, "window"] = evaluate_playwright(engine, f"() => {QUESTION}")
            answers[engine, "worker"] = evaluate_in_worker_playwright(engine, QUESTION)
    return answers


def test_every_probe_ran_in_both_scopes(outcomes: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    probes = {"throws-rejected", "throws-json", "call-resolves", "call-unawaited", "setup-fails"}
    assert set(outcomes) == {(e, s, p) for e in ENGINES for s in SCOPES for p in probes}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("engine", ENGINES)
def test_promise_outcomes_match_the_browser(
    outcomes: dict[tuple[str, str, str], dict[str, Any]],
    direct: dict[tuple[str, str], list[Any]],
    engine: str,
    scope: str,
) -> None:
    rejected, text, (json_name, json_message) = direct[engine, scope]
    got = {p: o for (e, s, p), o in outcomes.items() if (e, s) == (engine, scope)}

    assert rejected == ["TypeError", "x"]
    thrown = got["throws-rejected"]
    assert thrown["status"] == "throws", thrown
    assert thrown["exception"] == {"name": "TypeError", "message": "x", "expected": True}
    assert thrown["message"] == "Promise.reject(TypeError) threw TypeError, as the spec says"

    assert json_name == "SyntaxError"
    bad_json = got["throws-json"]
    assert bad_json["status"] == "throws", bad_json
    assert bad_json["exception"] == {"name": json_name, "message": json_message, "expected": True}

    assert text == "hi"
    resolved = got["call-resolves"]
    assert (resolved["status"], resolved["values"]) == ("supported", {"text()": json.dumps(text)}), resolved

    # Not awaited, yet the rejection decides: "throws", not "supported".
    unawaited = got["call-unawaited"]
    assert unawaited["status"] == "throws", unawaited
    assert unawaited["exception"] == {"name": json_name, "message": json_message, "expected": False}

    setup = got["setup-fails"]
    assert (setup["status"], setup["reason"]) == ("error", "setup"), setup
    assert setup["exception"] == {"name": json_name, "message": json_message}
    assert setup["message"] == f'setup "parse the fixture" failed: {json_name}: {json_message}'


@pytest.mark.parametrize("engine", ENGINES)
def test_a_worker_gives_the_windows_outcomes(
    outcomes: dict[tuple[str, str, str], dict[str, Any]], direct: dict[tuple[str, str], list[Any]], engine: str
) -> None:
    """Field by field, as far as the browser itself answers alike in both scopes."""
    assert direct[engine, "window"] == direct[engine, "worker"]
    keys = ("status", "reason", "exception", "message", "values", "events")
    for (e, s, probe), window in outcomes.items():
        if (e, s) != (engine, "window"):
            continue
        worker = outcomes[engine, "worker", probe]
        assert {k: worker.get(k) for k in keys} == {k: window.get(k) for k in keys}, probe
