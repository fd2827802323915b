"""Issue 23 item 16 in real browsers: by default a probe reaches only the run's loopback origin, not
an address off this machine's loopback, which the same browser reaches when nothing confines it
(checked with the tests' own launches, tests/direct.py); `network: open` in the matrix lets it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beacon import webkit_target
from conftest import cli, outcome
from direct import evaluate_playwright, evaluate_webkitgtk
from loopback import Quiet, serve

pytestmark = pytest.mark.browsers

MATRIX = """version: 1
probe_timeout_ms: 8000
targets:
  - name: chromium
    engine: chromium
    use: [playwright: {executable: /usr/bin/chromium, args: [--disable-background-networking]}]
  - name: firefox
    engine: firefox
    use: [playwright: {channel: moz-firefox, executable: /usr/bin/firefox-esr}]
""" + webkit_target("webkit")
PROBE = """/*---
feature: api.fetch.off_loopback
title: fetch() reaches an address off loopback
---*/
const text = await t.call("fetch", () => fetch(URL).then((r) => r.text()));
t.value("answer", text);
"""


def _address() -> str:
    """This machine's address on its default route: off loopback, and no network traffic needed."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # UDP: connect() only picks the route, sends nothing
        return str(probe.getsockname()[0])


@pytest.fixture(scope="module")
def outside() -> Iterator[str]:
    """A server on an address off loopback that answers "outside" to any origin."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            self.reply(200, b"outside", {"Access-Control-Allow-Origin": "*"})

    with serve(Handler, _address()) as url:
        assert not url.startswith("http://127.")
        yield url


def run(folder: Path, url: str, matrix: str, *browsers: str) -> dict[str, Any]:
    (folder / "probes").mkdir(parents=True)
    (folder / "probes" / "reach.js").write_text(PROBE.replace("URL", json.dumps(url)))
    (folder / "matrix.yaml").write_text(matrix)
    args = [arg for name in browsers for arg in ("-b", name)]
    proc = cli("run", "-m", str(folder / "matrix.yaml"), *args, "-q", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return json.loads((folder / "out" / "results.json").read_text())


def test_probes_reach_only_loopback_unless_the_matrix_opens_the_network(tmp_path: Path, outside: str) -> None:
    fetch = f"() => fetch({json.dumps(outside)}).then((r) => r.text())"
    # Unconfined, each browser reaches the address: the tests' own launches, without compatprobe.
    assert evaluate_playwright("chromium", fetch) == "outside"
    assert evaluate_playwright("firefox", fetch) == "outside"
    script = f"const done = arguments[0]; ({fetch})().then(done, (e) => done(String(e)));"
    assert evaluate_webkitgtk(script, asynchronous=True) == "outside"
    confined = run(tmp_path / "confined", outside, MATRIX)
    for name in ("chromium", "firefox", "webkit"):
        seen = outcome(confined, name, "reach")
        assert seen["status"] == "throws" and seen["exception"]["name"] == "TypeError", (name, seen)
    opened = run(tmp_path / "open", outside, "network: open\n" + MATRIX, "chromium", "firefox", "webkit")
    for name in ("chromium", "firefox", "webkit"):
        seen = outcome(opened, name, "reach")
        assert seen["status"] == "supported" and seen["values"]["answer"] == '"outside"', (name, seen)
