"""A probe that calls home: tests learn that a target is in the middle of a run, and can keep it there.

Also the three local targets as matrix text, for matrices the tests write.

tests/fixtures/faults/probes/01-beacon.js fetches this server's address; the server answers at once
for engines it lets through, and holds the answer for the others (so their probe stays running)
until the test releases it.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conftest import FIXTURES

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
    "webkit": """
  - name: webkit
    engine: webkit
    use:
      - webdriver:
          driver: WebKitWebDriver
          binary: /usr/lib/*/webkit2gtk-4.1/MiniBrowser
          args: [--automation]
          display: xvfb
          capabilities:
            browserName: MiniBrowser""",
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
    def __init__(self, hold: set[str]) -> None:
        self.hold = hold
        self.arrived: dict[str, threading.Event] = {e: threading.Event() for e in ("chromium", "firefox", "webkit")}
        self.release = threading.Event()
        beacon = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                user_agent = parse_qs(urlsplit(self.path).query).get("ua", [""])[0]
                engine = engine_of(user_agent)
                beacon.arrived[engine].set()
                if engine in beacon.hold:
                    beacon.release.wait(120)
                try:
                    self.send_response(204)
                    self.send_header("Access-Control-Allow-Origin", "*")
                    self.end_headers()
                except OSError:
                    pass  # the browser that asked is gone: that was the point

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> Beacon:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


def faults_probes(into: Path, beacon_url: str) -> Path:
    """A copy of tests/fixtures/faults/probes that calls `beacon_url`."""
    probes = into / "probes"
    shutil.copytree(FIXTURES / "faults" / "probes", probes)
    path = probes / "01-beacon.js"
    path.write_text(path.read_text().replace("__BEACON_URL__", beacon_url))
    return probes


@contextmanager
def beacon(hold: set[str]) -> Iterator[Beacon]:
    with Beacon(hold) as server:
        yield server
