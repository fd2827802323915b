"""Targets on Playwright browser servers (`playwright run-server`) give the same outcomes as local ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, cli, compatprobe
from remote_servers import playwright_server

pytestmark = pytest.mark.browsers

MATRIX = """\
version: 1
probes_dir: {probes}
targets:
  - name: remote-chromium
    engine: chromium
    use:
      - playwright:
          connect: {chromium_server}
          executable: /usr/bin/chromium      # a path on the server's machine
  - name: remote-firefox
    engine: firefox
    use:
      - playwright:
          connect: {firefox_server}
          channel: moz-firefox
          executable: /usr/bin/firefox-esr
          expose_network: "<loopback>"
  - name: local-chromium
    engine: chromium
    use:
      - playwright:
          executable: /usr/bin/chromium
"""


@pytest.fixture(scope="module")
def remote_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("remote")
    with playwright_server() as chromium_server, playwright_server() as firefox_server:
        matrix = out / "matrix.yaml"
        matrix.write_text(
            MATRIX.format(
                probes=ROOT / "probes", chromium_server=chromium_server.url, firefox_server=firefox_server.url
            )
        )
        proc = compatprobe(
            "run", "-m", str(matrix), "--results", str(out / "results.json"), "-o", str(out / "index.html")
        )
        data = json.loads((out / "results.json").read_text())
        yield {
            "proc": proc,
            "results": data,
            "targets": {t["name"]: t for t in data["targets"]},
            "servers": {"chromium": chromium_server.url, "firefox": firefox_server.url},
            "dir": out,
        }


def test_remote_run_completes(remote_run: dict[str, Any]) -> None:
    assert remote_run["proc"].returncode == 0, remote_run["proc"].stderr
    for target in remote_run["targets"].values():
        assert target["status"] == "ok", target
        assert len(target["outcomes"]) == len(remote_run["results"]["probes"])


@pytest.mark.parametrize(("remote", "local"), [("remote-chromium", "chromium"), ("remote-firefox", "firefox")])
def test_remote_outcomes_equal_local_ones(
    remote_run: dict[str, Any], observed: dict[str, Any], remote: str, local: str
) -> None:
    """The shipped matrix's local Chromium and Firefox (the `observed` run) against the same binaries
    launched by a Playwright server: every outcome, with its messages, values and events, is equal."""
    local_target = next(t for t in observed["results"]["targets"] if t["name"] == local)
    remote_target = remote_run["targets"][remote]
    assert remote_target["browser"]["version"] == local_target["browser"]["version"]
    assert remote_target["outcomes"] == local_target["outcomes"]


def test_local_target_in_the_same_run_agrees(remote_run: dict[str, Any]) -> None:
    targets = remote_run["targets"]
    assert targets["local-chromium"]["outcomes"] == targets["remote-chromium"]["outcomes"]


def test_provenance_names_the_server(remote_run: dict[str, Any]) -> None:
    targets = remote_run["targets"]
    for name, engine in (("remote-chromium", "chromium"), ("remote-firefox", "firefox")):
        where = targets[name]["where"]
        assert where["kind"] == "remote"
        assert where["server"] == remote_run["servers"][engine]
        assert where["os"] == "Linux" and where["platform"] == "Linux x86_64"
        assert targets[name]["launch"]["build"] == "remote"
        assert targets[name]["attempts"] == 1
    assert targets["remote-firefox"]["launch"]["channel"] == "moz-firefox"
    assert targets["local-chromium"]["where"]["kind"] == "local"
    assert "server" not in targets["local-chromium"]["where"]
    stderr = remote_run["proc"].stderr
    version = targets["remote-chromium"]["browser"]["version"]
    assert f"remote-chromium: started Chromium {version} " in stderr
    assert f"on {remote_run['servers']['chromium']}" in stderr


def test_html_provenance_shows_where_each_ran(remote_run: dict[str, Any]) -> None:
    html = (remote_run["dir"] / "index.html").read_text()
    provenance = html[html.index('<dl class="provenance">') :]
    assert f"Ran on <code>{remote_run['servers']['firefox']}</code>, Linux as reported" in provenance
    assert "Ran on this machine, Linux as reported" in provenance


def test_browsers_command_shows_remote_options(remote_run: dict[str, Any]) -> None:
    proc = cli("browsers", "-m", str(Path(remote_run["dir"]) / "matrix.yaml"), check=True)
    server = remote_run["servers"]["chromium"]
    assert f"remote-chromium (chromium): will use Playwright server {server}" in proc.stdout
    assert "remote: checked when a run connects" in proc.stdout
