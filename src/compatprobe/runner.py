"""Running probes in targets: one browser per target, targets concurrently, probes in one page."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import sys
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from playwright.async_api import Playwright, async_playwright

from compatprobe import __version__
from compatprobe.browsers.launch import start_session
from compatprobe.browsers.session import InfrastructureError, Page, PageLost, Session
from compatprobe.concurrency import Slots, limits_for
from compatprobe.matrix import Matrix, cpu_count
from compatprobe.probes import Probe
from compatprobe.progress import Progress
from compatprobe.provenance import note_browser_report, planned_where
from compatprobe.results import (
    BrowserInfo,
    ExceptionInfo,
    Outcome,
    ProbeInfo,
    Results,
    RunInfo,
    TargetResult,
)
from compatprobe.retry import retries_for, start_with_retries
from compatprobe.server import ProbeServer
from compatprobe.targets import Resolved, resolve

POLL_MS = 1000
LAUNCH_TIMEOUT_S = 60
# Beyond its own deadline, how long a probe's page may stay silent before it counts as hung.
HUNG_GRACE_S = 5.0


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
        bcd=probe.bcd,
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
    concurrency: int | None = None,
    retries: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Results:
    """Run `probes` in the matrix's targets (or those named) and return the results.

    `concurrency` and `retries` override the matrix's; `env` (default: os.environ) supplies the
    `${NAME}` references of remote targets. Error texts may quote servers: see envvars.Secrets.
    """
    return asyncio.run(
        run_async(
            matrix,
            probes,
            target_names=target_names,
            progress=progress,
            concurrency=concurrency,
            retries=retries,
            env=env,
        )
    )


async def run_async(
    matrix: Matrix,
    probes: list[Probe],
    *,
    target_names: list[str] | None = None,
    progress: Progress | None = None,
    concurrency: int | None = None,
    retries: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Results:
    progress = progress or Progress(stream=None)
    env = os.environ if env is None else env
    slots = Slots(limits_for(concurrency or matrix.concurrency, matrix.local_concurrency, cpu_count()))
    started = now()

    async def run_target(target: Resolved, url: str, pw: Playwright) -> TargetResult:
        remote = target.chosen is not None and target.chosen.remote
        async with slots.take(remote):
            tries = retries_for(target.spec, matrix, remote, retries)
            return await _run_target(target, probes, url, pw, matrix, progress, tries, env)

    async with async_playwright() as pw:
        bundled = await bundled_paths(pw)
        targets = [resolve(t, bundled) for t in matrix.targets if target_names is None or t.name in target_names]
        with ProbeServer(probes, matrix.probes_dir, matrix.probe_port) as server:
            progress.run_started(len(probes), [t.spec.name for t in targets], server.url)
            results = await asyncio.gather(*(run_target(t, server.url, pw) for t in targets))
    return Results(
        run=RunInfo(
            started=started, finished=now(), tool_version=__version__, host=host_info(), matrix=str(matrix.path)
        ),
        probes=[probe_info(p) for p in probes],
        targets=list(results),
    )


async def _run_target(
    resolved: Resolved,
    probes: list[Probe],
    url: str,
    pw: Playwright,
    matrix: Matrix,
    progress: Progress,
    retries: int,
    env: Mapping[str, str],
) -> TargetResult:
    result = TargetResult(name=resolved.spec.name, engine=resolved.spec.engine, started=now())
    session: Session | None = None
    try:
        if resolved.chosen is None:
            result.status = "unavailable"
            result.error = resolved.unavailable_reason()
            return result
        option = resolved.chosen
        result.where = planned_where(option)
        session = await start_with_retries(
            lambda: start_session(resolved.spec.engine, option, pw, env),
            retries=retries,
            timeout_s=LAUNCH_TIMEOUT_S,
            result=result,
            progress=progress,
        )
        result.browser = BrowserInfo(session.browser.name, session.browser.version)
        result.launch = session.launch
        result.where = session.where
        progress.target_started(result)
        try:
            await asyncio.wait_for(
                _run_probes(session, probes, url, matrix.probe_timeout_ms, result, progress),
                matrix.target_timeout_s,
            )
        except TimeoutError as exc:
            raise InfrastructureError(f"the target's deadline of {matrix.target_timeout_s} s passed") from exc
    except InfrastructureError as exc:
        result.error = str(exc)
    finally:
        if session is not None:
            await session.close()
        result.finished = now()
        done = {o.probe for o in result.outcomes}
        result.not_run = [p.id for p in probes if p.id not in done]
        if result.status != "unavailable":
            result.status = (
                "ok" if not result.not_run and not result.error else "partial" if result.outcomes else "failed"
            )
        progress.target_finished(result)
    return result


async def _open_harness(session: Session, url: str) -> Page:
    page = await session.new_page()
    await page.goto(url)
    return page


async def _run_probes(
    session: Session,
    probes: list[Probe],
    url: str,
    default_timeout_ms: int,
    result: TargetResult,
    progress: Progress,
) -> None:
    timeouts = {p.id: p.timeout_ms or default_timeout_ms for p in probes}
    remaining = [p.id for p in probes]
    page = await _open_harness(session, url)
    try:
        while remaining:
            plan = {
                "sources_url": url + "probes.json",
                "probes": [{"id": i, "timeout_ms": timeouts[i]} for i in remaining],
            }
            try:
                started = await page.harness("start", plan)
            except PageLost as exc:
                raise InfrastructureError(f"the harness did not start: {exc}") from exc
            if result.browser and not result.browser.user_agent:
                result.browser.user_agent = started.get("user_agent")
                if result.where:
                    note_browser_report(result.where, started.get("platform"), result.browser.user_agent)
            lost = await _collect(page, remaining, timeouts, result, progress, len(probes))
            if lost is None:
                continue
            # The page stopped answering or went away while running remaining[0]: record that
            # against the probe and go on with the rest in a fresh page.
            culprit = remaining.pop(0)
            result.outcomes.append(lost(culprit))
            progress.probe_done(result, len(probes))
            await page.close()
            page = await _open_harness(session, url)
    finally:
        await page.close()


async def _collect(
    page: Page,
    remaining: list[str],
    timeouts: dict[str, int],
    result: TargetResult,
    progress: Progress,
    total: int,
) -> Callable[[str], Outcome] | None:
    """Drain outcomes until the plan is done (None) or the page is lost (a maker of its outcome)."""
    while remaining:
        silent_limit = POLL_MS / 1000 + timeouts[remaining[0]] / 1000 + HUNG_GRACE_S
        try:
            batch = await asyncio.wait_for(page.harness("next", POLL_MS), silent_limit)
        except TimeoutError:
            return lambda probe: Outcome(
                probe,
                "timeout",
                reason="unresponsive",
                message=f"the page stopped responding (no answer for {silent_limit:.0f} s); it was replaced",
            )
        except PageLost as exc:
            message = str(exc)
            return lambda probe: Outcome(
                probe,
                "error",
                reason="page-lost",
                message=f"the harness page was lost while this probe ran: {message}",
            )
        for raw in batch["results"]:
            outcome = outcome_from_harness(raw)
            if outcome.probe in remaining:
                remaining.remove(outcome.probe)
                result.outcomes.append(outcome)
                progress.probe_done(result, total)
        if batch["done"]:
            if remaining:
                raise InfrastructureError(
                    f"the harness stopped: {batch.get('fatal') or 'it reported no outcome for some probes'}"
                )
            return None
    return None


def outcome_from_harness(raw: dict[str, Any]) -> Outcome:
    exception = raw.get("exception")
    return Outcome(
        probe=raw["probe"],
        status=raw["status"],
        reason=raw.get("reason"),
        message=raw.get("message"),
        exception=ExceptionInfo(
            name=exception["name"],
            message=exception["message"],
            expected=exception.get("expected"),
        )
        if exception
        else None,
        values={str(k): str(v) for k, v in (raw.get("values") or {}).items()},
        events=[str(e) for e in raw.get("events") or []],
    )


def default_progress() -> Progress:
    return Progress(stream=sys.stderr)
