"""Running probes in targets: one browser per target, targets concurrently, probes in harness pages (rounds.py)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from playwright.async_api import Playwright

from compatprobe.browsers.driver import playwright_driver
from compatprobe.browsers.launch import start_session
from compatprobe.browsers.naming import product_name
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.provenance import note_browser_report, planned_where
from compatprobe.browsers.resolve import bundled_paths
from compatprobe.browsers.session import InfrastructureError, Session
from compatprobe.browsers.targets import Resolved, resolve
from compatprobe.config.matrix import Matrix, cpu_count
from compatprobe.probes.info import ProbeInfo, probe_info
from compatprobe.probes.loader import Probe
from compatprobe.results.model import BrowserInfo, Outcome, Results, RunInfo, TargetResult
from compatprobe.run.concurrency import Slots, limits_for
from compatprobe.run.interrupts import Interrupted, LoopInterrupts, keep_finished
from compatprobe.run.progress import Progress
from compatprobe.run.recovery import LAUNCH_TIMEOUT_S, BrowserKeeper, close_quietly
from compatprobe.run.repeat import fold
from compatprobe.run.retry import retries_for, start_with_retries
from compatprobe.run.rounds import run_round
from compatprobe.run.server import ProbeServer
from compatprobe.scopes import planned_scopes
from compatprobe.version import __version__


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


def planned_scopes_of(probe: Probe, matrix_scopes: tuple[str, ...] | None) -> tuple[str, ...]:
    # A generated probe brings its own default (probes/generate/build.py: plan_scopes): a sweep of
    # thousands of features in every worker scope is a choice to make in the matrix, not a default.
    if probe.scopes is not None and matrix_scopes is None:
        return probe.scopes
    return planned_scopes(probe.exposed, matrix_scopes)


# What a target waits for once its browser is up: the probes, and the origins they are served from.
Ready = tuple[list[Probe], tuple[str, ...]]


async def run_probes(
    matrix: Matrix,
    probes: list[Probe] | Callable[[], Awaitable[list[Probe]]],
    *,
    target_names: list[str] | None = None,
    progress: Progress | None = None,
    repeat: int = 1,
    concurrency: int | None = None,
    retries: int | None = None,
    env: Mapping[str, str] | None = None,
    loading: Callable[[], Awaitable[object]] | None = None,
) -> Results:
    """Run `probes` in the targets. Given a function that gives them (a plan still being made), the
    browsers start while it runs. `loading`: what else the run needs to end well (data loaded while
    the probes run). What either raises is raised once every browser started is closed."""
    progress = progress or Progress(stream=None)
    environment = os.environ if env is None else env
    started = now()
    slots = Slots(limits_for(concurrency or matrix.concurrency, matrix.local_concurrency, cpu_count()))
    children = ChildProcesses()
    children.note_other_drivers()  # before playwright_driver() starts the run's own
    task = asyncio.current_task()
    assert task is not None
    interrupts = LoopInterrupts(task, children.kill_all)
    ready: asyncio.Future[Ready] = asyncio.get_running_loop().create_future()
    finished: dict[str, TargetResult] = {}  # kept when a signal stops the run (interrupts.keep_finished)

    async def run_target(target: Resolved, pw: Playwright) -> TargetResult:
        remote = target.chosen is not None and target.chosen.remote
        async with slots.take(remote):
            tries = retries_for(target.spec, matrix, remote, retries)
            result = await _run_target(target, ready, pw, matrix, progress, children, repeat, tries, environment)
        finished[result.name] = result
        return result

    targets: list[Resolved] = []
    infos: list[ProbeInfo] = []  # what the results file says of each probe: made while the browsers start
    try:
        async with playwright_driver() as pw:
            bundled = await bundled_paths(pw)
            targets = [resolve(t, bundled) for t in matrix.targets if target_names is None or t.name in target_names]
            running = [asyncio.ensure_future(run_target(t, pw)) for t in targets]
            try:
                chosen = probes if isinstance(probes, list) else await probes()
                infos = [probe_info(p) for p in chosen]
                results = await _serve(chosen, matrix, running, ready, progress, targets, loading)
            finally:
                await _ended(running, ready)
    except asyncio.CancelledError:
        if interrupts.signum is not None:
            ended = [finished.get(t.spec.name) or TargetResult(t.spec.name, t.spec.engine) for t in targets]
            partial = keep_finished(_results(matrix, infos, started, repeat, ended), set(finished), interrupts.signum)
            names = tuple(t.spec.name for t in targets if t.spec.name in finished)
            raise Interrupted(interrupts.signum, partial, names) from None
        raise
    finally:
        interrupts.close()
        children.kill_all()  # normally empty by now: each session stopped its own helpers
    return _results(matrix, infos, started, repeat, list(results))


async def _ended(running: list[asyncio.Future[TargetResult]], ready: asyncio.Future[Ready]) -> None:
    """Every target ended, each closing what it started; only when something failed (bad input from
    the plan, a signal) is one still running. When no probes will come (the plan failed), what the
    targets wait for is cancelled too: a target whose cancellation was lost on the way would wait
    for them forever (Python 3.11's wait_for returns a launch that ends as its task is cancelled,
    and drops the cancellation)."""
    if not ready.done():
        ready.cancel()
    for target in running:
        target.cancel()
    await asyncio.gather(*running, return_exceptions=True)


async def _serve(
    probes: list[Probe],
    matrix: Matrix,
    running: list[asyncio.Future[TargetResult]],
    ready: asyncio.Future[Ready],
    progress: Progress,
    targets: list[Resolved],
    loading: Callable[[], Awaitable[object]] | None,
) -> list[TargetResult]:
    """Serve the probes, tell the targets where, and wait for them all (and for `loading`, whose
    error stops them at once)."""
    with ProbeServer(probes, matrix.probes_dir, matrix.probe_port) as server:
        progress.run_started(len(probes), [t.spec.name for t in targets], server.url)
        ready.set_result((probes, server.origins))
        together = asyncio.gather(*running)
        # Cancelled below, it ends in an error nobody awaits: read, so that asyncio does not log it.
        together.add_done_callback(lambda done: done.cancelled() or done.exception())
        watch = asyncio.ensure_future(loading()) if loading is not None else None
        try:
            if watch is not None:
                await asyncio.wait({together, watch}, return_when=asyncio.FIRST_EXCEPTION)
                if watch.done():
                    watch.result()
            return await together
        finally:
            for left in (together, watch):
                if left is not None and not left.done():
                    left.cancel()  # only when something failed: run_probes closes the browsers


def _results(
    matrix: Matrix, probes: list[ProbeInfo], started: str, repeat: int, targets: list[TargetResult]
) -> Results:
    return Results(
        run=RunInfo(
            started=started,
            finished=now(),
            tool_version=__version__,
            host=host_info(),
            matrix=str(matrix.path),
            repeat=repeat if repeat > 1 else None,
        ),
        probes=probes,
        targets=targets,
    )


@dataclass
class _Tally:
    """A target's outcomes and incidents as they come, counted for progress."""

    result: TargetResult
    progress: Progress
    total: int
    first_lines: dict[str, int]
    runs: dict[tuple[str, str], list[Outcome]] = field(default_factory=dict)
    incidents: list[str] = field(default_factory=list)
    done: int = 0

    def record(self, outcome: Outcome) -> None:
        if outcome.line is not None:  # the harness counts lines of the source, after the metadata
            outcome.line += self.first_lines.get(outcome.probe, 1) - 1
        self.runs.setdefault((outcome.probe, outcome.scope), []).append(outcome)
        self.done += 1  # counted, not summed over `runs`: with thousands of outcomes that was quadratic
        self.progress.probe_done(self.result, self.total, done=self.done)

    def incident(self, text: str) -> None:
        self.incidents.append(text)
        self.progress.incident(self.result, text)


async def _run_target(
    resolved: Resolved,
    ready: asyncio.Future[Ready],
    pw: Playwright,
    matrix: Matrix,
    progress: Progress,
    children: ChildProcesses,
    repeat: int,
    retries: int,
    env: Mapping[str, str],
) -> TargetResult:
    """A target's browser started as soon as it may be, then its probes run once they are `ready`."""
    result = TargetResult(name=resolved.spec.name, engine=resolved.spec.engine, started=now())
    option = resolved.chosen
    if option is None:
        probes, _ = await asyncio.shield(ready)
        result.status = "unavailable"
        result.error = resolved.unavailable_reason()
        result.finished = now()
        result.not_run = [p.id for p in probes]
        progress.target_finished(result)
        return result
    result.where = planned_where(option)
    launch = partial(start_session, resolved.spec.engine, option, pw, env, children)
    session = await _start(launch, retries, result, progress)
    try:
        # Shielded: one target's cancellation must not cancel what every target waits for.
        probes, origins = await asyncio.shield(ready)
    except BaseException:
        if not isinstance(session, InfrastructureError):
            await close_quietly(session)
        raise
    return await _probe_target(result, session, launch, probes, origins, matrix, progress, repeat)


async def _probe_target(
    result: TargetResult,
    session: Session | InfrastructureError,
    launch: Callable[[], Awaitable[Session]],
    probes: list[Probe],
    origins: tuple[str, ...],
    matrix: Matrix,
    progress: Progress,
    repeat: int,
) -> TargetResult:
    """The target's probes in its started session (or, when it did not start, why none ran)."""
    scopes = partial(planned_scopes_of, matrix_scopes=matrix.scopes)
    units = [(p.id, scope) for p in probes for scope in scopes(p)]
    tally = _Tally(result, progress, len(units) * repeat, {p.id: p.first_line for p in probes})
    keeper: BrowserKeeper | None = None
    try:
        if isinstance(session, InfrastructureError):
            raise session
        keeper = BrowserKeeper(session, launch, origins, tally.incident)
        result.browser = BrowserInfo(session.browser.name, session.browser.version)
        result.launch = session.launch
        result.where = session.where
        progress.target_started(result)
        for round_number in range(repeat):
            await _round(keeper, probes, matrix, tally, round_number < repeat - 1, scopes)
    except InfrastructureError as exc:
        result.error = str(exc)
    finally:
        if keeper is not None:
            await keeper.close()
        elif not isinstance(session, InfrastructureError):  # Session is a Protocol: no isinstance
            await close_quietly(session)
    result.finished = now()
    result.outcomes = [fold(tally.runs[unit]) for unit in units if unit in tally.runs]
    # A probe is not run when any of its scopes gave no outcome.
    result.not_run = list(dict.fromkeys(probe for probe, scope in units if (probe, scope) not in tally.runs))
    result.incidents = tally.incidents or None
    result.status = "ok" if not result.not_run and not result.error else "partial" if result.outcomes else "failed"
    progress.target_finished(result)
    return result


async def _start(
    launch: Callable[[], Awaitable[Session]], retries: int, result: TargetResult, progress: Progress
) -> Session | InfrastructureError:
    """The target's session, or why it could not start (said once its probes are known: its outcomes need them)."""
    try:
        return await start_with_retries(
            launch, retries=retries, timeout_s=LAUNCH_TIMEOUT_S, result=result, progress=progress
        )
    except InfrastructureError as exc:
        return exc


async def _round(
    keeper: BrowserKeeper,
    probes: list[Probe],
    matrix: Matrix,
    tally: _Tally,
    more: bool,
    scopes: Callable[[Probe], tuple[str, ...]],
) -> None:
    """One round of the target's probes within the target's deadline; `more`: another round follows."""
    result = tally.result
    try:
        report = await asyncio.wait_for(
            run_round(
                keeper,
                probes,
                matrix.probe_timeout_ms,
                record=tally.record,
                incident=tally.incident,
                close_page=more,
                scopes=scopes,
            ),
            matrix.target_timeout_s,
        )
    except asyncio.TimeoutError as exc:
        raise InfrastructureError(f"the target's deadline of {matrix.target_timeout_s} s passed") from exc
    if result.browser is not None and not result.browser.user_agent and report:
        result.browser.user_agent = report.get("user_agent")
        if result.where:
            note_browser_report(result.where, report.get("platform"), result.browser.user_agent)
        said = result.browser.name
        result.browser.name = product_name(said, (report.get("platform") or {}).get("brands"))
        if result.browser.name != said:  # the start line named it before its brands were known
            tally.progress.browser_named(result, said)
