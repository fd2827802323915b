"""One round of a target: every probe once, in harness pages, with lost pages blamed on the right probe.

Outcomes stream back from the page in batches. When the page stops answering or goes away, the
probes whose outcomes have not arrived are suspects: some of them may have finished without the
runner hearing of it. The suspects are halved, each half run in a fresh page, until a few are left,
which run alone: the one whose page is lost again is the culprit. The others get their outcomes as
in a clean run. Halving keeps the search to a few pages when the harness lets thousands of outcomes
wait (MAX_UNCOLLECTED), as it does so that a sweep of thousands of probes needs few round trips.

Where the session can run two pages at once, the workers' probes run in a page of their own (a
lane) while the window's run; each lane searches for its own culprits (_Lane). A lane done with its
plan borrows the generated probes the window's page has not started yet (run/lending.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compatprobe.browsers.session import InfrastructureError, Page, PageLost
from compatprobe.probes.loader import Probe
from compatprobe.results.model import Outcome, outcome_from_dict
from compatprobe.run.answers import ValidTexts, answer_problem, replaced_note, valid_text
from compatprobe.run.harness import MAX_UNCOLLECTED, plan_columns
from compatprobe.run.lending import Lending, take_lent
from compatprobe.run.recovery import BrowserKeeper
from compatprobe.scopes import SCOPES, WINDOW, Unit

POLL_MS = 1000
# Beyond its own deadline, how long a probe's page may stay silent before it counts as hung.
HUNG_GRACE_S = 5.0
# Suspects this few run one at a time; more are halved first. Alone, only the culprit's page is
# lost; halving loses one page per step. A hung page costs the culprit's deadline and the grace above
# each time it is lost, many times what a page that answers costs: after a hang, more run alone.
ALONE = 8
ALONE_AFTER_A_HANG = 32
# The share of the generated window probes the workers' lane runs too. The window's lane also runs
# the hand-written probes, which wait on media and connections (about 1.3 s of a sweep in Chromium
# and 1.4 s in Firefox) and may want the focus, which only the window's page has; a generated probe
# asks what exists, which no focus or origin changes. None against a third (docs/performance.md):
# the sweep's runner 4.54 against 3.89 s in Chromium, 7.19 against 6.43 s in Firefox. The best share
# moves with the engine and the load (0.25 to 0.42 here), so a third is where the round starts, and
# a lane done first borrows from the other (run/lending.py).
GENERATED_SHARE = 1 / 3


@dataclass(frozen=True)
class Loss:
    """How a harness page failed while it ran a plan."""

    kind: str  # "unresponsive", "page-lost" or "harness"
    detail: str

    def describe(self) -> str:
        if self.kind == "unresponsive":
            return f"the page stopped responding ({self.detail})"
        if self.kind == "page-lost":
            return f"the harness page was lost ({self.detail})"
        return f"the harness stopped ({self.detail})"

    def outcome(self, unit: Unit, action: str) -> Outcome:
        status = "timeout" if self.kind == "unresponsive" else "error"
        probe, scope = unit
        return Outcome(
            probe,
            status,
            reason=self.kind,
            message=f"{self.describe()} while this probe ran; {action}",
            scope=scope,
        )


async def run_round(
    keeper: BrowserKeeper,
    probes: list[Probe],
    default_timeout_ms: int,
    *,
    record: Callable[[Outcome], None],
    incident: Callable[[str], None],
    close_page: bool = True,
    scopes: Callable[[Probe], tuple[str, ...]] = lambda probe: (WINDOW,),
) -> dict[str, Any] | None:
    """Run every probe once in each of its `scopes`; `record` gets each outcome, `incident` each recovery, in words.

    Returns what the harness page first reported of itself (user_agent, platform). With
    `close_page` false the last page is left open, to close with its browser: one round trip less.
    """
    timeouts = {p.id: p.timeout_ms or default_timeout_ms for p in probes}
    isolated = {p.id for p in probes if p.isolate}
    # In the order the harness runs them (the window's, then each worker scope's), so that after a
    # lost page the suspects run alone in the order they ran and the culprit comes up first.
    units = [(p.id, scope) for p in probes for scope in scopes(p)]
    units.sort(key=lambda unit: SCOPES.index(unit[1]))
    generated = {p.id for p in probes if p.generated}
    shares = _shares(units, keeper.lanes, generated)
    lanes = [_Lane(keeper, n, timeouts, isolated, record, incident, close_page, generated) for n in range(len(shares))]
    for lane in lanes[1:]:
        lane.lender = lanes[0]
    if len(lanes) == 1:
        return await lanes[0].run(shares[0], await lanes[0].open())
    opened = await _all_or_none([asyncio.ensure_future(lane.open(first=True)) for lane in lanes])
    # Firefox gives the focus to the page opened last; only the window's probes may want it.
    await opened[0][0].bring_to_front()
    first = asyncio.ensure_future(lanes[0].run(shares[0], opened[0]))
    first.add_done_callback(lambda _: [lane.first_done.set() for lane in lanes])
    later = [
        asyncio.ensure_future(lane.run(share, page))
        for lane, share, page in zip(lanes[1:], shares[1:], opened[1:], strict=True)
    ]
    reports = await _all_or_none([first, *later])
    return next((r for r in reports if r), None)


def _shares(units: list[Unit], lanes: int, generated: set[str]) -> list[list[Unit]]:
    """The units each lane runs: with two lanes, the window's in the first and the workers' in the
    second (a worker's probes run on its own thread, alongside the window's), which also takes the
    last GENERATED_SHARE of the generated window probes when there are workers to run beside them;
    else all in one lane."""
    window = [u for u in units if u[1] == WINDOW]
    workers = units[len(window) :]
    if lanes < 2 or not window or not workers:
        return [units]
    made = [u for u in window if u[0] in generated]
    moved = set(made[len(made) - int(len(made) * GENERATED_SHARE) :]) if made else set()
    return [[u for u in window if u not in moved], [u for u in window if u in moved] + workers]


async def _all_or_none(tasks: list[asyncio.Future[Any]]) -> list[Any]:
    """Every task's result; at the first failure the others are cancelled and it is raised."""
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in tasks:
            if task in done and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        return [task.result() for task in tasks]
    finally:
        await _cancelled(tasks)


async def _cancelled(tasks: list[asyncio.Future[Any]]) -> None:
    pending = [t for t in tasks if not t.done()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


@dataclass
class _Lane:
    """One harness page's share of a round. Lanes share the browser, and their pages are on two
    sites (ProbeServer.origins), so each has renderer processes of its own. Their first pages open
    at once, and the window's is then brought to the front. A context reset or a restart
    (keeper.epoch) takes every lane's page, and blames none of the other lanes' probes. A lane
    after the first opens pages again only once the first is done, so that none takes the focus
    while the window's probes run and only one lane at a time recovers; a page it lost before
    then convicts no probe until it is lost again. Until it has lost a page, the first lane lends
    and the others borrow generated window probes, so that the lanes end together."""

    keeper: BrowserKeeper
    number: int  # 0: the window's
    timeouts: dict[str, int]
    isolated: set[str]
    record: Callable[[Outcome], None]
    incident: Callable[[str], None]
    close_page: bool
    movable: set[str]  # the generated probes, which may run in either lane's page
    first_done: asyncio.Event = field(default_factory=asyncio.Event)
    lender: _Lane | None = None
    lending: Lending | None = None
    token: str = ""  # the current plan's (core.js: fromRunner)

    async def run(self, units: list[Unit], opened: tuple[Page, int]) -> dict[str, Any] | None:
        keeper = self.keeper
        page, epoch = opened
        report: dict[str, Any] | None = None
        # Ordered sets (dicts) rather than lists: with thousands of probes, list removal is quadratic.
        remaining: dict[Unit, None] = dict.fromkeys(units)
        suspects: list[Unit] = []  # in the order they ran, so the culprit comes up first
        alone = ALONE
        fresh = clean = True
        try:
            while remaining or (clean and (borrowed := await self._borrow())):
                if not remaining:  # the same page runs what the window's page lent
                    plan = borrowed
                    remaining.update(dict.fromkeys(plan))
                    loss = await self._more(page, plan, epoch, remaining)
                else:
                    if not fresh:
                        await keeper.close_page(page)
                        page, epoch = await self.open()
                    fresh = False
                    suspects = [u for u in suspects if u in remaining]
                    plan = _next_plan(suspects, alone) or list(remaining)
                    started = await self._start(page, plan, epoch, clean)
                    report = report or _valid_report(started)
                    loss = await self._collect(page, plan, remaining)
                if loss is None:
                    continue
                clean = False
                if keeper.epoch != epoch:  # another lane's recovery took this page: run the plan again
                    page, epoch = await self.open()
                    fresh = True
                    continue
                if not await keeper.session.alive():
                    raise InfrastructureError(f"the browser went away: {loss.describe()}")
                sure = not self.number or self.first_done.is_set()
                page, action = await self._replace(page)
                epoch, fresh = keeper.epoch, True
                unreported = [i for i in plan if i in remaining]
                suspects = _blame(loss, action, unreported, bool(suspects), sure, remaining, self.record, self.incident)
                alone = ALONE_AFTER_A_HANG if loss.kind == "unresponsive" else ALONE
        finally:
            if self.close_page:
                await keeper.close_page(page)
        return report

    async def open(self, first: bool = False) -> tuple[Page, int]:
        """A fresh page for this lane (after the round's `first`, once the first lane is done), and
        the epoch it belongs to."""
        if self.number and not first:
            await self.first_done.wait()
        page = await self.keeper.open_page(self.number)
        return page, self.keeper.epoch

    async def _start(self, page: Page, plan: list[Unit], epoch: int, first: bool) -> dict[str, Any] | None:
        """What the page said of itself; None when another lane's recovery had taken the page (the
        collection that follows finds it gone). The window's lane lends from its first plan only."""
        sources = self.keeper.origin(self.number) + "probes.json"
        self.token = secrets.token_urlsafe(16)
        if self.number == 0 and first and self.keeper.lanes > 1:
            self.lending = Lending(self.token)
        try:
            return await _start(page, self._probes(plan), sources, self.token)
        except InfrastructureError:
            if self.keeper.epoch == epoch:
                raise
            return None

    async def _collect(self, page: Page, plan: list[Unit], remaining: dict[Unit, None]) -> Loss | None:
        lending = self.lending
        try:
            return await _collect(page, plan, self.timeouts, remaining, self.record, self.incident, lending)
        finally:
            if lending is not None:  # only the first plan lends
                lending.close()
                self.lending = None

    async def _borrow(self) -> list[Unit]:
        """Generated window probes the window's page lent this lane, or none."""
        lender = self.lender
        if lender is None or lender.lending is None:
            return []
        return await lender.lending.ask()

    async def _more(self, page: Page, plan: list[Unit], epoch: int, remaining: dict[Unit, None]) -> Loss | None:
        """Run the borrowed `plan` in this lane's page, which is done with its own."""
        try:
            await page.harness("more", {"token": self.token, "probes": self._probes(plan)})
        except PageLost as exc:
            return Loss("page-lost", valid_text(str(exc))[0])
        except InfrastructureError:
            if self.keeper.epoch == epoch:
                raise
            return Loss("page-lost", "another lane's recovery took the page")
        return await self._collect(page, plan, remaining)

    def _probes(self, plan: list[Unit]) -> dict[str, Any]:
        """The plan as the harness takes it: a generated window probe may be lent (`movable`)."""
        return plan_columns(plan, self.timeouts, isolated=self.isolated, movable=self.movable)

    async def _replace(self, page: Page) -> tuple[Page, str]:
        if self.number:
            await self.first_done.wait()
        return await self.keeper.replace_page(page, self.number)


def _blame(
    loss: Loss,
    action: str,
    unreported: list[Unit],
    searching: bool,
    sure: bool,
    remaining: dict[Unit, None],
    record: Callable[[Outcome], None],
    incident: Callable[[str], None],
) -> list[Unit]:
    """After a lost page: the one probe left unreported is the culprit; with more, they are the
    suspects, and so is the one when the page was lost while another lane's ran (not `sure`)."""
    if not sure:
        incident(
            f"{loss.describe()} while the window's probes ran in another page, with {len(unreported)} "
            f"unreported; {action}; running them again once those are done"
        )
        return unreported[: MAX_UNCOLLECTED + 1]
    if len(unreported) == 1:
        culprit = unreported[0]
        del remaining[culprit]
        record(loss.outcome(culprit, action))
        incident(f"{_named(culprit)}: {loss.describe()}; {action}")
        return []
    if not searching:
        incident(
            f"{loss.describe()} with {len(unreported)} probes unreported; {action}; "
            "running them in smaller groups, then one at a time, until one does it again"
        )
    return unreported[: MAX_UNCOLLECTED + 1]


def _next_plan(suspects: list[Unit], alone: int) -> list[Unit]:
    """What to run next while searching for a culprit: the first half of the suspects, or the first
    alone once at most `alone` are left."""
    if not suspects:
        return []
    return suspects[: len(suspects) // 2] if len(suspects) > alone else suspects[:1]


def _named(unit: Unit) -> str:
    probe, scope = unit
    return probe if scope == WINDOW else f"{probe} (in a {scope})"


async def _start(page: Page, probes: dict[str, Any], sources_url: str, token: str) -> dict[str, Any]:
    try:
        return await page.harness("start", {"sources_url": sources_url, "probes": probes, "token": token})
    except PageLost as exc:
        # Every plan starts in a fresh page, so no probe has run in it yet: this is not a probe's doing.
        raise InfrastructureError(f"the harness did not start: {exc}") from exc


async def _collect(
    page: Page,
    plan: list[Unit],
    timeouts: dict[str, int],
    remaining: dict[Unit, None],
    record: Callable[[Outcome], None],
    incident: Callable[[str], None],
    lending: Lending | None = None,
) -> Loss | None:
    """Collect the outcomes of `plan`; None when every probe reported, else how the page was lost.
    What the page lends when `lending` asks it to is no longer waited for here."""
    unreported = dict.fromkeys(plan)
    call: asyncio.Task[Any] | None = None
    carries = False  # the call asks the page to lend
    try:
        while unreported:
            # The harness answers only between probes, so a call may last the poll plus the running
            # probe's deadline; that probe is among the first MAX_UNCOLLECTED + 1 unreported.
            running = itertools.islice(unreported, MAX_UNCOLLECTED + 1)
            silent_limit = POLL_MS / 1000 + max(timeouts[pid] for pid, _ in running) / 1000 + HUNG_GRACE_S
            if call is None:
                call, carries = _next_call(page, lending)
            try:
                batch = await asyncio.wait_for(call, silent_limit)
            except asyncio.TimeoutError:
                return Loss("unresponsive", f"no answer for {silent_limit:.0f} s")
            except PageLost as exc:
                return Loss("page-lost", valid_text(str(exc))[0])
            problem = answer_problem(batch)
            if problem:
                return Loss("harness", problem)
            lent = take_lent(batch, unreported, remaining)
            if lent is None:
                return Loss("harness", "it lent probes that were not its to lend; a probe changed the harness page")
            if carries and lending is not None:
                lending.answered(lent)
            # When more outcomes are due, the next call goes out before this batch is read: the page
            # runs probes only inside a call, so it works while Python reads thousands of outcomes.
            # Never a call nobody waits for: a WebDriver page cannot take the next command then.
            due = len(unreported) - sum(1 for raw in batch["results"] if _unit_of(raw) in unreported)
            call, carries = _next_call(page, lending) if due and not batch["done"] else (None, False)
            loss = _take(batch, unreported, remaining, record, incident)
            if loss is not None:
                return loss
        return None
    finally:
        if call is not None and not call.done():
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, PageLost, InfrastructureError):
                await call


def _next_call(page: Page, lending: Lending | None) -> tuple[asyncio.Task[Any], bool]:
    """The next next() call, and whether it asks the page to lend."""
    question = lending.question() if lending is not None else None
    arg = POLL_MS if question is None else {"ms": POLL_MS, **question}
    return asyncio.ensure_future(page.harness("next", arg)), question is not None


def _take(
    batch: dict[str, Any],
    unreported: dict[Unit, None],
    remaining: dict[Unit, None],
    record: Callable[[Outcome], None],
    incident: Callable[[str], None],
) -> Loss | None:
    """Record a batch's outcomes; a Loss when the harness says it is done with some unreported."""
    for raw in batch["results"]:
        unit = _unit_of(raw)
        if unit in unreported:
            del unreported[unit]
            del remaining[unit]
            outcome, replaced = harness_outcome(raw)
            record(outcome)
            if replaced:
                incident(f"{_named(unit)}: {replaced_note(replaced)}")
    if batch["done"] and unreported:
        return Loss("harness", valid_text(batch.get("fatal") or "it reported no outcome for some probes")[0])
    return None


def _unit_of(raw: dict[str, Any]) -> Unit:
    return (raw["probe"], raw.get("scope") or WINDOW)


def _valid_report(report: Any) -> dict[str, Any] | None:
    """What the page said of itself at start (before any probe ran), with its text made valid."""
    if not isinstance(report, dict):
        return None
    return {key: valid_text(value)[0] if isinstance(value, str) else value for key, value in report.items()}


def outcome_from_harness(raw: dict[str, Any]) -> Outcome:
    """An outcome as the page reported it, in the results file's form (see harness_outcome)."""
    return harness_outcome(raw)[0]


def harness_outcome(raw: dict[str, Any]) -> tuple[Outcome, int]:
    """An outcome as the page reported it, in the results file's form: what a probe's code could put
    there (values, events, a line) is made into the types the file holds, and its text into valid
    Unicode. Also how many unpaired surrogates were replaced on the way (see valid_text)."""
    valid = ValidTexts()
    exception = raw.get("exception")
    line = raw.get("line")
    outcome = outcome_from_dict(
        {
            "probe": raw["probe"],
            "status": raw["status"],
            "reason": raw.get("reason"),
            "message": valid(raw.get("message")),
            "exception": {k: valid(exception.get(k)) for k in ("name", "message", "expected")} if exception else None,
            "values": {valid(str(k)): valid(str(v)) for k, v in (raw.get("values") or {}).items()},
            "events": [valid(str(e)) for e in raw.get("events") or []],
            "path": valid(str(raw["path"])) if raw.get("path") else None,
            "line": line if isinstance(line, int) and line > 0 else None,
            "scope": str(raw.get("scope") or WINDOW),
        }
    )
    return outcome, valid.replaced
