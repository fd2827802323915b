"""A real Selenium Grid 4 (hub and nodes on loopback, tests/selenium_grid.py) as compatprobe's remote
WebDriver engine: the shipped probes and a sample of generated ones give, cell for cell, what the
same binaries give run locally in the same run; several sessions run at once on one node; the same
binary gets the same browser name and version whichever way it was reached.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from beacon import webkit_target
from compatprobe.report.table import build_table
from compatprobe.results.model import read_results
from conftest import ROOT, compatprobe
from direct import chromium_brands
from selenium_grid import MINIBROWSER

pytestmark = pytest.mark.browsers

CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-background-networking"]
# A sample of generated probes beside the shipped ones: interfaces, a built-in, CSS.
GENERATED = ["api.AbortController*", "javascript.builtins.Array.at", "css.properties.text-indent"]
THROUGH_GRID = ["grid-chromium-1", "grid-chromium-2", "grid-chromium-3"]


def grid_target(name: str, url: str, engine: str = "chromium") -> str:
    if engine == "webkit":
        # A path on the node's machine: the grid expands no pattern.
        use = f"binary: {MINIBROWSER}\n          args: [--automation]\n" + (
            "          capabilities: {browserName: MiniBrowser}"
        )
    else:
        use = f"binary: /usr/bin/chromium\n          args: {json.dumps(CHROMIUM_ARGS)}"
    head = f"  - name: {name}\n    engine: {engine}\n    use:\n      - webdriver:\n"
    return f"{head}          url: {url}\n          {use}\n"


LOCAL = """\
  - name: local-chromium
    engine: chromium
    use:
      - playwright: {executable: /usr/bin/chromium}
""" + webkit_target("local-webkit")


class SlotWatch:
    """Polls the hub while the run goes on: the most sessions its nodes held at one moment."""

    def __init__(self, grid: Any) -> None:
        self.most = 0
        self._grid = grid
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._done.wait(0.1):
            with contextlib.suppress(OSError):
                self.most = max(self.most, self._grid.busy_slots())

    def __enter__(self) -> SlotWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


@pytest.fixture(scope="module")
def grid_run(grid: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("grid-run")
    hub = grid["grid"]
    targets = "".join(grid_target(name, hub.url) for name in THROUGH_GRID) + LOCAL
    if grid["webkit"]:
        targets += grid_target("grid-webkit", hub.url, engine="webkit")
    matrix = out / "matrix.yaml"
    matrix.write_text(f"version: 1\nprobes_dir: {ROOT / 'probes'}\nconcurrency: 8\ntargets:\n{targets}")
    features = [arg for pattern in GENERATED for arg in ("-f", pattern)]
    # Generated probes are made from the pinned data packages, fetched into a cache of this module's own.
    env = {"COMPATPROBE_CACHE": str(out / "cache")}
    compatprobe("data", "fetch", env=env, check=True)
    with SlotWatch(hub) as watch:
        proc = compatprobe(
            "run", "-m", str(matrix), "-p", "RTCPeerConnection/*", *features,
            "--results", str(out / "results.json"), "-o", str(out / "index.html"), env=env,
        )  # fmt: skip
    assert (out / "results.json").exists(), proc.stderr
    data = json.loads((out / "results.json").read_text())
    targets = {t["name"]: t for t in data["targets"]}
    yield {"dir": out, "proc": proc, "data": data, "targets": targets, "most": watch.most}


def test_the_run_is_whole(grid_run: dict[str, Any]) -> None:
    assert grid_run["proc"].returncode == 0, grid_run["proc"].stderr
    probes = grid_run["data"]["probes"]
    assert any(p.get("generated") for p in probes) and any(not p.get("generated") for p in probes)
    assert all(t["status"] == "ok" for t in grid_run["targets"].values())


@pytest.mark.parametrize("name", THROUGH_GRID)
def test_grid_chromium_equals_local_chromium(grid_run: dict[str, Any], name: str) -> None:
    local, remote = grid_run["targets"]["local-chromium"], grid_run["targets"][name]
    assert remote["launch"]["via"] == "webdriver" and local["launch"]["via"] == "playwright"
    assert len(remote["outcomes"]) == len(grid_run["data"]["probes"])
    assert remote["outcomes"] == local["outcomes"]


def test_grid_webkit_equals_local_webkit(grid: dict[str, Any], grid_run: dict[str, Any]) -> None:
    if not grid["webkit"]:
        pytest.skip("WebKitGTK (webkit2gtk-driver, xvfb) is not installed: no WebKit node")
    local, remote = grid_run["targets"]["local-webkit"], grid_run["targets"]["grid-webkit"]
    assert remote["where"]["kind"] == "remote" and local["where"]["kind"] == "local"
    assert remote["outcomes"] == local["outcomes"]
    assert remote["browser"]["name"] == local["browser"]["name"] == "WebKitGTK MiniBrowser"
    assert remote["browser"]["version"] == local["browser"]["version"]


def test_same_binary_same_name_and_version(grid_run: dict[str, Any], direct_versions: dict[str, str]) -> None:
    """The grid's node says "chrome" for Debian's Chromium; the browser's own brands say Chromium."""
    # What the browser says of itself, asked directly: Chromium, and no product built on it.
    brands = chromium_brands()
    assert "Chromium" in brands and not {"Google Chrome", "Microsoft Edge"} & set(brands), brands
    local = grid_run["targets"]["local-chromium"]["browser"]
    assert local["name"] == "Chromium" and local["version"] == direct_versions["chromium"]
    for name in THROUGH_GRID:
        browser = grid_run["targets"][name]["browser"]
        assert (browser["name"], browser["version"]) == (local["name"], local["version"])
        assert _named_on_stderr(grid_run["proc"].stderr, name) == f"Chromium {local['version']}"


def _named_on_stderr(stderr: str, target: str) -> str:
    """The name and version the progress lines last gave the target's browser: its start line names it
    from its brands when chrome://version answers in time, else a later line says what its brands say."""
    said = [line.removeprefix(f"compatprobe: {target}: ") for line in stderr.splitlines()]
    started = next(line for line in said if line.startswith("started ") and " via webdriver " in line)
    name, version = started.removeprefix("started ").split(" via ")[0].rsplit(" ", 1)
    for line in said:
        if line.startswith("the browser names itself "):
            name = line.removeprefix("the browser names itself ").split(" (it was started as ")[0]
    return f"{name} {version}"


def test_several_sessions_at_once(grid_run: dict[str, Any]) -> None:
    """Three targets through one node with three slots (its max-sessions) ran side by side."""
    assert grid_run["most"] >= 2, grid_run["most"]
    for name in THROUGH_GRID:
        where = grid_run["targets"][name]["where"]
        assert where["kind"] == "remote" and where["server"].startswith("http://127.0.0.1:")


def test_the_table_shows_one_browser(grid_run: dict[str, Any]) -> None:
    """Local and grid columns of the same binary carry the same browser and release."""
    table = build_table(read_results(grid_run["dir"] / "results.json"))
    chromium = {c.target.name: (c.target.browser.name, c.release) for c in table.columns if c.target.browser}
    expected = ("Chromium", grid_run["targets"]["local-chromium"]["browser"]["version"].split(".")[0])
    assert {chromium[name] for name in [*THROUGH_GRID, "local-chromium"]} == {expected}, chromium
