"""Remote targets that fail: a server that is down, one that refuses the session, one that dies mid-run.

Each ends as an infrastructure error of its own target with a clear message, never as "No support";
the other targets' results are complete and the exit code says the run was partial. The same run
uses credentials from environment variables, and none of their values may appear in any output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import browser_of, cli
from loopback import answering
from remote_servers import chromedriver, closed_port, playwright_server

pytestmark = pytest.mark.browsers

SECRETS = {"PW_TOKEN": "pw-token-5c1e7a9b", "GRID_KEY": "grid-key-f00dcafe"}

PROBE = """/*---
feature: api.Remote.{name}
title: {title}
timeout: 120000
---*/
"""
# Tells the test it is running, then waits until the test releases it: the test kills a server at
# a moment it knows, instead of guessing one.
WAITING_BODY = """
await fetch("{signal}started", {{ mode: "no-cors" }});
while ((await (await fetch("{signal}released")).text()) !== "yes") {{
  await new Promise((resolve) => setTimeout(resolve, 100));
}}
"""

MATRIX = """\
version: 1
probes_dir: probes
targets:
  - name: down                      # nothing listens there
    engine: chromium
    use:
      - playwright:
          connect: ws://127.0.0.1:{closed}/?token=${{PW_TOKEN}}
          headers: {{Authorization: "Bearer ${{PW_TOKEN}}"}}
  - name: refused                   # chromedriver cannot give Safari
    engine: webkit
    use:
      - webdriver:
          url: http://compat:${{GRID_KEY}}@127.0.0.1:{driver_port}/
          capabilities: {{browserName: safari}}
  - name: wrong-path                # the server quotes the path, which holds a secret, in its error
    engine: chromium
    retries: 0
    use:
      - webdriver:
          url: http://127.0.0.1:{driver_port}/wd/${{GRID_KEY}}/
  - name: dies                      # the test kills its server while a probe runs
    engine: chromium
    use:
      - playwright:
          connect: {doomed}
          executable: /usr/bin/chromium
          headers: {{Authorization: "Bearer ${{PW_TOKEN}}"}}
  - name: local-firefox
    engine: firefox
    use:
      - playwright:
          channel: moz-firefox
          executable: /usr/bin/firefox-esr
"""


class Signals:
    """The waiting probe's counterpart: kills the doomed server when Chromium's probe says it started."""

    def __init__(self, kill: Any) -> None:
        self.started: list[str] = []
        self.released = threading.Event()
        self._kill = kill

    def answer(self, path: str, agent: str) -> bytes:
        if path == "/started":
            self.started.append(agent)
            if "Chrome" in agent and not self.released.is_set():
                self._kill()
                self.released.set()
        return b"yes" if self.released.is_set() else b"no"


def write_probes(folder: Path, signal_url: str) -> None:
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "c").mkdir()
    # Longer than the runner's poll: the harness hands outcomes over when a call ends, between probes
    # (core.js runAll), so the first outcome is the runner's before the server dies in the second.
    (folder / "a" / "first.js").write_text(
        PROBE.format(name="first", title="runs first") + "await t.sleep(1500);\nt.value('x', 1);\n"
    )
    (folder / "b" / "wait.js").write_text(
        PROBE.format(name="wait", title="waits for the test") + WAITING_BODY.format(signal=signal_url)
    )
    (folder / "c" / "last.js").write_text(PROBE.format(name="last", title="runs last") + "t.value('y', 2);\n")


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    out = tmp_path_factory.mktemp("failures")
    with chromedriver() as driver, playwright_server() as doomed:
        signals = Signals(doomed.kill)
        with answering(signals.answer) as signals_url:
            write_probes(out / "probes", signals_url)
            driver_port = driver.url.rsplit(":", 1)[1].strip("/")
            (out / "matrix.yaml").write_text(
                MATRIX.format(closed=closed_port(), driver_port=driver_port, doomed=doomed.url)
            )
            proc = subprocess.run(
                [sys.executable, "-m", "compatprobe", "run", "--results", "results.json", "-o", "index.html"],
                cwd=out,
                capture_output=True,
                text=True,
                timeout=600,
                env={**os.environ, **SECRETS, "PYTHONUNBUFFERED": "1"},
            )
            signals.released.set()
        data = json.loads((out / "results.json").read_text())
        yield {
            "proc": proc,
            "dir": out,
            "results": data,
            "targets": {t["name"]: t for t in data["targets"]},
            "signals": signals,
            "doomed": doomed,
            "driver": driver,
        }


def test_exit_code_says_partial(failing_run: dict[str, Any]) -> None:
    assert failing_run["proc"].returncode == 3, failing_run["proc"].stderr


def test_other_targets_are_complete(failing_run: dict[str, Any]) -> None:
    local = failing_run["targets"]["local-firefox"]
    assert local["status"] == "ok", local
    assert [o["probe"] for o in local["outcomes"]] == ["a/first", "b/wait", "c/last"]
    assert all(o["status"] == "supported" for o in local["outcomes"])


def test_server_down(failing_run: dict[str, Any]) -> None:
    down = failing_run["targets"]["down"]
    assert down["status"] == "failed" and down["outcomes"] == []
    assert down["not_run"] == ["a/first", "b/wait", "c/last"]
    assert down["error"].startswith("could not get chromium from the Playwright server ws://127.0.0.1:")
    assert "ECONNREFUSED" in down["error"] and down["error"].endswith("(after 3 attempts)")
    assert down["attempts"] == 3 and len(down["attempt_errors"]) == 3
    assert down["where"] == {"kind": "remote", "server": down["where"]["server"]}
    assert down["where"]["server"].endswith("/?token=${PW_TOKEN}")


def test_session_refused(failing_run: dict[str, Any]) -> None:
    refused = failing_run["targets"]["refused"]
    assert refused["status"] == "failed" and refused["outcomes"] == []
    server = failing_run["driver"].url
    assert refused["error"] == (
        f"the WebDriver server {server} refused the session: "
        "session not created: No matching capabilities found (after 3 attempts)"
    )
    assert refused["where"]["server"] == server  # the user part (with its key) is not recorded


def test_server_dies_mid_run(failing_run: dict[str, Any]) -> None:
    dies = failing_run["targets"]["dies"]
    assert failing_run["doomed"].process.returncode is not None
    assert dies["status"] == "partial"
    # The probe that ran before the crash keeps its outcome; the one running is not blamed.
    assert [(o["probe"], o["status"]) for o in dies["outcomes"]] == [("a/first", "supported")]
    assert dies["not_run"] == ["b/wait", "c/last"]
    assert dies["error"].startswith(f"lost the connection to the Playwright server {failing_run['doomed'].url}")
    assert dies["attempts"] == 1


def test_table_says_why_cells_are_empty(failing_run: dict[str, Any]) -> None:
    """The dead server's column shows "Not run" with the reason, never a "No"."""
    from compatprobe.report.table import build_table
    from compatprobe.results.model import read_results

    table = build_table(read_results(failing_run["dir"] / "results.json"))
    ran = {name: browser_of(failing_run["results"], name) for name in ("dies", "local-firefox")}
    assert [b["name"] for b in ran.values()] == ["Chromium", "Firefox"]
    chromium, firefox = (f"{b['name']} {b['release']}" for b in ran.values())
    headings = [f"{c.heading} {c.release}" for c in table.columns]
    assert headings == ["down not run", "wrong-path not run", chromium, "refused not run", firefox]
    rows = {row.label: row.cells for row in table.rows if row.probe}
    assert rows["runs first"][2].text == "Yes"
    last, waits = rows["runs last"][2], rows["waits for the test"][2]
    assert (last.kind.key, last.text) == ("not-run", "Not run") and waits.footnotes == last.footnotes
    note = table.footnotes[last.footnotes[0] - 1]
    assert note.startswith("dies: lost the connection to the Playwright server ws://127.0.0.1:"), note
    assert all(cells[4].text == "Yes" for cells in rows.values())


def render_markdown(folder: Path) -> str:
    return cli("render", "results.json", "--format", "md", cwd=folder, check=True).stdout


def test_no_secret_in_any_output(failing_run: dict[str, Any]) -> None:
    out = failing_run["dir"]
    markdown = render_markdown(out)
    # The secret did reach the servers, and one of them quoted it back in an error:
    wrong_path = failing_run["targets"]["wrong-path"]
    assert "wd/***/session" in wrong_path["error"], wrong_path
    outputs = {
        "stdout": failing_run["proc"].stdout,
        "stderr": failing_run["proc"].stderr,
        "markdown": markdown,
        **{path.name: path.read_text() for path in out.iterdir() if path.is_file()},
    }
    assert {"results.json", "index.html", "matrix.yaml"} <= outputs.keys()
    for name, text in outputs.items():
        for secret in SECRETS.values():
            assert secret not in text, f"{secret} in {name}"
