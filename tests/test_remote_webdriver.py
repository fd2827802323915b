"""A WebDriver endpoint by URL (a real Selenium Grid 4 hub on loopback, tests/selenium_grid.py) runs the
same probes through the same harness and gives the same outcomes as the Playwright path for the same binary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import ROOT, compatprobe
from remote_servers import CHROMIUM_ARGS, busy_grid, free_port

pytestmark = pytest.mark.browsers

TARGET = """\
  - name: {name}
    engine: chromium
    use:
      - webdriver:
          url: {url}
          binary: /usr/bin/chromium          # a path on the server's machine
          args: {args}
"""


@pytest.fixture(scope="module")
def webdriver_run(grid: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("webdriver")
    probe_port = free_port()  # fixed, as an ssh -R tunnel to a grid node would need
    hub = grid["grid"]
    with busy_grid(hub.url, refusals=1) as front:
        matrix = out / "matrix.yaml"
        matrix.write_text(
            f"version: 1\nprobes_dir: {ROOT / 'probes'}\nprobe_port: {probe_port}\ntargets:\n"
            + TARGET.format(name="hub", url=hub.url, args=json.dumps(CHROMIUM_ARGS))
            + TARGET.format(name="busy-grid", url=front.url, args=json.dumps(CHROMIUM_ARGS))
        )
        proc = compatprobe(
            "run", "-m", str(matrix), "--results", str(out / "results.json"), "-o", str(out / "index.html")
        )
        data = json.loads((out / "results.json").read_text())
        yield {
            "proc": proc,
            "targets": {t["name"]: t for t in data["targets"]},
            "hub": hub,
            "grid": front,
            "probe_port": probe_port,
        }


@pytest.mark.parametrize("name", ["hub", "busy-grid"])
def test_webdriver_outcomes_equal_playwright_ones(
    webdriver_run: dict[str, Any], observed: dict[str, Any], name: str
) -> None:
    assert webdriver_run["proc"].returncode == 0, webdriver_run["proc"].stderr
    playwright = next(t for t in observed["results"]["targets"] if t["name"] == "chromium")
    target = webdriver_run["targets"][name]
    assert target["status"] == "ok", target
    assert target["launch"]["via"] == "webdriver" and playwright["launch"]["via"] == "playwright"
    assert target["browser"] == playwright["browser"]  # "Chromium 156" both ways, not the node's "chrome"
    assert target["outcomes"] == playwright["outcomes"]


def test_provenance_from_the_grid(webdriver_run: dict[str, Any]) -> None:
    where = webdriver_run["targets"]["hub"]["where"]
    assert where["kind"] == "remote" and where["server"] == webdriver_run["hub"].url
    assert where["os"] == "Linux" and where["os_version"]
    assert where["platform"] == "Linux x86_64"


def test_a_refused_session_is_retried_and_reported(webdriver_run: dict[str, Any]) -> None:
    target = webdriver_run["targets"]["busy-grid"]
    assert target["attempts"] == 2
    assert target["attempt_errors"] == [
        f"the WebDriver server {webdriver_run['grid'].url} refused the session: "
        "session not created: no free slot on the grid"
    ]
    assert "busy-grid: attempt 1 of 3 failed" in webdriver_run["proc"].stderr
    assert "error" not in target


def test_sessions_are_deleted_at_the_end(webdriver_run: dict[str, Any]) -> None:
    grid = webdriver_run["grid"]
    assert len(grid.created) == 1
    assert ("DELETE", f"/session/{grid.created[0]}") in grid.requests


def test_probes_served_on_the_fixed_port(webdriver_run: dict[str, Any]) -> None:
    assert f"serving probes at http://127.0.0.1:{webdriver_run['probe_port']}/" in webdriver_run["proc"].stderr
