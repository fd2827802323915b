"""removeTrack, removeStream and addStream probed as deeply as the web-platform-tests: every probe's
outcome in Chromium and Firefox checked against its own steps evaluated directly, WebKitGTK without
the interface, a control per probe (its call taken out) that gives another outcome, no flaky cell
over ten runs, and the table nesting each probe under its method.

One `compatprobe run --repeat 10` of the shipped matrix and one run of the controls, side by side,
serve every test.
"""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from compatprobe.cli import main
from compatprobe.probes.loader import Probe, load_probes
from conftest import ROOT, WEBRTC_ENGINES, child
from direct import evaluate_webkitgtk
from direct_probes import comparable, run_directly
from wpt_controls import METHODS, controls, write_controls

pytestmark = pytest.mark.browsers

REPEAT = 10
MISSING = ("interface-missing", "member-missing")
# Probes of something that must *not* happen (the receiver stays, a no-op stays a no-op): without
# the call nothing happens either, so their controls cannot differ, and the test says which.
NOTHING_HAPPENS = {
    "removeTrack/remote-receiver-kept",
    "removeTrack/remove-twice",
    "removeTrack/stopped-transceiver",
    "removeStream/never-added",
}


def behaviour_probes() -> list[Probe]:
    """The shipped probes of the three methods that test behaviour (not only presence)."""
    probes = load_probes(ROOT / "probes", [f"RTCPeerConnection/{m}/*" for m in METHODS])
    return [p for p in probes if not p.id.endswith("/exists")]


def run_cli(*args: str) -> None:
    assert main(["run", "-q", *args]) == 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped matrix, all three engines, every RTCPeerConnection probe ten times, and its table;
    beside it (a child process: its probes mostly wait for events that no longer come), the control
    probes (made from today's probes by tests/wpt_controls.py) once in Chromium and Firefox."""
    out = tmp_path_factory.mktemp("wpt_depth")
    matrix = write_controls(out / "controls")
    args = ("run", "-q", "-m", str(matrix), "--results", str(out / "r.json"), "-o", str(out / "i.html"))
    with (out / "controls.err").open("w+") as err, subprocess.Popen(**child(args), stderr=err) as control_run:
        results = out / "results.json"
        run_cli("-m", str(ROOT / "matrix.yaml"), "-p", "RTCPeerConnection/*", "--repeat", str(REPEAT),
                "--results", str(results), "-o", str(out / "index.html"))  # fmt: skip
        control_run.wait(timeout=600)
        err.seek(0)
        assert control_run.returncode == 0, err.read()
    # The Markdown lists every row when one browser ran (with more, only the rows that differ).
    data = json.loads(results.read_text())
    one = out / "chromium.json"
    one.write_text(json.dumps({**data, "targets": [t for t in data["targets"] if t["name"] == "chromium"]}))
    assert main(["render", str(one), "--format", "md", "-o", str(out / "table.md")]) == 0
    shipped = {"results": data, "md": (out / "table.md").read_text()}
    return {"shipped": shipped, "controlled": json.loads((out / "r.json").read_text())}


@pytest.fixture(scope="module")
def shipped(runs: dict[str, Any]) -> dict[str, Any]:
    return runs["shipped"]


@pytest.fixture(scope="module")
def controlled(runs: dict[str, Any]) -> dict[str, Any]:
    return runs["controlled"]


@pytest.fixture(scope="module")
def direct() -> dict[str, dict[str, dict[str, Any]]]:
    """Every RTCPeerConnection probe's steps, evaluated directly in each engine (one launch each)."""
    probes = load_probes(ROOT / "probes", ["RTCPeerConnection/*"])
    # Both engines at once (a thread each, each with its own Playwright): most of the time goes to
    # waiting on the browsers, not to this process.
    with ThreadPoolExecutor(len(WEBRTC_ENGINES)) as pool:
        found = dict(
            zip(WEBRTC_ENGINES, pool.map(lambda engine: run_directly(engine, probes), WEBRTC_ENGINES), strict=True)
        )
    return found


def outcomes(results: dict[str, Any], target: str, prefix: str = "") -> dict[str, dict[str, Any]]:
    found = next(t for t in results["targets"] if t["name"] == target)
    assert found["status"] == "ok", found
    return {o["probe"].removeprefix(prefix): o for o in found["outcomes"]}


def test_at_least_25_behaviour_probes_each_under_its_method() -> None:
    probes = behaviour_probes()
    assert len(probes) >= 25 + 10  # the seed's 10 behaviour probes, and at least 25 more
    for probe in probes:
        method = probe.id.split("/")[1]
        assert probe.feature.startswith(f"api.RTCPeerConnection.{method}."), probe.id
        assert probe.group == f"api.RTCPeerConnection.{method}"
        assert len(probe.feature.split(".")) == 4, probe.feature


def test_the_table_nests_each_probe_under_its_method(shipped: dict[str, Any]) -> None:
    from compatprobe.report.table import build_table
    from compatprobe.results.model import from_dict

    rows = build_table(from_dict(shipped["results"], "results.json")).rows
    titles = [row.label for row in rows]
    for probe in behaviour_probes():
        method = probe.id.split("/")[1]
        head = titles.index(f"{method}() is on the prototype")
        # The rows after the method's own row, up to the next row that is not nested.
        end = next((i for i in range(head + 1, len(rows)) if not rows[i].nested), len(rows))
        assert probe.title in titles[head + 1 : end], (probe.id, titles[head : end + 1])
    # The Markdown (every row: one browser) has each of them too.
    assert all(f"| {p.title}" in shipped["md"] for p in behaviour_probes())


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
def test_every_outcome_agrees_with_direct_evaluation(
    shipped: dict[str, Any], direct: dict[str, dict[str, dict[str, Any]]], engine: str
) -> None:
    seen = outcomes(shipped["results"], engine)
    expected = direct[engine]
    assert set(seen) == set(expected)
    differ = {pid: (comparable(seen[pid]), expected[pid]) for pid in expected if comparable(seen[pid]) != expected[pid]}
    assert differ == {}
    # Not vacuous: the probes did run their steps in both evaluations.
    assert sum(1 for o in expected.values() if o["status"] == "supported" and o["values"]) >= 25


def test_what_chromium_and_firefox_do(shipped: dict[str, Any]) -> None:
    """The facts behind the table, as both evaluations found them (the test above checks they agree)."""
    prefix = "RTCPeerConnection/"
    chromium = outcomes(shipped["results"], "chromium", prefix)
    firefox = outcomes(shipped["results"], "firefox", prefix)
    for seen in (chromium, firefox):
        for pid, o in seen.items():
            if pid.startswith("removeTrack/"):
                # Both follow the spec on every removeTrack() assertion WPT makes.
                assert o["status"] == "supported" or o["exception"]["expected"], (pid, o)
    assert all(o["status"] != "unsupported" for pid, o in chromium.items())
    assert {pid for pid, o in firefox.items() if o.get("reason") == "member-missing"} == {
        pid for pid in firefox if pid.startswith("removeStream/")
    } | {"addStream/after-removeStream"}
    # Where no spec says: a second addStream(stream) is ignored by one and refused by the other,
    # and the legacy addstream event comes before the track events in one and after in the other.
    assert chromium["addStream/add-twice"]["values"]["second addStream(stream) returned"] == "undefined"
    assert firefox["addStream/add-twice"]["values"]["second addStream(stream) threw"] == '"InvalidAccessError"'
    assert chromium["addStream/remote-addstream-event"]["events"][0] == "addstream"
    assert firefox["addStream/remote-addstream-event"]["events"][:3] == ["track", "track", "addstream"]
    assert chromium["removeStream/remote-removestream-event"]["events"] == [
        "removestream",
        "setRemoteDescription resolved",
    ]


def test_webkitgtk_shows_the_interface_missing(shipped: dict[str, Any]) -> None:
    assert evaluate_webkitgtk("return typeof RTCPeerConnection") == "undefined"
    webkit = outcomes(shipped["results"], "webkit")
    assert len(webkit) == len(shipped["results"]["probes"])
    for pid, o in webkit.items():
        assert (o["status"], o["reason"]) == ("unsupported", "interface-missing"), pid


def test_ten_runs_give_no_flaky_cell(shipped: dict[str, Any]) -> None:
    results = shipped["results"]
    assert results["run"]["repeat"] == REPEAT
    for target in results["targets"]:
        for o in target["outcomes"]:
            assert o["runs"] == REPEAT and not o.get("flaky"), (target["name"], o)


def test_controls_are_the_probes_without_their_call(tmp_path: Path) -> None:
    """The files the control run uses are exactly the controls made of today's probes."""
    made = controls()
    folder = write_controls(tmp_path).parent / "probes"
    on_disk = {
        p.relative_to(folder).with_suffix("").as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.js")
    }
    assert on_disk == made
    assert set(made) == {p.id.removeprefix("RTCPeerConnection/") for p in behaviour_probes()}
    for pid, text in made.items():
        method = pid.split("/")[0]
        body = text.partition("---*/\n")[2]
        assert not re.search(rf"\.{method}\(", body.replace(f"RTCPeerConnection.prototype.{method}", ""))


def without_call(outcome: dict[str, Any], method: str) -> dict[str, Any]:
    """An outcome without the values that only record the call itself (what it returned)."""
    kept = comparable(outcome)
    kept["values"] = {k: v for k, v in (outcome.get("values") or {}).items() if f"{method}(" not in k} or None
    return kept


@pytest.mark.parametrize("engine", WEBRTC_ENGINES)
def test_each_control_gives_another_outcome(shipped: dict[str, Any], controlled: dict[str, Any], engine: str) -> None:
    probes = outcomes(shipped["results"], engine, "RTCPeerConnection/")
    ran = outcomes(controlled, engine)
    same, differ, groups = set(), set(), set()
    for pid, control in ran.items():
        probe = probes[pid]
        if probe.get("reason") in MISSING:
            # Without the method there is nothing to take out: the control is missing it too.
            assert control.get("reason") == probe["reason"], pid
            continue
        method = pid.split("/")[0]
        if without_call(control, method) == without_call(probe, method):
            same.add(pid)
        else:
            differ.add(pid)
            groups.add(method)
    # In Firefox removeStream is missing: its probes are left out above.
    assert same == {pid for pid in NOTHING_HAPPENS if pid.split("/")[0] in groups}
    assert groups == ({"removeTrack", "addStream"} if engine == "firefox" else set(METHODS))
    assert len(differ) >= 25
