"""A real Selenium Grid 4 that fails: a hub that refuses a session (no node's stereotype matches), a
session request that times out in the hub's queue (the only slot is taken), and a node that dies
in the middle of a probe. Each ends as a clear error of its own target, within its timeout, never a
hang and never a "No".
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import compatprobe
from loopback import answering
from selenium_grid import Grid, chromium_node, selenium_grid

pytestmark = pytest.mark.browsers

QUEUE_TIMEOUT_S = 8  # the hub's --session-request-timeout
RUN_TIMEOUT_S = 300  # a run that has not ended by then hangs: the test fails
PROBE = """/*---
feature: api.Grid.{name}
title: {title}
timeout: 120000
---*/
"""
CHROMIUM = {"binary": "/usr/bin/chromium", "args": ["--no-sandbox", "--headless=new"]}


def target(name: str, url: str, engine: str = "chromium", capabilities: dict[str, Any] | None = None) -> str:
    use = {"url": url, **({"capabilities": capabilities} if capabilities else CHROMIUM)}
    return f"  - name: {name}\n    engine: {engine}\n    retries: 0\n    use:\n      - webdriver: {json.dumps(use)}\n"


class Killer:
    """The waiting probe calls /started; this kills the grid's node then, while the probe runs."""

    def __init__(self, grid: Grid) -> None:
        self.calls = 0
        self._grid = grid

    def answer(self, path: str, agent: str) -> bytes:
        self.calls += 1
        if self.calls == 1:
            self._grid.processes["doomed-node"].kill()
        return b""


def write_probes(folder: Path, started_url: str) -> None:
    for name in ("a", "b", "c"):
        (folder / name).mkdir(parents=True)
    # Longer than the runner's poll: the harness hands outcomes over between probes, so the first
    # outcome is the runner's before the node dies in the second.
    (folder / "a" / "first.js").write_text(
        PROBE.format(name="first", title="runs first") + "await t.sleep(1500);\nt.value('x', 1);\n"
    )
    (folder / "b" / "wait.js").write_text(
        PROBE.format(name="wait", title="calls home, then waits")
        + f'await fetch("{started_url}started", {{ mode: "no-cors" }});\n'
        + "await new Promise((resolve) => setTimeout(resolve, 100000));\n"
    )
    (folder / "c" / "last.js").write_text(PROBE.format(name="last", title="runs last") + "t.value('y', 2);\n")


def run(folder: Path, targets: str, probes: str) -> tuple[Any, dict[str, Any]]:
    (folder / "matrix.yaml").write_text(f"version: 1\nprobes_dir: {probes}\ntarget_timeout_s: 200\ntargets:\n{targets}")
    proc = compatprobe(
        "run", "-m", str(folder / "matrix.yaml"), "--results", str(folder / "results.json"),
        "-o", str(folder / "index.html"), timeout=RUN_TIMEOUT_S,
    )  # fmt: skip
    assert (folder / "results.json").exists(), proc.stderr
    data = json.loads((folder / "results.json").read_text())
    return proc, {t["name"]: t for t in data["targets"]}


def new_session(url: str) -> str:
    """A session the test holds itself, taking the node's only slot."""
    body = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": CHROMIUM}}}
    request = urllib.request.Request(
        url + "session", data=json.dumps(body).encode(), headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return str(json.load(response)["value"]["sessionId"])
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"the grid gave no session: {exc.read().decode()[:2000]}") from exc


def delete_session(url: str, session: str) -> None:
    with urllib.request.urlopen(urllib.request.Request(f"{url}session/{session}", method="DELETE"), timeout=60):
        pass


@pytest.fixture(scope="module")
def failing_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("grid-failures")
    with selenium_grid(out / "grid", session_request_timeout_s=QUEUE_TIMEOUT_S) as grid:
        grid.add_node("doomed-node", chromium_node(max_sessions=1))
        killer = Killer(grid)
        with answering(killer.answer) as killer_url:
            write_probes(out / "probes", killer_url)
            # The node's only slot is taken: "queued" waits in the hub's queue; Firefox no node has.
            held = new_session(grid.url)
            busy = out / "busy"
            busy.mkdir()
            refused = target("no-stereotype", grid.url, "firefox", {"browserName": "firefox"})
            busy_proc, busy_targets = run(busy, refused + target("queued", grid.url), str(out / "probes"))
            delete_session(grid.url, held)
            dies = out / "dies"
            dies.mkdir()
            dies_proc, dies_targets = run(dies, target("node-dies", grid.url), str(out / "probes"))
        yield {
            "grid": grid,
            "busy": (busy_proc, busy_targets),
            "dies": (dies_proc, dies_targets),
            "killed": killer.calls,
        }


def test_no_matching_stereotype(failing_grid: dict[str, Any]) -> None:
    proc, targets = failing_grid["busy"]
    assert proc.returncode == 3, proc.stderr
    refused = targets["no-stereotype"]
    assert refused["status"] == "failed" and refused["outcomes"] == []
    assert refused["not_run"] == ["a/first", "b/wait", "c/last"]
    assert refused["error"].startswith(
        f"the WebDriver server {failing_grid['grid'].url} refused the session: session not created: "
    ), refused["error"]


def test_session_request_times_out(failing_grid: dict[str, Any]) -> None:
    _, targets = failing_grid["busy"]
    queued = targets["queued"]
    assert queued["status"] == "failed" and queued["outcomes"] == []
    assert queued["error"].startswith(f"the WebDriver server {failing_grid['grid'].url} refused the session: ")
    assert "timed out" in queued["error"], queued["error"]


def test_node_dies_mid_run(failing_grid: dict[str, Any]) -> None:
    proc, targets = failing_grid["dies"]
    assert failing_grid["killed"] >= 1
    assert proc.returncode == 3, proc.stderr
    dies = targets["node-dies"]
    # The probe that ran before the node died keeps its outcome; the one running is not blamed.
    assert [(o["probe"], o["status"]) for o in dies["outcomes"]] == [("a/first", "supported")], dies
    assert dies["status"] == "partial" and dies["not_run"] == ["b/wait", "c/last"]
    assert dies["browser"]["name"] == "Chromium"  # named before the first round, which never ended
    # The hub's own words: the session it was forwarding to is gone with its node.
    assert dies["error"].startswith("the browser went away: the harness page was lost (script failed: "), dies
    assert "Unable to execute request for an existing session" in dies["error"], dies["error"]
