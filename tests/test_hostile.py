"""Hostile probes (tests/fixtures/hostile) in real browsers: each gets timeout or error with the reason,
and every other probe's outcome is exactly what it is in a run without them."""

from __future__ import annotations

from typing import Any

import pytest

from compatprobe.engines import ENGINES
from conftest import outcome
from processes import still_running

pytestmark = pytest.mark.browsers


# (status, reason) per hostile probe; where engines differ, per engine.
EXPECTED: dict[str, Any] = {
    "01-never-settles": ("timeout", "deadline"),
    "03-spins": ("timeout", "unresponsive"),
    "05-throws-from-timer": ("error", "uncaught"),
    "07-rejects-unhandled": ("error", "uncaught"),
    "09-navigates-away": ("error", "page-lost"),
    # Chromium and WebKit refuse to let a script close a window it did not open; Firefox closes it.
    "11-closes-window": {
        "chromium": ("timeout", "deadline"),
        "firefox": ("error", "page-lost"),
        "webkit": ("timeout", "deadline"),
    },
    # It breaks RTCPeerConnection in the harness page too (top): the harness page's check finds it.
    "13-breaks-rtc": ("error", "harness"),
    "15-syntax-error": ("error", "syntax"),
    "18-forges-outcomes": ("error", "harness"),
    # WebKitGTK's WebDriver server runs script of its own in the page, with the page's Promise: the
    # runner's next call fails there, and the probe is blamed for the lost page.
    "21-crashes-protocol": {
        "chromium": ("error", "harness"),
        "firefox": ("error", "harness"),
        "webkit": ("error", "page-lost"),
    },
    "23-replaces-promise": ("error", "harness"),
    "25-surrogate-in-message": ("error", "exception"),
    "26-huge-message": ("error", "exception"),
    # It calls what only the runner may call (next() asking to lend, more()) without the plan's token.
    "28-asks-to-lend": ("error", "harness"),
}
# Each probe that changes the harness page, and what the harness can find changed first.
CHANGES_HOME = {
    "13-breaks-rtc": ("the global object: RTC",),
    "18-forges-outcomes": ("Object: assign", "JSON: stringify", "Array.prototype: push"),
    "21-crashes-protocol": ("the global object: Promise",),
    "23-replaces-promise": ("the global object: Promise",),
}


def target(results: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in results["targets"] if t["name"] == name)


def test_every_target_runs_every_probe(hostile: dict[str, Any]) -> None:
    # Exit 4: every target ran every probe, and some probes broke themselves (syntax, uncaught errors).
    assert hostile["proc"].returncode == 4, hostile["proc"].stderr
    probes = {p["id"] for p in hostile["results"]["probes"]}
    assert len(probes) == 29
    for name in ENGINES:
        t = target(hostile["results"], name)
        assert t["status"] == "ok" and t["not_run"] == [] and "error" not in t
        assert {o["probe"] for o in t["outcomes"]} == probes


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_probes_get_timeout_or_error_with_the_reason(hostile: dict[str, Any], engine: str) -> None:
    for probe, expected in EXPECTED.items():
        status, reason = expected[engine] if isinstance(expected, dict) else expected
        got = outcome(hostile["results"], engine, probe)
        assert (got["status"], got.get("reason")) == (status, reason), (probe, got)
        assert got["message"], (probe, got)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_reasons_say_what_happened(hostile: dict[str, Any], engine: str) -> None:
    def get(probe: str) -> dict[str, Any]:
        return outcome(hostile["results"], engine, probe)

    assert get("01-never-settles")["message"] == "did not settle within 1000 ms"
    assert get("03-spins")["message"].startswith("the page stopped responding (no answer for ")
    timer = get("05-throws-from-timer")
    assert timer["exception"] == {"name": "RangeError", "message": "thrown from a timer"}
    assert timer["message"] == "it threw outside its own promise: RangeError: thrown from a timer"
    rejected = get("07-rejects-unhandled")
    assert rejected["exception"] == {"name": "TypeError", "message": "nobody handles this rejection"}
    assert rejected["message"].startswith("a promise it did not handle was rejected")
    assert get("09-navigates-away")["message"].startswith("the harness page was lost (")
    assert get("15-syntax-error")["message"].startswith("the probe does not parse: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_other_probes_are_the_same_as_in_a_clean_run(hostile: dict[str, Any], engine: str) -> None:
    clean = target(hostile["clean"], engine)
    assert len(clean["outcomes"]) == 14
    for expected in clean["outcomes"]:
        # The whole outcome: status, reason, message, exception, values and events.
        assert outcome(hostile["results"], engine, expected["probe"]) == expected


def test_clean_probes_observed_something(hostile: dict[str, Any]) -> None:
    """A guard for the comparison above: the clean probes see RTCPeerConnection where it exists."""
    sabotaged = "14-clean-rtc-after-sabotage"
    for engine in ("chromium", "firefox"):
        assert outcome(hostile["clean"], engine, sabotaged)["values"]["sender.track"] == "null"
        assert outcome(hostile["clean"], engine, "06-clean-rtc-closed")["exception"]["name"] == "InvalidStateError"
    assert outcome(hostile["clean"], "webkit", sabotaged)["reason"] == "interface-missing"
    for engine in ("chromium", "firefox", "webkit"):
        assert outcome(hostile["clean"], engine, "02-clean-dom-throws")["exception"]["expected"] is True
        events = outcome(hostile["clean"], engine, "08-clean-events")
        assert events["status"] == "supported" and events["events"] == ["ping"]
        assert outcome(hostile["clean"], engine, "04-clean-values")["values"]["sum"] == "2"


@pytest.mark.parametrize("engine", ENGINES)
def test_recoveries_are_recorded(hostile: dict[str, Any], engine: str) -> None:
    incidents = target(hostile["results"], engine)["incidents"]
    assert any(line.startswith("03-spins: the page stopped responding") for line in incidents)
    assert any(line.startswith("09-navigates-away: the harness page was lost") for line in incidents)
    spun = outcome(hostile["results"], engine, "03-spins")["message"]
    # WebKitGTK's WebDriver cannot close a page whose process spins: compatprobe restarts the browser.
    # Playwright closes it (or, should that fail, drops the whole browser context).
    if engine == "webkit":
        assert spun.endswith("; the page would not close, so the browser was restarted")
    else:
        new_context = "; the page would not close, so a new browser context was opened"
        assert spun.endswith(("; the page was replaced", new_context))


def test_nothing_is_left_running(hostile: dict[str, Any]) -> None:
    seen = hostile["seen"]
    names = {p.name for p in seen}
    # The run was watched while it went: these are the processes that must all be gone now.
    assert {"WebKitWebDriver", "MiniBrowser", "Xvfb"} <= names, names
    assert any(n.startswith("firefox") for n in names) and any("chrom" in n for n in names), names
    assert still_running(seen) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_probe_that_changes_the_harness_page_is_blamed_alone(hostile: dict[str, Any], engine: str) -> None:
    for probe, changes in CHANGES_HOME.items():
        message = outcome(hostile["results"], engine, probe)["message"]
        if engine == "webkit" and probe == "21-crashes-protocol":
            assert "Promise" in message, message  # see EXPECTED
            continue
        assert message.startswith("the harness stopped (it found its own page changed ("), (probe, message)
        assert any(change in message for change in changes), (probe, message)
        assert "by a probe) while this probe ran; " in message, message
    # The probes after them: nothing forged (test_other_probes_are_the_same_as_in_a_clean_run
    # compares every field with a run without the hostile probes).
    assert outcome(hostile["results"], engine, "19-clean-check-fails")["status"] == "unsupported"
    assert outcome(hostile["results"], engine, "20-clean-require-missing")["reason"] == "interface-missing"
    awaited = outcome(hostile["results"], engine, "22-clean-awaits")
    assert (awaited["status"], awaited["values"]) == ("unsupported", {"Promise.resolve(5)": "5", "got": "5"})
    assert outcome(hostile["results"], engine, "24-clean-after-promise")["values"] == {"sum": "2"}
    # Asking the page to lend the probes after it is caught the same way, and so blamed alone.
    lend = outcome(hostile["results"], engine, "28-asks-to-lend")["message"]
    assert lend.startswith("the harness stopped (it was asked to lend probes, by a probe) while this probe ran; "), lend


@pytest.mark.parametrize("engine", ENGINES)
def test_browser_text_is_valid_and_bounded(hostile: dict[str, Any], engine: str) -> None:
    lone = outcome(hostile["results"], engine, "25-surrogate-in-message")
    assert lone["exception"]["message"] == "bad \ufffd"
    assert lone["values"] == {"text": '"a\\udc00b"'}  # repr() writes it as JSON does: escaped
    incidents = target(hostile["results"], engine)["incidents"]
    # Two texts held it: the exception's message and the outcome's message that quotes it.
    assert "25-surrogate-in-message: its text held 2 unpaired UTF-16 surrogates, written as U+FFFD" in "\n".join(
        incidents
    )
    huge = outcome(hostile["results"], engine, "26-huge-message")["exception"]
    assert huge["name"] == "RangeError"
    assert huge["message"] == "x" * 2000 + f"… ({50 * 1024 * 1024} characters, cut)"


def test_outputs_stay_small_and_valid(hostile: dict[str, Any]) -> None:
    # A 50 MB message in each engine: cut in the browser, so the outputs stay small.
    for name in ("results.json", "index.html"):
        assert (hostile["dir"] / name).stat().st_size < 2_000_000
    assert "bad \ufffd" in (hostile["dir"] / "index.html").read_text(encoding="utf-8")


def test_stderr_lines_stay_short_and_say_where_the_rest_is(hostile: dict[str, Any]) -> None:
    # The huge message reaches the terminal cut, each line saying that the results file has it whole.
    lines = hostile["proc"].stderr.splitlines()
    assert max(len(line) for line in lines) < 600
    for name in ENGINES:
        (line,) = [line for line in lines if f"26-huge-message.js: {name}: " in line]
        kept = outcome(hostile["results"], name, "26-huge-message")["message"]
        assert line.endswith(f"… ({len(kept)} characters: the results file has them all)"), line[-200:]
