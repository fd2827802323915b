"""The loopback HTTP server that gives browsers the harness page and the probes.

http://127.0.0.1 is a secure context, which WebRTC and media APIs require. It serves only the
harness, the selected probes as one JSON document, and the .js files inside the probes folder (no
dotfiles), and only to requests for its own origin (the Host header is checked).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from urllib.parse import unquote, urlsplit

from compatprobe.errors import InputError
from compatprobe.probes.isolation import HEADERS, needs_isolation
from compatprobe.probes.loader import Probe
from compatprobe.run.harness import harness_script, worker_script

# What the server gives from the probes folder: probes, and JSON data a probe reads beside them
# (tests/runs_ab.py's knob.json); nothing else there (notes, keys, dotfiles) leaves the machine.
SERVED = {".js": "text/javascript; charset=utf-8", ".json": "application/json"}
# Worker scripts carry a report-only policy that blocks nothing: a probe breaks it on purpose
# (fetching a data: URL) to see securitypolicyviolation fire at a worker's global, for engines
# with no onsecuritypolicyviolation there (probes/generate/firing.py).
WORKER_CSP = {"Content-Security-Policy-Report-Only": "connect-src 'self'"}
# A route's content type and body, and its own headers if any.
Route = tuple[str, bytes] | tuple[str, bytes, Mapping[str, str]]
HARNESS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>compatprobe harness</title>
<link rel="icon" href="data:,"><script src="/harness.js"></script></head><body></body></html>
"""


class ProbeServer:
    """Serves on 127.0.0.1 (at a free port unless given one); use as a context manager."""

    def __init__(self, probes: list[Probe], probes_dir: Path, port: int = 0) -> None:
        """`port` 0 picks a free one; a fixed port lets a tunnel (ssh -R) bring a remote browser here."""
        harness = harness_script()
        bundle = json.dumps({p.id: p.source for p in probes})
        root = probes_dir.resolve()
        # Probes of what only cross-origin isolated realms have: every response isolates its realm.
        isolation = HEADERS if needs_isolation(probes) else {}
        routes: dict[str, Route] = {
            "/": ("text/html; charset=utf-8", HARNESS_PAGE.encode()),
            "/harness.js": ("text/javascript; charset=utf-8", harness.encode()),
            # One script for dedicated, shared and service workers. A service worker's script must be
            # JavaScript by its MIME type, on this origin; its scopes (/compatprobe-sw/PAGE-N/) lie under /.
            "/worker.js": ("text/javascript; charset=utf-8", worker_script().encode(), WORKER_CSP),
            "/probes.json": ("application/json", bundle.encode()),
        }

        hosts: set[str] = set()  # the run's own origin, once the port is known
        handler = _handler(routes, root, hosts, isolation)
        try:
            self._httpd = _QuietServer(("127.0.0.1", port), handler)
        except OSError as exc:
            if not port:
                raise
            raise InputError(
                f"cannot serve probes on 127.0.0.1:{port}: {exc.strerror}",
                hint="free that port or choose another 'probe_port' in the matrix",
            ) from exc
        self._httpd.daemon_threads = True
        port_number = self._httpd.server_address[1]
        hosts.update({f"127.0.0.1:{port_number}", f"localhost:{port_number}"})
        # shutdown() waits for the loop to look at its flag: every 0.5 s by default, a run's last wait.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="compatprobe-http", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def origins(self) -> tuple[str, str]:
        """The run's two origins, both secure contexts: 127.0.0.1 (`url`), and localhost for the probes
        that run alongside the window's (run/rounds.py: lanes), so that what one lane's probes
        store, lock, register or set as a cookie is not there for the other's to find."""
        port = self._httpd.server_address[1]
        return self.url, f"http://localhost:{port}/"

    def __enter__(self) -> ProbeServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler(
    routes: dict[str, Route], root: Path, hosts: set[str], isolation: dict[str, str]
) -> type[BaseHTTPRequestHandler]:
    """The request handler: the routes, probe files under `root`, only for a Host in `hosts`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # A page of another origin that rebinds its name to 127.0.0.1 (DNS rebinding) sends
            # its own name as Host: only the run's own origin is answered.
            if self.headers.get("Host", "").lower() not in hosts:
                self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain", b"wrong host\n")
                return
            path = unquote(urlsplit(self.path).path)
            if path in routes:
                self._send(HTTPStatus.OK, *routes[path])
                return
            if path.startswith("/probes/"):
                file = _inside(root, path.removeprefix("/probes/"))
                if file is not None:
                    self._send(HTTPStatus.OK, SERVED[file.suffix], file.read_bytes())
                    return
            self._send(HTTPStatus.NOT_FOUND, "text/plain", b"not found\n")

        def _send(
            self, status: HTTPStatus, kind: str, body: bytes, headers: Mapping[str, str] = MappingProxyType({})
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in {**isolation, **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # requests are not news; failures show up as probe outcomes

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that drops a request (a page replaced mid-load, a browser killed) is not news;
        # the default prints a traceback to standard error.
        pass


def _inside(root: Path, relative: str) -> Path | None:
    """The probe file (or the JSON data a probe reads beside it) `relative` names under `root`, or
    None if it leaves root (.., absolute, symlink), is neither .js nor .json, or is hidden (a
    dotfile, such as .env, or in a dot folder)."""
    if not relative or relative.startswith("/") or "\\" in relative or not relative.endswith(tuple(SERVED)):
        return None
    if any(part.startswith(".") for part in relative.split("/")):
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
