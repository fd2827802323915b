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


def evaluate_webkitgtk(script: str | list[str], *, asynchronous: bool = False) -> Any:
    """Evaluate a statement list with `return` in MiniBrowser through WebKitWebDriver, by hand.

    A list of scripts runs in one session and gives a list of values; `asynchronous` uses
    execute/async, where a script ends by calling its last argument with the value.
    """
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
                endpoint = f"/session/{sid}/execute/{'async' if asynchronous else 'sync'}"
                scripts = script if isinstance(script, list) else [script]
                values = [call("POST", endpoint, {"script": s, "args": []}) for s in scripts]
                return values if isinstance(script, list) else values[0]
        finally:
            call("DELETE", f"/session/{sid}")
    finally:
        driver.terminate()
        xvfb.terminate()
        driver.wait()
        xvfb.wait()


# Each function is called as `async (w) => ...` with `w` the window of a new same-origin iframe,
# made inside the call: frames that exist when a driver's call begins get its transient user
# activation, and a page nobody clicked is what every check here means. Firefox gets the same
# preference compatprobe gives it (browsers/playwright_session.py), as a fact of the browser set-up:
# without it Firefox hands each call's activation on to new frames too.
IN_FRAME = """async (source) => {
  const frame = document.createElement("iframe");
  document.body.appendChild(frame);
  try {
    const fn = frame.contentWindow.eval(`(${source})`);
    return await fn(frame.contentWindow);
  } catch (e) {
    return `harness-free check threw ${e && e.name}: ${e && e.message}`;
  } finally {
    frame.remove();
  }
}"""
FIREFOX_PREFS = {"dom.user_activation.transient.timeout": 1}


def evaluate_many_playwright(engine: str, functions: list[str]) -> list[Any]:
    """Each of `functions` (source text of `async (w) => value`) in its own fresh frame, one browser launch."""
    options: dict[str, Any] = (
        {"executable_path": "/usr/bin/chromium"}
        if engine == "chromium"
        else {"channel": "moz-firefox", "executable_path": "/usr/bin/firefox-esr", "firefox_user_prefs": FIREFOX_PREFS}
    )
    with blank_server() as url, sync_playwright() as p:
        browser = getattr(p, engine).launch(**options)
        try:
            page = browser.new_page()
            page.goto(url)
            return [page.evaluate(IN_FRAME, source) for source in functions]
        finally:
            browser.close()


def evaluate_many_webkitgtk(functions: list[str]) -> list[Any]:
    """The same in MiniBrowser, through WebKitWebDriver's execute/async, one session."""
    calls = [
        f"const done = arguments[arguments.length - 1]; ({IN_FRAME})({json.dumps(f)}).then(done);" for f in functions
    ]
    return evaluate_webkitgtk(calls, asynchronous=True)


def evaluate_many(engine: str, functions: list[str]) -> list[Any]:
    return evaluate_many_webkitgtk(functions) if engine == "webkit" else evaluate_many_playwright(engine, functions)
