"""Starting a session for a target's chosen option: a local browser, a Playwright server, or a
WebDriver server (started here or reached by URL)."""

from __future__ import annotations

import glob
from collections.abc import Mapping
from typing import Any

from playwright.async_api import Playwright

from compatprobe.browsers.playwright_session import NO_PROXY, connect_playwright, launch_playwright
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.session import Session, launch_record
from compatprobe.browsers.targets import Option
from compatprobe.browsers.webdriver_session import connect_webdriver, launch_webdriver
from compatprobe.config.endpoints import public_url, resolve_endpoint
from compatprobe.config.envvars import expand
from compatprobe.config.matrix import PlaywrightLaunch, WebDriverLaunch


async def start_session(
    engine: str, option: Option, pw: Playwright, env: Mapping[str, str], children: ChildProcesses | None = None
) -> Session:
    """One attempt; raises InfrastructureError when the browser or its server fails.

    `env` supplies the `${NAME}` references of remote options; they must all be set (the run
    command checks that before it starts).
    """
    launch = option.launch
    if isinstance(launch, WebDriverLaunch):
        return await _webdriver_session(engine, option, launch, env, children)
    if launch.connect:
        return await _playwright_server(engine, launch, launch.connect, pw, env)
    session = await launch_playwright(
        pw,
        engine,
        executable=launch.executable and option.executable,
        channel=launch.channel,
        args=(*software_webgl(engine), *launch.args),
        headless=launch.headless,
        confined=launch.network == "loopback",
        children=children,
    )
    if children is not None:
        children.note_browser_groups()  # so that they go even if Playwright's driver dies
    return session


async def _playwright_server(
    engine: str, launch: PlaywrightLaunch, connect: str, pw: Playwright, env: Mapping[str, str]
) -> Session:
    """A browser from a Playwright server, launched there with the target's options."""
    options: dict[str, Any] = {"headless": launch.headless}
    if launch.executable:
        options["executablePath"] = launch.executable  # a path on the server's machine
    if launch.channel:
        options["channel"] = launch.channel
    if launch.args:
        options["args"] = list(launch.args)
    options.update(expand(launch.launch_options, env))
    record = launch_record(
        "playwright", "remote", executable=launch.executable, channel=launch.channel, args=launch.args
    )
    return await connect_playwright(
        pw,
        engine,
        endpoint=resolve_endpoint(connect, launch.headers, env),
        public_url=public_url(connect),
        launch_options=options,
        expose_network=launch.expose_network,
        launch=record,
    )


async def _webdriver_session(
    engine: str, option: Option, launch: WebDriverLaunch, env: Mapping[str, str], children: ChildProcesses | None
) -> Session:
    """A session on a WebDriver server: an existing one (`url`), or one started here."""
    if launch.url:
        return await connect_webdriver(
            engine,
            endpoint=resolve_endpoint(launch.url, launch.headers, env),
            public_url=public_url(launch.url),
            binary=launch.binary,  # a path on the server's machine
            args=launch.args,
            capabilities=expand(launch.capabilities, env),
        )
    assert option.executable is not None
    return await launch_webdriver(
        engine,
        driver=option.executable,
        binary=option.binary,
        args=launch.args,
        capabilities=expand(launch.capabilities, env),
        display=launch.display,
        children=children,
        environment=confined_environment(launch.network),
    )


def confined_environment(network: str) -> dict[str, str]:
    """The proxy variables that confine a local WebDriver browser's probes to loopback as the
    Playwright launches are: WebKitGTK reads them (through GLib's proxy resolver). Not WebDriver's
    proxy capability: with it, WebKitWebDriver now and then opened no session at all when several
    browsers started at once (1 to 2 of 6 concurrent starts here)."""
    if network != "loopback":
        return {}
    return {"http_proxy": NO_PROXY, "https_proxy": NO_PROXY, "no_proxy": "127.0.0.1,localhost"}


def software_webgl(engine: str, render_nodes: str = "/dev/dri/renderD*") -> tuple[str, ...]:
    """Chromium's flags for WebGL on a machine with no GPU to render with (no render node): the
    SwiftShader it would fall back to, chosen, which then offers timer queries too
    (EXT_disjoint_timer_query; bench/SWEEP.md). With a GPU, WebGL stays the GPU's."""
    if engine != "chromium" or glob.glob(render_nodes):
        return ()
    return ("--use-angle=swiftshader",)
