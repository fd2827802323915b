"""Real browser servers on loopback, standing in for a fleet or a grid: `playwright run-server` and
chromedriver. Each runs in its own process group, so a test can stop it (and only it) by its id."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from loopback import Quiet, serve
from processes import kill_group, stop_group

CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    return free_port()


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def kill(self) -> None:
        """SIGKILL the server's process group: the server and the browsers it started, as a crash would."""
        kill_group(self.process)


@contextlib.contextmanager
def playwright_server() -> Iterator[Server]:
    """`playwright run-server --unsafe` on a free loopback port, ready when it prints its endpoint."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", str(port), "--unsafe"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(process, f"ws://127.0.0.1:{port}/")
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("Listening on ws://"), f"run-server said {line!r}"
        yield server
    finally:
        stop_group(server.process, 30)


@contextlib.contextmanager
def chromedriver() -> Iterator[Server]:
    """Debian's chromedriver on a free loopback port: a W3C WebDriver endpoint like a grid's."""
    port = free_port()
    process = subprocess.Popen(
        ["chromedriver", f"--port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(process, f"http://127.0.0.1:{port}/")
    try:
        for _ in range(600):
            with contextlib.suppress(OSError), urllib.request.urlopen(server.url + "status", timeout=5) as response:
                if json.load(response)["value"]["ready"]:
                    break
            assert process.poll() is None, "chromedriver exited at start"
            time.sleep(0.05)
        yield server
    finally:
        stop_group(server.process, 30)


@dataclass
class GridFront:
    url: str
    requests: list[tuple[str, str]]  # (method, path) of every request, in order
    created: list[str]  # ids of the sessions the upstream server created


@contextlib.contextmanager
def busy_grid(upstream: str, refusals: int) -> Iterator[GridFront]:
    """A front for a real WebDriver server that answers the first `refusals` new-session requests
    with "session not created", as a grid with no free slot does, and forwards everything else."""
    front = GridFront(url="", requests=[], created=[])
    left = [refusals]

    class Handler(Quiet):
        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            path = self.path
            front.requests.append((self.command, path))
            if self.command == "POST" and path.rstrip("/") == "/session" and left[0] > 0:
                left[0] -= 1
                refusal = {"value": {"error": "session not created", "message": "no free slot on the grid"}}
                self._send(500, json.dumps(refusal).encode())
                return
            request = urllib.request.Request(
                upstream.rstrip("/") + path,
                data=body,
                method=self.command,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            try:
                with urllib.request.urlopen(request, timeout=300) as response:
                    status, payload = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, payload = exc.code, exc.read()
            if self.command == "POST" and path.rstrip("/") == "/session" and status == 200:
                front.created.append(json.loads(payload)["value"]["sessionId"])
            self._send(status, payload)

        do_GET = do_POST = do_DELETE = _relay

        def _send(self, status: int, payload: bytes) -> None:
            self.reply(status, payload, {"Content-Type": "application/json; charset=utf-8"})

    with serve(Handler) as front.url:
        yield front
