"""Browsers launched through Playwright (its own builds, system executables, or channels), or on a
Playwright browser server (`playwright run-server`, a container, a hosted service)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, BrowserType, Playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page as PlaywrightPage

from compatprobe.browsers import profiles
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.session import InfrastructureError, PageLost, SessionLost, harness_answer, launch_record
from compatprobe.browsers.started import Started
from compatprobe.browsers.xvfb import Xvfb
from compatprobe.config.endpoints import Endpoint
from compatprobe.data.builds import build_kind
from compatprobe.data.cache import cache_root
from compatprobe.engines import ENGINE_LABELS
from compatprobe.results.model import BrowserInfo, Where

# A page without the harness is no longer the harness page: say what it shows instead. The harness
# answers JSON text: one string crosses the protocol much faster than a tree of objects. goto()
# returns once the page is committed, so the first call may come while harness.js still loads.
# The harness's promise is handed to the protocol as it is: an async function would look up its
# `then`, which a probe can replace in the harness page (core.js: checkHome).
CALL = """([method, arg]) => {
  const call = () => window.__compatprobe
    ? window.__compatprobe.json(method, arg)
    : {"__compatprobe_gone": String(location.href)};
  if (!window.__compatprobe && document.readyState === "loading") {
    return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true })).then(call);
  }
  return call();
}"""
# How long the browser process may take to answer a trivial question before it counts as gone.
ALIVE_CHECK_S = 10.0
CHANNEL_NAMES = {"chrome": "Chrome", "msedge": "Edge", "moz-firefox": "Firefox"}


LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"
# The Playwright releases seen driving Firefox ESR 153 over WebDriver BiDi (channel moz-firefox);
# 1.65 sends commands, such as emulation.setMediaFeaturesOverride, that only newer Firefox knows.
FIREFOX_ESR_PLAYWRIGHT = ("1.63", "1.64")

# Every Playwright call gives the page transient user activation (BiDi userActivation), and
# Firefox passes it on to every same-origin frame, new ones included, tens of ms after they
# appear. A probe would then run "after a click" or not depending on its timing and companions
# (navigator.clipboard.readText() waits for a paste menu, or rejects): with no transient window,
# every probe runs as in a page nobody clicked. The harness does the same for Chromium (core.js).
# 0 would mean "never expires"; 1 is the shortest window the pref takes, and a probe never sees it.
FIREFOX_PREFS = {
    "dom.user_activation.transient.timeout": 1,
    # A machine with a touch screen, as Chromium's contexts have (CONTEXT_OPTIONS): touch events and
    # their handler attributes are there, as on a phone, rather than hidden for want of a screen.
    "dom.w3c_touch_events.enabled": 1,
    "dom.w3c_touch_events.legacy_apis.enabled": True,
}
CONTEXT_OPTIONS: dict[str, dict[str, Any]] = {"chromium": {"has_touch": True}}

# A probe reaches the run's own loopback origin, not the network (matrix `network: loopback`, the
# default): every request for another host goes to a proxy on a port where nothing listens (9,
# discard), which resolves no name either. Loopback itself is never proxied (both browsers' rule).
# WebRTC's UDP does not go through a proxy; see docs/reliability.md.
NO_PROXY = "http://127.0.0.1:9"
# No --host-resolver-rules: mapping every name to nothing also stops the .local names of WebRTC's
# host candidates from resolving, and media stops flowing between two local peer connections.
CHROMIUM_CONFINED = (f"--proxy-server={NO_PROXY}",)
FIREFOX_CONFINED = {
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.share_proxy_settings": True,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
}


# How long a launch the run no longer needs may take to end and close its browser cleanly.
CUT_SHORT_S = 10.0
# What Playwright raises, as a plain Exception, once its driver process is gone (killed, crashed).
DRIVER_GONE = "Connection closed"


def driver_gone(exc: BaseException) -> bool:
    return isinstance(exc, Exception) and not isinstance(exc, PlaywrightError) and DRIVER_GONE in str(exc)


def lost_driver(exc: Exception) -> SessionLost:
    return SessionLost(f"Playwright's driver process stopped ({str(exc).strip().splitlines()[0]})")


def first_line(exc: PlaywrightError) -> str:
    text = exc.message.strip()
    return text.splitlines()[0] if text else repr(exc)


def _exit_of(exc: PlaywrightError) -> str:
    """How the browser process ended, from Playwright's launch log, when it says."""
    found = re.search(r"process did exit: exitCode=(\w+), signal=(\w+)", exc.message)
    if not found:
        return ""
    code, signal = found.groups()
    return f" (the process exited with code {code})" if signal == "null" else f" (the process was killed by {signal})"


def playwright_version() -> str:
    try:
        return metadata.version("playwright")
    except metadata.PackageNotFoundError:  # run from a source tree without package metadata
        return "(unknown version)"


def version_mismatch(engine: str, browser_version: str, error: str, playwright: str) -> str | None:
    """One line naming the versions that work, when Playwright sent Firefox a command it does not know."""
    found = re.search(r"Protocol error \(([\w.:]+)\): unknown command", error)
    if engine != "firefox" or not found:
        return None
    first, last = FIREFOX_ESR_PLAYWRIGHT
    return (
        f"Playwright {playwright} cannot drive Firefox {browser_version}: this Firefox does not know "
        f"{found.group(1)}; use Playwright {first} to {last} with Firefox ESR 153 "
        f"(pip install 'playwright>={first},<{_next_minor(last)}'), or a newer Firefox"
    )


def _next_minor(version: str) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) + 1}"


# How long a page a probe sent elsewhere may take to get there before it is closed anyway.
SETTLE_MS = 2000


class PlaywrightPageHandle:
    def __init__(self, page: PlaywrightPage, session: PlaywrightSession) -> None:
        self._page = page
        self._session = session
        self._url = ""
        self._navigated_away = False  # a probe sent the harness page elsewhere

    async def goto(self, url: str) -> None:
        self._url = url
        try:
            # Not waiting for the load event saves Firefox about 80 ms; CALL waits for the harness.
            await self._page.goto(url, wait_until="commit")
        except PlaywrightError as exc:
            raise InfrastructureError(f"could not load the harness page: {first_line(exc)}") from exc

    async def harness(self, method: str, arg: Any) -> Any:
        try:
            value = await self._page.evaluate(CALL, [method, json.dumps(arg)])
        except PlaywrightError as exc:
            if self._session.driver_lost:
                raise lost_driver(exc) from exc
            await self._session.check_connected(exc)
            self._navigated_away = "navigation" in str(exc)
            raise PageLost(first_line(exc)) from exc
        except Exception as exc:
            if driver_gone(exc):
                self._session.driver_lost = True
                raise lost_driver(exc) from exc
            raise
        if isinstance(value, dict) and "__compatprobe_gone" in value:
            raise PageLost(f"the page now shows {value['__compatprobe_gone']}")
        return harness_answer(value)

    async def bring_to_front(self) -> None:
        try:
            await self._page.bring_to_front()
        except PlaywrightError as exc:
            raise PageLost(first_line(exc)) from exc

    async def close(self) -> None:
        if self._page.is_closed():  # the probe closed it, or its browser went
            return
        await self._settle()
        try:
            await self._page.close(run_before_unload=False)
        except PlaywrightError as exc:
            raise InfrastructureError(f"could not close the page: {first_line(exc)}") from exc
        except Exception as exc:
            if driver_gone(exc):
                raise lost_driver(exc) from exc
            raise

    async def _settle(self) -> None:
        """Let a navigation a probe began commit: Chromium's page never closes while one is under way
        (Playwright waits for it; 10 s of the recovery ladder each time a probe navigates away)."""
        if not self._navigated_away or self._page.url != self._url:
            return
        with contextlib.suppress(PlaywrightError):
            main = self._page.main_frame
            await self._page.wait_for_event("framenavigated", predicate=lambda f: f == main, timeout=SETTLE_MS)


class PlaywrightSession:
    def __init__(
        self, browser: Browser, context: BrowserContext, name: str, launch: dict[str, Any], where: Where
    ) -> None:
        self._browser = browser
        self._context: BrowserContext | None = context
        self.browser = BrowserInfo(name=name, version=browser.version)
        self.launch = launch
        self.where = where
        # A remote browser's machine may not know this one's localhost (ProbeServer.origins).
        self.lanes = 1 if where.kind == "remote" else 2
        # Set once a call found Playwright's driver gone: every later failure is that.
        self.driver_lost = False
        self.started = Started()  # the virtual screen started for a headful local browser
        self.context_options: dict[str, Any] = {}  # what each of its contexts is made with

    async def check_connected(self, exc: PlaywrightError) -> None:
        """Raise SessionLost if a remote browser's connection is gone. A local browser that vanishes is
        left to the runner's page-loss handling, which decides whether a probe crashed it."""
        if self.where.kind != "remote":
            return
        # Playwright rejects the calls in flight first and marks the browser disconnected in a callback
        # scheduled right after; give that callback its turn.
        for _ in range(3):
            if not self._browser.is_connected():
                raise SessionLost(
                    f"lost the connection to the Playwright server {self.where.server}: {first_line(exc)}"
                ) from exc
            await asyncio.sleep(0)

    async def new_page(self) -> PlaywrightPageHandle:
        if self._context is None:
            raise InfrastructureError("the browser context was lost while being replaced")
        try:
            page = await self._context.new_page()
        except PlaywrightError as exc:
            await self.check_connected(exc)
            raise InfrastructureError(f"could not open a page: {first_line(exc)}") from exc
        except Exception as exc:
            if driver_gone(exc):
                raise lost_driver(exc) from exc
            raise
        return PlaywrightPageHandle(page, self)

    async def alive(self) -> bool:
        if not self._browser.is_connected() or self._context is None:
            return False
        # The disconnection may not have been noticed yet: ask the browser process something.
        try:
            await asyncio.wait_for(self._context.cookies(), ALIVE_CHECK_S)
        except (PlaywrightError, asyncio.TimeoutError):
            return False
        except Exception as exc:
            if driver_gone(exc):
                return False
            raise
        return True

    async def reset(self) -> None:
        old, self._context = self._context, None
        with contextlib.suppress(PlaywrightError):
            await old.close()
        try:
            self._context = await self._browser.new_context(**self.context_options)
        except PlaywrightError as exc:
            raise InfrastructureError(f"could not open a new browser context: {first_line(exc)}") from exc

    async def close(self) -> None:
        if self.started.mark is not None:
            # No one keeps its profile, so the browser need not put it in order first: its group is
            # killed (Firefox's close took 0.4 s, 0.1 s so; Chromium's, after a sweep, 0.16 and 0.07 s).
            self.started.children.kill_group_led_with(self.started.mark)
        try:
            await self._browser.close()
        except PlaywrightError:
            pass
        except Exception as exc:
            # The browser itself then goes with the run's end (ChildProcesses.kill_all).
            if not driver_gone(exc):
                raise
        finally:
            await self.started.stop()  # the profile copy goes whatever the close met


async def launch_playwright(
    pw: Playwright,
    engine: str,
    *,
    executable: str | None,
    channel: str | None,
    args: tuple[str, ...],
    headless: bool,
    confined: bool = False,
    children: ChildProcesses | None = None,
) -> PlaywrightSession:
    """`confined`: probes reach only loopback (see CHROMIUM_CONFINED). `headless: false` with no
    screen ($DISPLAY unset) gets a virtual one: Firefox makes WebGL contexts (Mesa's llvmpipe) only
    when it is not headless."""
    # compatprobe closes its browsers itself on SIGINT, SIGTERM and SIGHUP; Playwright's driver
    # doing it too, at the same moment, would race with that.
    options: dict[str, Any] = {
        "headless": headless,
        "handle_sigint": False,
        "handle_sigterm": False,
        "handle_sighup": False,
    }
    if executable:
        options["executable_path"] = executable
    if channel:
        options["channel"] = channel
    if confined and engine == "chromium":
        args = (*CHROMIUM_CONFINED, *args)
    if args:
        options["args"] = list(args)
    if engine == "firefox":
        options["firefox_user_prefs"] = {**FIREFOX_PREFS, **(FIREFOX_CONFINED if confined else {})}
    build = "system" if executable else "channel" if channel else "playwright"
    launch = launch_record(
        "playwright", build, executable=executable, channel=channel, args=args, **build_kind(executable, channel)
    )
    name = CHANNEL_NAMES.get(channel or "", ENGINE_LABELS[engine])
    started = Started(children or ChildProcesses())
    # Chromium's profile is the temporary one Playwright's driver makes and removes, and Chromium
    # ignores a switch it does not know; Firefox is found by its profile copy (_started_once).
    if engine == "chromium":
        started.mark = f"--compatprobe-browser={secrets.token_hex(8)}"
        options["args"] = [*options.get("args", ()), started.mark]  # not in the launch's record
    if not headless and not os.environ.get("DISPLAY"):
        started.xvfb = Xvfb(started.children)
        options["env"] = {**os.environ, "DISPLAY": await started.xvfb.start()}
    try:
        session = await _launch(getattr(pw, engine), engine, options, launch, name, started)
    except BaseException:
        await started.stop()
        raise
    session.started = started
    return session


async def _launch(
    browser_type: BrowserType,
    engine: str,
    options: dict[str, Any],
    launch: dict[str, Any],
    name: str,
    started: Started,
) -> PlaywrightSession:
    """Start the browser with Playwright's launch `options` and open its first context."""
    try:
        browser = await _started_once(browser_type, options, started) if engine == "firefox" else None
        browser = browser or await _launched(browser_type, options)
    except PlaywrightError as exc:
        raise InfrastructureError(f"{engine} did not start: {first_line(exc)}{_exit_of(exc)}") from exc
    try:
        context = await browser.new_context(**CONTEXT_OPTIONS.get(engine, {}))
    except asyncio.CancelledError:
        await _close_cut_short(browser)
        raise
    except PlaywrightError as exc:
        with contextlib.suppress(PlaywrightError):
            await browser.close()
        mismatch = version_mismatch(engine, browser.version, first_line(exc), playwright_version())
        raise InfrastructureError(mismatch or f"{engine} did not start: {first_line(exc)}") from exc
    session = PlaywrightSession(browser, context, name, launch, Where(kind="local"))
    session.context_options = CONTEXT_OPTIONS.get(engine, {})
    return session


async def _launched(browser_type: BrowserType, options: dict[str, Any]) -> Browser:
    """browser_type.launch(); when the run no longer needs it (bad input found meanwhile, a signal),
    the launch ends and its browser is closed before the cancellation goes on. Cut short, a launch
    left the temporary profile Playwright made for it (Chromium's: 2 MB in the temporary folder,
    each time): Playwright's driver removes it only when the browser closes, and the run stops the
    driver next."""
    launching = asyncio.ensure_future(browser_type.launch(**options))
    try:
        return await asyncio.shield(launching)
    except asyncio.CancelledError:
        # Whatever stops the wait (the launch failed, its driver went, a second cancellation), the
        # run goes on being cancelled.
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await _close_cut_short(await asyncio.wait_for(asyncio.shield(launching), CUT_SHORT_S))
        launching.cancel()
        raise


async def _close_cut_short(browser: Browser) -> None:
    """Close the browser of a launch the run no longer needs, within CUT_SHORT_S; a second
    cancellation (a second Ctrl-C) stops waiting at once."""
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(browser.close(), CUT_SHORT_S)


async def _started_once(browser_type: BrowserType, options: dict[str, Any], started: Started) -> Browser | None:
    """Firefox from a copy of a profile it has started before (browsers/profiles.py); None when
    there is no build to name one after, or when it fails to start from it (the template goes)."""
    executable = options.get("executable_path") or (None if options.get("channel") else browser_type.executable_path)
    key = executable and profiles.template_key(executable, options, playwright_version())
    if not key:
        return None
    root = cache_root() / "profiles"

    async def make(path: Path) -> None:
        await (await browser_type.launch_persistent_context(str(path), **options)).close()

    started.profile = await profiles.profile_copy(root, key, make)
    started.mark = str(started.profile / "profile")
    try:
        context = await browser_type.launch_persistent_context(str(started.profile / "profile"), **options)
    except PlaywrightError:
        profiles.forget(root, key)
        return None
    return context.browser


async def connect_playwright(
    pw: Playwright,
    engine: str,
    *,
    endpoint: Endpoint,
    public_url: str,
    launch_options: dict[str, Any],
    expose_network: str | None,
    launch: dict[str, Any],
) -> PlaywrightSession:
    """Connect to a Playwright browser server, which launches `engine` with `launch_options` (passed
    the way `playwright run-server` takes them: JSON in a header; options such as executablePath
    and args need the server's --unsafe flag)."""
    if engine == "firefox":
        prefs = {**FIREFOX_PREFS, **launch_options.get("firefoxUserPrefs", {})}
        launch_options = {**launch_options, "firefoxUserPrefs": prefs}
    headers = {**endpoint.headers, LAUNCH_OPTIONS_HEADER: json.dumps(launch_options)}
    browser: Browser | None = None
    try:
        browser = await getattr(pw, engine).connect(
            endpoint.url, headers=headers, expose_network=expose_network or None
        )
        context = await browser.new_context(**CONTEXT_OPTIONS.get(engine, {}))
    except BaseException as exc:
        # Also when the launch deadline cancels us: the server would keep the browser for the connection.
        if browser is not None:
            with contextlib.suppress(PlaywrightError):
                await browser.close()
        if isinstance(exc, PlaywrightError):
            version = browser.version if browser is not None else "(not reported)"
            mismatch = version_mismatch(engine, version, first_line(exc), playwright_version())
            raise InfrastructureError(
                f"could not get {engine} from the Playwright server {public_url}: {mismatch or first_line(exc)}"
            ) from exc
        raise
    name = CHANNEL_NAMES.get(launch_options.get("channel") or "", ENGINE_LABELS[engine])
    session = PlaywrightSession(browser, context, name, launch, Where(kind="remote", server=public_url))
    session.context_options = CONTEXT_OPTIONS.get(engine, {})
    return session
