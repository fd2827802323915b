"""Independent checks: evaluate JavaScript in the same browsers without compatprobe's harness."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from typing import Any

from playwright.sync_api import sync_playwright

PAGE = b"<!doctype html><title>direct check</title>"


@contextmanager
def blank_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def evaluate_playwright(engine: str, script: str) -> Any:
    """Evaluate `script` (a function expression) on a localhost page in Debian's Chromium or Firefox."""
    options: dict[str, Any] = (
        {"executable_path": "/usr/bin/chromium"}
        if engine == "chromium"
        else {"channel": "moz-firefox", "executable_path": "/usr/bin/firefox-esr"}
    )
    with blank_server() as url, sync_playwright() as p:
        browser = getattr(p, engine).launch(**options)
        try:
            page = browser.new_page()
            page.goto(url)
            return page.evaluate(script)
        finally:
            browser.close()


# Evaluates an expression inside a dedicated worker started from the page (a Blob URL, so no
# harness is involved) and resolves with its value, or with {"error": ...} when the worker fails.
IN_WORKER = """(expression) => new Promise((resolve) => {
  const code = `postMessage((() => { try { return { value: (${expression}) }; }
    catch (e) { return { error: String(e) }; } })());`;
  const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
  worker.onmessage = (event) => { resolve(event.data); worker.terminate(); };
  worker.onerror = (event) => resolve({ error: String(event.message) });
})"""


def evaluate_in_worker_playwright(engine: str, expression: str) -> Any:
    """The value of `expression` in a dedicated worker of a localhost page in Chromium or Firefox."""
    answer = evaluate_playwright(engine, f"() => ({IN_WORKER})({json.dumps(expression)})")
    assert "value" in answer, answer
    return answer["value"]


def evaluate_in_worker_webkitgtk(expression: str) -> Any:
    """The value of `expression` in a dedicated worker of a localhost page in MiniBrowser."""
    script = f"const done = arguments[arguments.length - 1]; ({IN_WORKER})({json.dumps(expression)}).then(done);"
    answer = evaluate_webkitgtk(script, asynchronous=True)
    assert "value" in answer, answer
    return answer["value"]


def evaluate_webkitgtk(script: str, *, asynchronous: bool = False) -> Any:
    """Evaluate a statement list with `return` in MiniBrowser through WebKitWebDriver, by hand.

    `asynchronous`: the script ends by calling its last argument with the value (execute/async)."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-nolisten", "tcp"], pass_fds=(write_fd,), stderr=subprocess.DEVNULL
    )
    os.close(write_fd)
    # Xvfb writes the number and the newline separately; closing early kills it with EPIPE.
    raw = b""
    while not raw.endswith(b"\n"):
        chunk = os.read(read_fd, 16)
        if not chunk:
            break
        raw += chunk
    os.close(read_fd)
    display = raw.decode().strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = subprocess.Popen(
        ["WebKitWebDriver", f"--port={port}"],
        env={**os.environ, "DISPLAY": f":{display}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def call(method: str, path: str, body: Any = None) -> Any:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["value"]

    try:
        for _ in range(200):
            try:
                call("GET", "/status")
                break
            except OSError:
                time.sleep(0.05)
        binary = sorted(glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser"))[0]
        session = call(
            "POST",
            "/session",
            {
                "capabilities": {
                    "alwaysMatch": {
                        "browserName": "MiniBrowser",
                        "webkitgtk:browserOptions": {"binary": binary, "args": ["--automation"]},
                    }
                }
            },
        )
        sid = session["sessionId"]
        try:
            with blank_server() as url:
                call("POST", f"/session/{sid}/url", {"url": url})
                how = "async" if asynchronous else "sync"
                return call("POST", f"/session/{sid}/execute/{how}", {"script": script, "args": []})
        finally:
            call("DELETE", f"/session/{sid}")
    finally:
        driver.terminate()
        xvfb.terminate()
        driver.wait()
        xvfb.wait()
