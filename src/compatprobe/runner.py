"""Running probes in targets: one browser per target, targets concurrently, probes in harness pages (rounds.py)."""

from __future__ import annotations

import asyncio
import contextlib
import platform
import sys
from datetime import datetime, timezone
from functools import partial

from playwright.async_api import Playwright, async_playwright

from compatprobe import __version__
from compatprobe.browsers.playwright_session import launch_playwright
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.session import InfrastructureError, Session
from compatprobe.browsers.webdriver_session import launch_webdriver
from compatprobe.interrupts import Interrupted, LoopInterrupts
from compatprobe.matrix import Matrix, PlaywrightLaunch
from compatprobe.probes import Probe
from compatprobe.progress import Progress
from compatprobe.recovery import BrowserKeeper, launch_within
from compatprobe.repeat import fold
from compatprobe.results import BrowserInfo, Outcome, ProbeInfo, Results, RunInfo, TargetResult
from compatprobe.rounds import run_round
from compatprobe.server import ProbeServer
from compatprobe.targets import Resolved, resolve


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def host_info() -> dict[str, str]:
    info = {
        "system": platform.system(),
        "release": platform.release(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }
    with contextlib.suppress(OSError):
        info["os"] = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    return info


def probe_info(probe: Probe) -> ProbeInfo:
    return ProbeInfo(
        id=probe.id,
        feature=probe.feature,
        title=probe.title,
        sha256=probe.sha256,
        spec=probe.spec,
        mdn=probe.mdn,
        expect=probe.expect,
        deprecated=probe.deprecated,
        standard=probe.standard,
    )


async def bundled_paths(pw: Playwright) -> dict[str, str]:
    return {engine: getattr(pw, engine).executable_path for engine in ("chromium", "firefox", "webkit")}


async def resolve_all(matrix: Matrix, names: list[str] | None = None) -> list[Resolved]:
    async with async_playwright() as pw:
        bundled = await bundled_paths(pw)
    return [resolve(t, bundled) for t in matrix.targets if names is None or t.name in names]


def run(
    matrix: Matrix,
    probes: list[Probe],
    *,
    target_names: list[str] | None = None,
    progress: Progress | None = None,
    repeat: int = 1,
) -> Results:
    """Run `probes` in the matrix's targets (or those named) and return the results.

    Raises `Interrupted` on SIGINT or SIGTERM, after closing every browser and helper it started.
    """
    return asyncio.run(run_async(matrix, probes, target_names=target_names, progress=progress, repeat=repeat))


async def run_async(
    matrix: Matrix,
    probes: list[Probe],
    *,
    target_names: list[str] | None = None,
    progress: Progress | None = None,
    repeat: int = 1,
) -> Results:
    progress = progress or Progress(stream=None)
    started = now()
    children = ChildProcesses()
    task = asyncio.current_task()
    assert task is not None
    interrupts = LoopInterrupts(task, children.kill_all)
    try:
        async with async_playwright() as pw:
            bundled = await bundled_paths(pw)
            targets = [resolve(t, bundled) for t in matrix.targets if target_names is None or t.name in target_names]
            with ProbeServer(probes, matrix.probes_dir) as server:
                progress.run_started(len(probes), [t.spec.name for t in targets], server.url)
                results = await asyncio.gather(
                    *(_run_target(t, probes, server.url, pw, matrix, progress, children, repeat) for t in targets)
                )
    except asyncio.CancelledError:
        if interrupts.signum is not None:
            raise Interrupted(interrupts.signum) from None
        raise
    finally:
        interrupts.close()
        children.kill_all()  # normally empty by now: each session stopped its own helpers
    return Results(
        run=RunInfo(
            started=started,
            finished=now(),
            tool_version=__version__,
            host=host_info(),
            matrix=str(matrix.path),
            repeat=repeat if repeat > 1 else None,
        ),
        probes=[probe_info(p) for p in probes],
        targets=list(results),
    )


async def _launch(resolved: Resolved, pw: Playwright, children: ChildProcesses) -> Session:
    option = resolved.chosen
    assert option is not None
    launch = option.launch
    engine = resolved.spec.engine
    if isinstance(launch, PlaywrightLaunch):
        return await launch_playwright(
            pw,
            engine,
            executable=launch.executable and option.executable,
            channel=launch.channel,
            args=launch.args,
            headless=launch.headless,
        )
    assert option.executable is not None
    return await launch_webdriver(
        engine,
        driver=option.executable,
        binary=option.binary,
        args=launch.args,
        capabilities=launch.capabilities,
        display=launch.display,
        children=children,
    )


async def _run_target(
    resolved: Resolved,
    probes: list[Probe],
    url: str,
    pw: Playwright,
    matrix: Matrix,
    progress: Progress,
    children: ChildProcesses,
    repeat: int,
) -> TargetResult:
    result = TargetResult(name=resolved.spec.name, engine=resolved.spec.engine, started=now())
    if resolved.chosen is None:
        result.status = "unavailable"
        result.error = resolved.unavailable_reason()
        result.finished = now()
        result.not_run = [p.id for p in probes]
        progress.target_finished(result)
        return result
    runs: dict[str, list[Outcome]] = {}
    incidents: list[str] = []
    total = len(probes) * repeat

    def record(outcome: Outcome) -> None:
        runs.setdefault(outcome.probe, []).append(outcome)
        progress.probe_done(result, total, done=sum(len(r) for r in runs.values()))

    def incident(text: str) -> None:
        incidents.append(text)
        progress.incident(result, text)

    keeper: BrowserKeeper | None = None
    try:
        launch = partial(_launch, resolved, pw, children)
        keeper = BrowserKeeper(await launch_within(launch), launch, url)
        result.browser = BrowserInfo(keeper.session.browser.name, keeper.session.browser.version)
        result.launch = keeper.session.launch
        progress.target_started(result)
        for _ in range(repeat):
            try:
                user_agent = await asyncio.wait_for(
                    run_round(
                        keeper, probes, matrix.probe_timeout_ms, url + "probes.json", record=record, incident=incident
                    ),
                    matrix.target_timeout_s,
                )
            except asyncio.TimeoutError as exc:
                raise InfrastructureError(f"the target's deadline of {matrix.target_timeout_s} s passed") from exc
            if not result.browser.user_agent:
                result.browser.user_agent = user_agent
    except InfrastructureError as exc:
        result.error = str(exc)
    finally:
        if keeper is not None:
            await keeper.close()
    result.finished = now()
    result.outcomes = [fold(runs[p.id]) for p in probes if p.id in runs]
    result.not_run = [p.id for p in probes if p.id not in runs]
    result.incidents = incidents or None
    result.status = "ok" if not result.not_run and not result.error else "partial" if result.outcomes else "failed"
    progress.target_finished(result)
    return result


def default_progress() -> Progress:
    return Progress(stream=sys.stderr)
