"""A probe that calls home: tests learn that a target is in the middle of a run, and can keep it there.

Also the three local targets as matrix text, for matrices the tests write.

tests/fixtures/faults/probes/01-beacon.js fetches this server's address; the server answers at once
for engines it lets through, and holds the answer for the others (so their probe stays running)
until the test releases it.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import FIXTURES
from loopback import Quiet, serve


def webkit_target(name: str) -> str:
    """WebKitGTK on this machine as a matrix target (MiniBrowser through WebKitWebDriver, under Xvfb)."""
    return f"""\
  - name: {name}
    engine: webkit
    use:
      - webdriver:
          driver: WebKitWebDriver
          binary: /usr/lib/*/webkit2gtk-4.1/MiniBrowser
          args: [--automation]
          display: xvfb
          capabilities: {{browserName: MiniBrowser}}
"""


TARGETS = {
    "chromium": """
  - name: chromium
    engine: chromium
    use:
      - playwright: {}
      - playwright:
          executable: /usr/bin/chromium""",
    "firefox": """
  - name: firefox
    engine: firefox
    use:
      - playwright: {}
      - playwright:
          channel: moz-firefox
          executable: /usr/bin/firefox-esr""",
    "webkit": "\n" + webkit_target("webkit").rstrip("\n"),
}


def write_matrix(folder: Path, targets: str, probes: str = '["*"]') -> Path:
    path = folder / "matrix.yaml"
    # All targets at once, as the fault tests kill and signal them mid-run together.
    path.write_text(f"version: 1\nprobes_dir: probes\nprobes: {probes}\nlocal_concurrency: 3\ntargets:{targets}\n")
    return path


def engine_of(user_agent: str) -> str:
    if "Firefox/" in user_agent:
        return "firefox"
    if "Chrome/" in user_agent:
        return "chromium"
    return "webkit"


class Beacon:
    """Which engines' probes called home, and the hold on those the test keeps running."""

    def __init__(self, hold: set[str]) -> None:
        self.hold = hold
        self.arrived: dict[str, threading.Event] = {e: threading.Event() for e in ("chromium", "firefox", "webkit")}
        self.release = threading.Event()
        self.url = ""

    def all_arrived(self, engines: tuple[str, ...] = ("chromium", "firefox", "webkit")) -> bool:
        """Whether the beacon probe of each of `engines` has called (and is held, if it is to be)."""
        return all(self.arrived[engine].is_set() for engine in engines)

    def handler(self) -> type[Quiet]:
        beacon = self

        class Handler(Quiet):
            def do_GET(self) -> None:
                user_agent = parse_qs(urlsplit(self.path).query).get("ua", [""])[0]
                engine = engine_of(user_agent)
                beacon.arrived[engine].set()
                if engine in beacon.hold:
                    beacon.release.wait(120)
                with contextlib.suppress(OSError):  # the browser that asked is gone: that was the point
                    self.reply(204, headers={"Access-Control-Allow-Origin": "*"})

        return Handler


def faults_probes(into: Path, beacon_url: str) -> Path:
    """A copy of tests/fixtures/faults/probes that calls `beacon_url`."""
    probes = into / "probes"
    shutil.copytree(FIXTURES / "faults" / "probes", probes)
    path = probes / "01-beacon.js"
    path.write_text(path.read_text().replace("__BEACON_URL__", beacon_url))
    return probes


@contextmanager
def beacon(hold: set[str]) -> Iterator[Beacon]:
    server = Beacon(hold)
    with serve(server.handler()) as server.url:
        try:
            yield server
        finally:
            server.release.set()  # before the server stops: a held request ends at once
