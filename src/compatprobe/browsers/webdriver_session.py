"""Browsers driven through a W3C WebDriver server: one compatprobe starts (e.g. WebKitWebDriver), or
an existing one by URL (a Selenium Grid, a cloud grid, safaridriver, chromedriver)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from typing import Any

from compatprobe.browsers.naming import product_name
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.provenance import os_name
from compatprobe.browsers.session import InfrastructureError, PageLost, SessionLost, harness_answer, launch_record
from compatprobe.browsers.started import Started
from compatprobe.browsers.webdriver_client import WebDriverClient, WebDriverError
from compatprobe.browsers.xvfb import Xvfb
from compatprobe.config.endpoints import Endpoint
from compatprobe.results.model import BrowserInfo, Where

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
# How long chrome://version may take to tell a Chromium's brands: longer than CHECK_S, as the page
# loads while other browsers start (over 5 s with three sessions starting at once on two cores).
BRANDS_S = 20

CALL = """
const done = arguments[arguments.length - 1];
const [method, arg] = [arguments[0], arguments[1]];
if (!window.__compatprobe) {
  done({"__compatprobe_gone": String(location.href)});
} else {
  // A callback rather than a promise: a probe can replace Promise in the harness page (core.js: checkHome).
  window.__compatprobe.answer(method, arg, done, (e) => done({"__compatprobe_error": String(e)}));
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
                {"script": CALL, "args": [method, json.dumps(arg)]},
                timeout=SCRIPT_TIMEOUT_MS / 1000 + 5,
            )
        except WebDriverError as exc:
            if exc.error == "invalid session id":
                # The server ended the session (a grid's idle timeout, a node that went away).
                raise SessionLost(f"the WebDriver server {self._session.server} ended the session: {exc}") from exc
            raise PageLost(f"script failed: {exc}") from exc
        except asyncio.CancelledError:
            self._abandoned = True
            raise
        if isinstance(value, dict) and "__compatprobe_gone" in value:
            raise PageLost(f"the page now shows {value['__compatprobe_gone']}")
        if isinstance(value, dict) and "__compatprobe_error" in value:
            raise PageLost(f"harness call failed: {value['__compatprobe_error']}")
        return harness_answer(value)

    async def bring_to_front(self) -> None:
        pass  # one window: always in front

    async def close(self) -> None:
        # The session has one window and the next page navigates it afresh, which works after a
        # probe navigated it away; not if its page hangs, since the window's process is stuck.
        if self._abandoned:
            raise InfrastructureError("the page did not answer")
        try:
            await self._session.command("POST", "/execute/sync", {"script": "return 1", "args": []}, timeout=CHECK_S)
        except (InfrastructureError, WebDriverError) as exc:
            raise InfrastructureError(f"the page does not answer: {exc}") from exc


@dataclass(slots=True)
class Opening:
    """How a session is opened: its launch record (as results keep it), where the browser runs, and
    what was started for it (stopped when the session closes or fails to open)."""

    launch: dict[str, Any]
    where: Where
    started: Started


class WebDriverSession:
    def __init__(self, client: WebDriverClient, created: dict[str, Any], opening: Opening) -> None:
        """`created`: the server's answer to the new session, with its id and capabilities."""
        self._client = client
        self._id = created["sessionId"]
        self._started = opening.started
        capabilities = created.get("capabilities") or {}
        name = str(capabilities.get("browserName", "unknown"))
        self.browser = BrowserInfo(
            name=BROWSER_NAMES.get(name.lower(), name), version=str(capabilities.get("browserVersion", "unknown"))
        )
        self.launch = opening.launch
        self.where = opening.where
        self.server = client.name
        self.lanes = 1  # one window, one command at a time

    async def command(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return await self._client.request(method, f"/session/{self._id}{path}", body, timeout)

    async def new_page(self) -> WebDriverPage:
        return WebDriverPage(self)

    async def alive(self) -> bool:
        driver = self._started.driver
        if driver is not None and driver.poll() is not None:
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
        await self._started.stop()


async def launch_webdriver(
    engine: str,
    *,
    driver: str,
    binary: str | None,
    args: tuple[str, ...],
    capabilities: dict[str, Any],
    display: str,
    children: ChildProcesses | None = None,
    environment: dict[str, str] | None = None,
) -> WebDriverSession:
    """Start `driver` on a loopback port (with Xvfb first if asked) and open a session on it;
    `environment`: variables for the driver and the browser it starts."""
    started = Started(children or ChildProcesses())
    started.xvfb = Xvfb(started.children) if display == "xvfb" else None
    try:
        env = {**os.environ, **(environment or {})}
        if started.xvfb:
            env["DISPLAY"] = await started.xvfb.start()
        port = _free_port()
        started.driver = started.children.start([driver, *driver_port_args(driver, port)], env=env)
        client = WebDriverClient(f"http://127.0.0.1:{port}", name=driver)
        status = await _wait_ready(client, started.driver)
        launch = launch_record("webdriver", driver=driver, display=display, binary=binary)
        caps = vendor_capabilities(engine, binary, args, capabilities)
        return await _open_session(client, engine, caps, Opening(launch, Where(kind="local"), started), status)
    except BaseException:
        await started.stop()
        raise


async def connect_webdriver(
    engine: str,
    *,
    endpoint: Endpoint,
    public_url: str,
    binary: str | None,
    args: tuple[str, ...],
    capabilities: dict[str, Any],
) -> WebDriverSession:
    """Open a session on an existing WebDriver server; closing the session deletes it there."""
    client = WebDriverClient(endpoint.url, endpoint.headers, name=public_url)
    launch = launch_record("webdriver", "remote", binary=binary)
    caps = vendor_capabilities(engine, binary, args, capabilities)
    opening = Opening(launch, Where(kind="remote", server=public_url), Started())
    return await _open_session(client, engine, caps, opening, None)


def vendor_capabilities(
    engine: str, binary: str | None, args: tuple[str, ...], capabilities: dict[str, Any]
) -> dict[str, Any]:
    """The capabilities to ask for: the matrix's, with the browser's binary and arguments in the
    engine's vendor options (goog:chromeOptions, moz:firefoxOptions, webkitgtk:browserOptions)."""
    caps = dict(capabilities)
    if binary or args:
        key = VENDOR_OPTIONS[engine]
        vendor = dict(caps.get(key, {}))
        if binary:
            vendor["binary"] = binary
        if args:
            vendor["args"] = [*vendor.get("args", []), *args]
        caps[key] = vendor
    return caps


async def _open_session(
    client: WebDriverClient, engine: str, caps: dict[str, Any], opening: Opening, status: Any
) -> WebDriverSession:
    """A session on `client` with capabilities `caps`; `status`: the server's, if already asked."""
    try:
        created = await client.request(
            "POST", "/session", {"capabilities": {"alwaysMatch": caps}}, timeout=SESSION_TIMEOUT_S
        )
    except WebDriverError as exc:
        raise InfrastructureError(f"the WebDriver server {client.name} refused the session: {exc}") from exc
    except InfrastructureError as exc:
        if not _timed_out(exc):
            raise
        # The server waits for a browser that never comes (one that is not a browser, or crashed).
        raise InfrastructureError(
            f"{client.name} opened no session within {SESSION_TIMEOUT_S:.0f} s; "
            f"did {opening.launch.get('binary') or 'the browser'} start?"
        ) from exc
    if not isinstance(created, dict) or "sessionId" not in created:
        raise InfrastructureError(f"the WebDriver server {client.name} answered the new session without an id")
    session = WebDriverSession(client, created, opening)
    try:
        await session.command("POST", "/timeouts", {"script": SCRIPT_TIMEOUT_MS})
        if engine == "chromium":
            await _name_from_brands(session)
        if status is None:
            with contextlib.suppress(InfrastructureError, WebDriverError):
                status = await client.request("GET", "/status", timeout=10)
    except BaseException:
        # Delete the session: on a grid it would otherwise hold a slot until it times out.
        with contextlib.suppress(Exception):
            await client.request("DELETE", f"/session/{created['sessionId']}", timeout=10)
        raise
    _note_platform(opening.where, created.get("capabilities") or {}, status, created["sessionId"])
    return session


def _note_platform(where: Where, capabilities: dict[str, Any], status: Any, session_id: str = "") -> None:
    """The OS as the driver reports it: `platformName` in the session's capabilities, and the `os` that
    chromedriver and others put in /status; a Selenium Grid's /status has it per node instead, as
    `osInfo` of the node whose slot holds this session."""
    name = capabilities.get("platformName")
    version = next(
        (v for k, v in capabilities.items() if k == "platformVersion" or k.endswith(":platformVersion")), None
    )
    os_info = status.get("os") if isinstance(status, dict) else None
    if os_info is None and isinstance(status, dict):
        os_info = _grid_node_os(status, session_id)
    if isinstance(os_info, dict):
        name = name or os_info.get("name")
        version = version or os_info.get("version")
    if name:
        where.os = os_name(str(name))
    if version:
        where.os_version = str(version)


async def _name_from_brands(session: WebDriverSession) -> None:
    """A Chromium-based browser's own name (naming.py) before any probe page loads: chrome://version is
    a secure context, where userAgentData is. Best effort: the harness page's report decides later."""
    try:
        await session.command("POST", "/url", {"url": "chrome://version"}, timeout=BRANDS_S)
        brands = await session.command(
            "POST",
            "/execute/sync",
            {"script": "return navigator.userAgentData ? navigator.userAgentData.brands.map((b) => b.brand) : null",
             "args": []},
            timeout=BRANDS_S,
        )  # fmt: skip
    except (InfrastructureError, WebDriverError):
        return  # a browser or grid that does not open chrome:// pages
    session.browser.name = product_name(session.browser.name, brands)


def _grid_node_os(status: dict[str, Any], session_id: str) -> Any:
    for node in status.get("nodes") or []:
        slots = node.get("slots") if isinstance(node, dict) else None
        for slot in slots or []:
            session = slot.get("session") if isinstance(slot, dict) else None
            if isinstance(session, dict) and session.get("sessionId") == session_id:
                return node.get("osInfo")
    return None


async def _wait_ready(client: WebDriverClient, process: subprocess.Popen[bytes], seconds: float = 15) -> Any:
    """The server's /status once it says it is ready."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise InfrastructureError(f"the WebDriver server exited at start with code {process.returncode}")
        try:
            status = await client.request("GET", "/status", timeout=2)
            if isinstance(status, dict) and status.get("ready", True):
                return status
        except (InfrastructureError, WebDriverError):
            pass
        await asyncio.sleep(0.05)
    raise InfrastructureError(f"the WebDriver server was not ready within {seconds:.0f} s")


def _timed_out(exc: BaseException) -> bool:
    cause = exc.__cause__
    return isinstance(cause, TimeoutError) or isinstance(getattr(cause, "reason", None), TimeoutError)


def driver_port_args(driver: str, port: int) -> list[str]:
    """How each known WebDriver server is told its port (and, where it can, to listen on loopback only)."""
    name = os.path.basename(driver)
    if name == "safaridriver":
        return ["--port", str(port)]  # safaridriver takes no "--port=N" form
    if name == "WebKitWebDriver":
        return [f"--port={port}", "--host=127.0.0.1"]
    return [f"--port={port}"]  # chromedriver, geckodriver, msedgedriver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
