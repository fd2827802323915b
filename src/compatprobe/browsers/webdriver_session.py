"""Browsers driven through a W3C WebDriver server that compatprobe starts (e.g. WebKitWebDriver)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import time
from typing import Any

from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.session import InfrastructureError, PageLost
from compatprobe.browsers.webdriver_client import WebDriverClient, WebDriverError
from compatprobe.browsers.xvfb import Xvfb
from compatprobe.results import BrowserInfo

# Where each engine's driver takes the browser binary and its arguments.
VENDOR_OPTIONS = {
    "webkit": "webkitgtk:browserOptions",
    "chromium": "goog:chromeOptions",
    "firefox": "moz:firefoxOptions",
}
BROWSER_NAMES = {
    "minibrowser": "WebKitGTK MiniBrowser",
    "safari": "Safari",
    "chrome": "Chrome",
    "firefox": "Firefox",
    "msedge": "Edge",
}
SCRIPT_TIMEOUT_MS = 120_000
# How long a WebDriver server may take to start its browser and open a session.
SESSION_TIMEOUT_S = 30.0
# How long a page may take to answer a trivial script before it counts as hung.
CHECK_S = 5

CALL = """
const done = arguments[arguments.length - 1];
const [method, arg] = [arguments[0], arguments[1]];
if (!window.__compatprobe) {
  done({"__compatprobe_gone": String(location.href)});
} else {
  Promise.resolve()
    .then(() => window.__compatprobe[method](arg))
    .then(done, (e) => done({"__compatprobe_error": String(e)}));
}
"""


class WebDriverPage:
    def __init__(self, session: WebDriverSession) -> None:
        self._session = session
        # A harness call the runner stopped waiting for: the page hangs, and the server is still
        # waiting for it.
        self._abandoned = False

    async def goto(self, url: str) -> None:
        try:
            await self._session.command("POST", "/url", {"url": url})
        except WebDriverError as exc:
            raise InfrastructureError(f"could not load the harness page: {exc}") from exc

    async def harness(self, method: str, arg: Any) -> Any:
        try:
            value = await self._session.command(
                "POST",
                "/execute/async",
                {"script": CALL, "args": [method, arg]},
                timeout=SCRIPT_TIMEOUT_MS / 1000 + 5,
            )
        except WebDriverError as exc:
            raise PageLost(f"script failed: {exc}") from exc
        except asyncio.CancelledError:
            self._abandoned = True
            raise
        if isinstance(value, dict) and "__compatprobe_gone" in value:
            raise PageLost(f"the page now shows {value['__compatprobe_gone']}")
        if isinstance(value, dict) and "__compatprobe_error" in value:
            raise PageLost(f"harness call failed: {value['__compatprobe_error']}")
        return value

    async def close(self) -> None:
        # The session has one window and the next page navigates it afresh, which works after a
        # probe navigated it away; not if its page hangs, since the window's process is stuck.
        if self._abandoned:
            raise InfrastructureError("the page did not answer")
        try:
            await self._session.command("POST", "/execute/sync", {"script": "return 1", "args": []}, timeout=CHECK_S)
        except (InfrastructureError, WebDriverError) as exc:
            raise InfrastructureError(f"the page does not answer: {exc}") from exc


class WebDriverSession:
    def __init__(
        self,
        client: WebDriverClient,
        session_id: str,
        capabilities: dict[str, Any],
        launch: dict[str, Any],
        driver: subprocess.Popen[bytes] | None,
        xvfb: Xvfb | None,
        children: ChildProcesses,
    ) -> None:
        self._client = client
        self._id = session_id
        self._driver = driver
        self._xvfb = xvfb
        self._children = children
        name = str(capabilities.get("browserName", "unknown"))
        self.browser = BrowserInfo(
            name=BROWSER_NAMES.get(name.lower(), name), version=str(capabilities.get("browserVersion", "unknown"))
        )
        self.launch = launch

    async def command(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return await self._client.request(method, f"/session/{self._id}{path}", body, timeout)

    async def new_page(self) -> WebDriverPage:
        return WebDriverPage(self)

    async def alive(self) -> bool:
        if self._driver is not None and self._driver.poll() is not None:
            return False
        try:
            handles = await self.command("GET", "/window/handles", timeout=CHECK_S)
        except (InfrastructureError, WebDriverError):
            return False
        return bool(handles)

    async def reset(self) -> None:
        # A window's process that spins cannot be closed through WebDriver (the server waits for
        # it); only restarting the browser stops it.
        raise InfrastructureError("WebDriver cannot drop a hung page without restarting the browser")

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._client.request("DELETE", f"/session/{self._id}", timeout=10)
        # Stopping the driver's process group also ends the browser and its web processes, which
        # a probe's endless loop can leave running after the browser itself is gone.
        await self._children.stop(self._driver)
        if self._xvfb:
            await self._xvfb.stop()


async def launch_webdriver(
    engine: str,
    *,
    driver: str,
    binary: str | None,
    args: tuple[str, ...],
    capabilities: dict[str, Any],
    display: str,
    children: ChildProcesses | None = None,
) -> WebDriverSession:
    children = children or ChildProcesses()
    xvfb = Xvfb(children) if display == "xvfb" else None
    process = None
    try:
        env = dict(os.environ)
        if xvfb:
            env["DISPLAY"] = await xvfb.start()
        port = _free_port()
        process = children.start(
            [driver, f"--port={port}", *(["--host=127.0.0.1"] if "WebKitWebDriver" in driver else [])], env=env
        )
        client = WebDriverClient(f"http://127.0.0.1:{port}")
        await _wait_ready(client, process)
        caps = dict(capabilities)
        if binary or args:
            key = VENDOR_OPTIONS[engine]
            vendor = dict(caps.get(key, {}))
            if binary:
                vendor["binary"] = binary
            if args:
                vendor["args"] = list(args)
            caps[key] = vendor
        try:
            created = await client.request(
                "POST", "/session", {"capabilities": {"alwaysMatch": caps}}, timeout=SESSION_TIMEOUT_S
            )
        except WebDriverError as exc:
            raise InfrastructureError(f"{driver} refused the session: {exc}") from exc
        except InfrastructureError as exc:
            if not _timed_out(exc):
                raise
            # The server waits for a browser that never comes (one that is not a browser, or crashed).
            raise InfrastructureError(
                f"{driver} opened no session within {SESSION_TIMEOUT_S:.0f} s; did {binary or 'the browser'} start?"
            ) from exc
        launch = {"via": "webdriver", "driver": driver, "display": display}
        if binary:
            launch["binary"] = binary
        session = WebDriverSession(
            client, created["sessionId"], created.get("capabilities", {}), launch, process, xvfb, children
        )
        await session.command("POST", "/timeouts", {"script": SCRIPT_TIMEOUT_MS})
        return session
    except BaseException:
        await children.stop(process)
        if xvfb:
            await xvfb.stop()
        raise


async def _wait_ready(client: WebDriverClient, process: subprocess.Popen[bytes], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise InfrastructureError(f"the WebDriver server exited at start with code {process.returncode}")
        try:
            status = await client.request("GET", "/status", timeout=2)
            if isinstance(status, dict) and status.get("ready", True):
                return
        except (InfrastructureError, WebDriverError):
            pass
        await asyncio.sleep(0.05)
    raise InfrastructureError(f"the WebDriver server was not ready within {seconds:.0f} s")


def _timed_out(exc: BaseException) -> bool:
    cause = exc.__cause__
    return isinstance(cause, TimeoutError) or isinstance(getattr(cause, "reason", None), TimeoutError)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
