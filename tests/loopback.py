"""The small HTTP servers tests start for themselves: on a port the OS picks, quiet, stopped afterwards.

One body for all of them, so each test states only what its server answers.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Quiet(BaseHTTPRequestHandler):
    """A request handler that writes no line per request (the test's output stays readable)."""

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 204:  # a 204 has no body and may not say its length
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    """A browser that closes a connection before the answer is written (a page closed while it
    loads) is no error of the test's: no traceback for it."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> Iterator[str]:
    """`handler` served on `host` at a free port, in threads of its own; yields the server's URL."""
    server = QuietServer((host, 0), handler)
    server.daemon_threads = True  # a request the test holds on purpose never blocks the shutdown
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def answering(answer: Callable[[str, str], bytes]) -> Iterator[str]:
    """A server a probe calls home to: every GET is answered `answer(path, user agent)`, readable
    from any origin (the probe's page is on another port)."""

    class Handler(Quiet):
        def do_GET(self) -> None:
            body = answer(self.path, self.headers.get("User-Agent", ""))
            self.reply(200, body, {"Access-Control-Allow-Origin": "*"})

    with serve(Handler) as url:
        yield url
