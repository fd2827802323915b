"""The culprit search of a round (run/rounds.py) and the recovery ladder (run/recovery.py), as logic.

A stand-in page plays the harness's part from a script of what each probe does (report, crash the
page, hang it, end unheard), so that every path of the search and of the ladder is taken on purpose.
What real browsers do when a probe hangs, closes or crashes its page is tested in real browsers
(test_hostile.py, test_isolation.py, test_faults.py); this file only checks the bookkeeping.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from compatprobe.browsers.session import InfrastructureError, PageLost
from compatprobe.probes.loader import Probe
from compatprobe.results.model import BrowserInfo, Outcome, Where
from compatprobe.run import lending, recovery, rounds
from compatprobe.run.harness import MAX_UNCOLLECTED, plan_columns
from compatprobe.run.recovery import BrowserKeeper, launch_within

URL = "http://127.0.0.1:1/"
SECOND = "http://localhost:1/"  # the second lane's origin
OK, CRASH, CRASH_ONCE, HANG, UNHEARD = "ok", "crash", "crash-once", "hang", "unheard"
# A probe that changes the harness page: it answers {} from then on, or says it is compromised.
MALFORMED, COMPROMISED = "malformed", "compromised"


async def forever() -> None:
    await asyncio.Event().wait()


async def as_scripted(does: str, failure: str) -> None:
    """What the script says a step does: fail with `failure`, hang, or succeed."""
    if does == "fails":
        raise InfrastructureError(failure)
    if does == HANG:
        await forever()


@dataclass
class Script:
    """What each probe does in the stand-in page, and what the pages and sessions were asked to do."""

    does: dict[str, str]
    batch: int = 1000  # outcomes the page keeps before the runner collects them; a crash loses them
    page_close: str = OK  # OK, "fails" or HANG
    reset: str = OK
    alive_after_loss: bool = True
    plans: list[list[str]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    crashed: set[str] = field(default_factory=set)
    step_s: float = 0.0  # how long each probe takes
    lanes: int = 1  # harness pages the session runs at once
    lent: list[list[str]] = field(default_factory=list)  # what each page lent, when asked
    lends_wrongly: bool = False  # a page lends a probe it was not given


def units_of(columns: dict[str, Any]) -> list[tuple[str, str]]:
    """The units of a plan as the harness reads its columns (core.js: unitsOf)."""
    return [(i, columns["scope_names"][s]) for i, s in zip(columns["ids"], columns["scopes"], strict=True)]


class StandInPage:
    """The harness's side of run_round: start(plan), then next() until done."""

    def __init__(self, script: Script, number: int) -> None:
        self.script = script
        self.number = number
        self.plan: list[str] = []
        self.position = 0
        self.lost = False
        self.broken = ""
        self.movable: set[str] = set()
        self.token = ""

    async def goto(self, url: str) -> None:
        assert url in (URL, SECOND)
        self.script.log.append(f"page {self.number}: goto" + (" the second origin" if url == SECOND else ""))
        self.origin = url

    async def harness(self, method: str, arg: Any) -> Any:
        if self.lost:
            raise PageLost("the page is gone")
        if method == "start":
            # A window probe by its id, a worker scope's as id@scope.
            self.plan = [i + ("" if s == "window" else f"@{s}") for i, s in units_of(arg["probes"])]
            lendable = zip(arg["probes"]["ids"], arg["probes"]["movable"], strict=True)
            self.movable = {i for i, movable in lendable if movable}
            self.token = arg["token"]
            self.script.plans.append(self.plan)
            assert arg["sources_url"] == self.origin + "probes.json"
            # A search that never ends fails here rather than hanging the test run.
            assert len(self.script.plans) <= 100, "the round started its 101st plan"
            return {"user_agent": "stand-in", "platform": "none"}
        if method == "more":
            assert arg["token"] == self.token and self.position >= len(self.plan)
            self.plan = [i for i, _ in units_of(arg["probes"])]
            self.position = 0
            self.script.plans.append(["more", *self.plan])
            return True
        assert method == "next"
        if isinstance(arg, dict):
            return self.lend(arg)
        if self.broken == MALFORMED:
            return {}
        if self.broken == COMPROMISED:
            return {"compromised": "it found its own page changed (the global object: Promise)", "done": True}
        results: list[dict[str, Any]] = []
        while self.position < len(self.plan) and len(results) < self.script.batch:
            probe = self.plan[self.position]
            self.position += 1
            if self.script.step_s:
                await asyncio.sleep(self.script.step_s)
                if self.lost:
                    raise PageLost("the page is gone")
            does = self.script.does.get(probe, OK)
            if does == CRASH or (does == CRASH_ONCE and probe not in self.script.crashed):
                self.script.crashed.add(probe)
                self.lost = True
                if not self.script.alive_after_loss:
                    self.script.log.append("browser gone")
                raise PageLost("the page crashed")
            if does == HANG:
                await forever()
            if does in (MALFORMED, COMPROMISED):
                self.broken = does
                # What the page held back is never handed over; the next answer is the broken one.
                return {"results": results[: len(results) // 2], "done": False}
            if does != UNHEARD:
                name, _, scope = probe.partition("@")
                results.append({"probe": name, "status": "supported", "scope": scope or "window"})
        return {"results": results, "done": self.position >= len(self.plan)}

    def lend(self, arg: dict[str, Any]) -> dict[str, Any]:
        """As core.js's lend(): the last `lend` share of the movable probes not started."""
        assert arg["token"] == self.token
        first = len(self.plan)
        while first > self.position and self.plan[first - 1] in self.movable:
            first -= 1
        count = math.floor((len(self.plan) - first) * arg["lend"])
        lent = self.plan[len(self.plan) - count :] if count >= arg["least"] else []
        self.plan = self.plan[: len(self.plan) - len(lent)]
        self.script.lent.append(lent)
        if self.script.lends_wrongly:
            lent = [*lent, "p999"]
        return {"results": [], "done": False, "lent": [[p, "window"] for p in lent]}

    async def bring_to_front(self) -> None:
        self.script.log.append(f"page {self.number}: front")

    async def close(self) -> None:
        self.script.log.append(f"page {self.number}: close")
        await as_scripted(self.script.page_close, "could not close the page")


class StandInSession:
    def __init__(self, script: Script, number: int = 1) -> None:
        self.script = script
        self.number = number
        self.pages = 0
        self.opened: list[StandInPage] = []
        self.browser = BrowserInfo("Stand-in", "1")
        self.launch: dict[str, Any] = {"via": "stand-in"}
        self.where = Where(kind="local")
        self.lanes = script.lanes

    async def new_page(self) -> StandInPage:
        self.pages += 1
        self.opened.append(StandInPage(self.script, self.pages))
        return self.opened[-1]

    async def alive(self) -> bool:
        return "browser gone" not in self.script.log

    async def reset(self) -> None:
        self.script.log.append(f"session {self.number}: reset")
        for page in self.opened:  # a context's pages go with it
            page.lost = True
        await as_scripted(self.script.reset, "could not open a new browser context")

    async def close(self) -> None:
        self.script.log.append(f"session {self.number}: close")


def probe(name: str, timeout_ms: int | None = None, generated: bool = False) -> Probe:
    made = "stand-in data" if generated else None
    return Probe(name, Path(f"{name}.js"), f"api.Test.{name}", name, "", timeout_ms=timeout_ms, generated=made)


@dataclass
class Round:
    outcomes: dict[str, Outcome]
    incidents: list[str]
    report: dict[str, Any] | None


def keeper_for(script: Script) -> tuple[BrowserKeeper, list[StandInSession]]:
    sessions = [StandInSession(script)]

    async def launch() -> StandInSession:
        sessions.append(StandInSession(script, len(sessions) + 1))
        script.log.append(f"session {len(sessions)}: launched")
        return sessions[-1]

    return BrowserKeeper(sessions[0], launch, (URL, SECOND)), sessions


def run(
    script: Script,
    names: list[str],
    timeout_ms: int = 5000,
    workers: tuple[str, ...] = (),
    generated: tuple[str, ...] = (),
) -> Round:
    """A round of the probes `names` (those in `generated` generated), each in the window and, for
    those in `workers`, in a worker too (its outcome keyed name@worker)."""
    keeper, _ = keeper_for(script)
    outcomes: dict[str, Outcome] = {}
    incidents: list[str] = []

    def record(outcome: Outcome) -> None:
        key = outcome.probe + ("" if outcome.scope == "window" else f"@{outcome.scope}")
        assert key not in outcomes, f"{key} recorded twice"
        outcomes[key] = outcome

    def scopes(p: Probe) -> tuple[str, ...]:
        return ("window", "worker") if p.id in workers else ("window",)

    report = asyncio.run(
        rounds.run_round(
            keeper,
            [probe(n, generated=n in generated) for n in names],
            timeout_ms,
            record=record,
            incident=incidents.append,
            scopes=scopes,
        )
    )
    return Round(outcomes, incidents, report)


def names(count: int) -> list[str]:
    return [f"p{i:03}" for i in range(count)]


def test_a_clean_round_is_one_plan_in_one_page() -> None:
    script = Script({})
    got = run(script, names(5))
    assert script.plans == [names(5)]
    assert {p: o.status for p, o in got.outcomes.items()} == dict.fromkeys(names(5), "supported")
    assert got.incidents == [] and got.report == {"user_agent": "stand-in", "platform": "none"}
    assert script.log == ["page 1: goto", "page 1: close"]


def test_the_culprit_is_found_among_the_unreported_by_running_each_alone() -> None:
    # p002 crashes the page before the outcomes of p000 and p001 were collected: all five are suspects.
    script = Script({"p002": CRASH})
    got = run(script, names(5))
    assert script.plans == [names(5), ["p000"], ["p001"], ["p002"], ["p003", "p004"]]
    culprit = got.outcomes.pop("p002")
    assert (culprit.status, culprit.reason) == ("error", "page-lost")
    assert culprit.message == "the harness page was lost (the page crashed) while this probe ran; the page was replaced"
    assert {o.status for o in got.outcomes.values()} == {"supported"} and len(got.outcomes) == 4
    assert got.incidents == [
        "the harness page was lost (the page crashed) with 5 probes unreported; the page was replaced; "
        "running them in smaller groups, then one at a time, until one does it again",
        "p002: the harness page was lost (the page crashed); the page was replaced",
    ]


def test_probes_already_reported_are_not_suspects() -> None:
    script = Script({"p001": CRASH}, batch=1)  # p000's outcome is collected before p001 runs
    got = run(script, names(4))
    assert script.plans == [names(4), ["p001"], ["p002", "p003"]]
    assert got.outcomes["p001"].reason == "page-lost"
    assert [o.status for p, o in sorted(got.outcomes.items()) if p != "p001"] == ["supported"] * 3


def test_a_lone_unreported_probe_is_the_culprit_at_once() -> None:
    script = Script({"p003": CRASH}, batch=1)
    got = run(script, names(4))
    assert script.plans == [names(4)]  # nothing to search: p003 was the only one unheard of
    assert got.outcomes["p003"].reason == "page-lost"
    assert got.incidents == ["p003: the harness page was lost (the page crashed); the page was replaced"]


def test_only_as_many_suspects_as_the_harness_can_leave_uncollected() -> None:
    # The page is lost once and never again: nobody is to blame. The harness holds at most
    # MAX_UNCOLLECTED outcomes, so only the first MAX_UNCOLLECTED + 1 unreported probes are suspects.
    everyone = names(MAX_UNCOLLECTED + 6)
    script = Script({"p001": CRASH_ONCE})
    got = run(script, everyone)
    suspects = everyone[: MAX_UNCOLLECTED + 1]
    assert script.plans[0] == everyone and script.plans[-1] == everyone[MAX_UNCOLLECTED + 1 :]
    searched = script.plans[1:-1]
    # Each suspect ran once more, in the order they ran, in halves and then alone: a few pages, not one each.
    assert [u for plan in searched for u in plan] == suspects
    assert [len(plan) for plan in searched[:2]] == [len(suspects) // 2, (len(suspects) - len(suspects) // 2) // 2]
    sizes = [len(plan) for plan in searched]
    assert sizes == sorted(sizes, reverse=True) and 1 <= sizes.count(1) <= rounds.ALONE
    assert len(searched) <= math.ceil(math.log2(len(suspects))) + rounds.ALONE
    assert {o.status for o in got.outcomes.values()} == {"supported"} and len(got.outcomes) == len(everyone)
    assert len(got.incidents) == 1


def test_a_culprit_among_many_suspects_is_found_by_halving() -> None:
    everyone = names(MAX_UNCOLLECTED + 6)
    script = Script({"p700": CRASH})
    got = run(script, everyone)
    culprit = got.outcomes.pop("p700")
    assert (culprit.status, culprit.reason) == ("error", "page-lost")
    assert {o.status for o in got.outcomes.values()} == {"supported"} and len(got.outcomes) == len(everyone) - 1
    # Every plan that lost its page held p700; the search took about log2(suspects) pages.
    lost = [plan for plan in script.plans if "p700" in plan]
    assert lost[-1] == ["p700"] and len(script.plans) <= 2 + math.ceil(math.log2(MAX_UNCOLLECTED + 1)) + rounds.ALONE
    assert got.incidents[-1] == "p700: the harness page was lost (the page crashed); the page was replaced"
    assert len(got.incidents) == 2


def test_a_page_that_stops_answering_blames_the_probe_as_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rounds, "POLL_MS", 1)
    monkeypatch.setattr(rounds, "HUNG_GRACE_S", 0.0)
    script = Script({"p001": HANG})
    got = run(script, names(3), timeout_ms=10)
    assert script.plans == [names(3), ["p000"], ["p001"], ["p002"]]
    hung = got.outcomes["p001"]
    assert (hung.status, hung.reason) == ("timeout", "unresponsive")
    assert hung.message and hung.message.startswith("the page stopped responding (no answer for 0 s) while this probe")
    assert got.outcomes["p000"].status == got.outcomes["p002"].status == "supported"


def test_a_probe_the_harness_never_reported_is_blamed_on_the_harness() -> None:
    script = Script({"p001": UNHEARD})
    got = run(script, names(3))
    assert script.plans == [names(3)]
    lost = got.outcomes["p001"]
    assert (lost.status, lost.reason) == ("error", "harness")
    assert lost.message == (
        "the harness stopped (it reported no outcome for some probes) while this probe ran; the page was replaced"
    )


def test_a_browser_that_went_away_ends_the_round_without_blaming_a_probe() -> None:
    script = Script({"p001": CRASH}, alive_after_loss=False)
    with pytest.raises(InfrastructureError, match=r"^the browser went away: the harness page was lost"):
        run(script, names(3))
    assert script.plans == [names(3)]


def test_a_harness_that_does_not_start_is_not_a_probe_s_doing() -> None:
    class Unstartable(StandInPage):
        async def harness(self, method: str, arg: Any) -> Any:
            raise PageLost("the page shows about:blank")

    script = Script({})
    keeper, sessions = keeper_for(script)

    async def new_page() -> StandInPage:
        return Unstartable(script, 1)

    sessions[0].new_page = new_page  # type: ignore[method-assign]
    recorded: list[Outcome] = []
    incidents: list[str] = []
    with pytest.raises(InfrastructureError, match=r"^the harness did not start: the page shows about:blank$"):
        asyncio.run(rounds.run_round(keeper, [probe("a")], 5000, record=recorded.append, incident=incidents.append))
    assert recorded == [] and incidents == []


def test_the_search_goes_on_when_the_lost_page_would_not_close() -> None:
    script = Script({"p001": CRASH}, page_close="fails")
    got = run(script, names(2), timeout_ms=5000)
    assert got.outcomes["p001"].message == (
        "the harness page was lost (the page crashed) while this probe ran; "
        "the page would not close, so a new browser context was opened"
    )
    assert got.outcomes["p000"].status == "supported"


# The ladder: close the page; else drop the browsing context; else restart the browser.


def replace(script: Script) -> tuple[str, BrowserKeeper, list[StandInSession], StandInPage]:
    keeper, sessions = keeper_for(script)

    async def go() -> tuple[str, StandInPage]:
        page = await keeper.open_page()
        new, action = await keeper.replace_page(page)
        assert isinstance(new, StandInPage)
        return action, new

    action, new = asyncio.run(go())
    return action, keeper, sessions, new


def test_a_page_that_closes_is_replaced_in_the_same_context() -> None:
    script = Script({})
    action, keeper, sessions, new = replace(script)
    assert action == "the page was replaced"
    assert script.log == ["page 1: goto", "page 1: close", "page 2: goto"]
    assert new.number == 2 and not new.lost
    assert keeper.session is sessions[0] and len(sessions) == 1


@pytest.mark.parametrize("close", ["fails", HANG])
def test_a_page_that_will_not_close_costs_the_context(monkeypatch: pytest.MonkeyPatch, close: str) -> None:
    monkeypatch.setattr(recovery, "PAGE_CLOSE_S", 0.01)
    script = Script({}, page_close=close)
    action, keeper, sessions, _ = replace(script)
    assert action == "the page would not close, so a new browser context was opened"
    assert script.log == ["page 1: goto", "page 1: close", "session 1: reset", "page 2: goto"]
    assert keeper.session is sessions[0] and len(sessions) == 1


@pytest.mark.parametrize("reset", ["fails", HANG])
def test_a_context_that_will_not_go_costs_the_browser(monkeypatch: pytest.MonkeyPatch, reset: str) -> None:
    monkeypatch.setattr(recovery, "CONTEXT_RESET_S", 0.01)
    script = Script({}, page_close="fails", reset=reset)
    action, keeper, sessions, new = replace(script)
    assert action == "the page would not close, so the browser was restarted"
    assert script.log == [
        "page 1: goto",
        "page 1: close",
        "session 1: reset",
        "session 1: close",
        "session 2: launched",
        "page 1: goto",  # the first page of the new browser
    ]
    assert keeper.session is sessions[1] and len(sessions) == 2 and sessions[1].pages == new.number == 1


def test_a_browser_that_will_not_close_is_left_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recovery, "BROWSER_CLOSE_S", 0.01)
    script = Script({})
    session = StandInSession(script)

    async def close() -> None:
        script.log.append("session 1: close")
        await forever()

    session.close = close  # type: ignore[method-assign]
    asyncio.run(recovery.close_quietly(session))  # returns, giving up on it
    assert script.log == ["session 1: close"]


def test_a_launch_that_hangs_is_an_infrastructure_error() -> None:
    async def launch() -> StandInSession:
        await forever()
        raise AssertionError("unreachable")

    with pytest.raises(InfrastructureError, match=r"^the browser did not start within 0 s$"):
        asyncio.run(launch_within(launch, seconds=0.01))


@pytest.mark.parametrize("close", ["fails", HANG])
def test_closing_a_page_at_the_end_of_a_round_never_raises(monkeypatch: pytest.MonkeyPatch, close: str) -> None:
    monkeypatch.setattr(recovery, "PAGE_CLOSE_S", 0.01)
    script = Script({}, page_close=close)
    keeper, _ = keeper_for(script)

    async def go() -> None:
        await keeper.close_page(await keeper.open_page())

    asyncio.run(go())
    assert script.log == ["page 1: goto", "page 1: close"]


@pytest.mark.parametrize("how", [MALFORMED, COMPROMISED])
def test_a_probe_that_breaks_the_harness_answers_is_blamed_alone(how: str) -> None:
    # Once p005 ran, the page answers {} (or that it was changed): no KeyError, no lost run.
    got = run(Script({"p005": how}), names(12))
    assert set(got.outcomes) == set(names(12))
    culprit = got.outcomes["p005"]
    assert (culprit.status, culprit.reason) == ("error", "harness")
    if how == MALFORMED:
        assert culprit.message == (
            "the harness stopped (it answered an object instead of its outcomes; a probe changed the harness page) "
            "while this probe ran; the page was replaced"
        )
    else:
        assert culprit.message == (
            "the harness stopped (it found its own page changed (the global object: Promise), by a probe) "
            "while this probe ran; the page was replaced"
        )
    assert all(got.outcomes[p].status == "supported" for p in names(12) if p != "p005")


def test_after_a_hang_more_suspects_run_alone_than_after_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hung page costs a deadline each time it is lost; a crashed one costs a new page.
    monkeypatch.setattr(rounds, "POLL_MS", 1)
    monkeypatch.setattr(rounds, "HUNG_GRACE_S", 0.0)
    everyone = names(20)
    hung = Script({"p003": HANG})
    run(hung, everyone, timeout_ms=10)
    assert hung.plans[1:5] == [["p000"], ["p001"], ["p002"], ["p003"]]
    assert [plan for plan in hung.plans if "p003" in plan] == [everyone, ["p003"]]
    crashed = Script({"p003": CRASH})
    run(crashed, everyone)
    assert crashed.plans[1] == everyone[:10] and ["p003"] in crashed.plans
    assert len([plan for plan in crashed.plans if "p003" in plan]) > 2


# Lanes: with a session that runs two pages at once, the workers' probes run in a page of their own.


def test_workers_run_in_a_second_lane_on_the_second_origin() -> None:
    script = Script({}, lanes=2)
    got = run(script, names(3), workers=("p001", "p002"))
    assert sorted(script.plans) == [names(3), ["p001@worker", "p002@worker"]]
    # Both pages open at once; then the window's is brought to the front, before any probe runs.
    assert (
        sorted(script.log[:2]) == ["page 1: goto", "page 2: goto the second origin"]
        and script.log[2] == "page 1: front"
    )
    assert {k: o.status for k, o in got.outcomes.items()} == dict.fromkeys(
        [*names(3), "p001@worker", "p002@worker"], "supported"
    )
    assert got.report == {"user_agent": "stand-in", "platform": "none"} and got.incidents == []
    one = Script({})
    run(one, names(3), workers=("p001", "p002"))
    assert one.plans == [[*names(3), "p001@worker", "p002@worker"]]


def test_the_workers_lane_also_runs_the_last_share_of_the_generated_window_probes() -> None:
    # p000-p003 are hand-written: they stay in the window's page, which has the focus. Of the twelve
    # generated ones, the last GENERATED_SHARE run in the workers' page, before its workers.
    script = Script({}, lanes=2)
    generated = tuple(names(16)[4:])
    moved = int(len(generated) * rounds.GENERATED_SHARE)
    assert moved > 0
    got = run(script, names(16), workers=("p001",), generated=generated)
    assert sorted(script.plans) == [names(16 - moved), [*names(16)[16 - moved :], "p001@worker"]]
    assert {k: o.status for k, o in got.outcomes.items()} == dict.fromkeys([*names(16), "p001@worker"], "supported")
    # With no worker to run, the window's probes keep one page.
    alone = Script({}, lanes=2)
    run(alone, names(16), generated=generated)
    assert alone.plans == [names(16)]


def test_a_second_lane_page_lost_while_the_window_s_probes_run_convicts_no_probe() -> None:
    # p001's worker page is lost once, while the window's probes still run: that alone says nothing
    # of p001, so it runs again once they are done, in a page opened then.
    script = Script({"p001@worker": CRASH_ONCE}, lanes=2, step_s=0.01)
    got = run(script, names(20), workers=("p001",))
    assert got.outcomes["p001@worker"].status == "supported" and len(got.outcomes) == 21
    assert got.incidents == [
        "the harness page was lost (the page crashed) while the window's probes ran in another page, with 1 "
        "unreported; the page was replaced; running them again once those are done"
    ]
    assert script.plans[-1] == ["p001@worker"]
    # The workers' page (2) is replaced once the window's (1) is done.
    assert script.log.index("page 1: close") < script.log.index("page 2: close")


def test_a_second_lane_probe_that_loses_its_page_again_is_the_culprit() -> None:
    script = Script({"p001@worker": CRASH}, lanes=2, step_s=0.01)
    got = run(script, names(20), workers=("p001",))
    culprit = got.outcomes["p001@worker"]
    assert (culprit.status, culprit.reason) == ("error", "page-lost")
    assert got.incidents[-1] == (
        "p001 (in a worker): the harness page was lost (the page crashed); the page was replaced"
    )
    assert all(o.status == "supported" for k, o in got.outcomes.items() if k != "p001@worker")


def test_a_context_reset_by_the_window_lane_blames_nothing_in_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    # p000 crashes the window's page, which will not close: the context goes, and the workers' page with it.
    monkeypatch.setattr(recovery, "PAGE_CLOSE_S", 0.01)
    script = Script({"p000": CRASH}, lanes=2, step_s=0.01, page_close="fails")
    got = run(script, names(10), workers=tuple(names(10)))
    assert (got.outcomes["p000"].status, got.outcomes["p000"].reason) == ("error", "page-lost")
    assert all(o.status == "supported" for k, o in got.outcomes.items() if k != "p000") and len(got.outcomes) == 20
    assert "session 1: reset" in script.log
    assert not [i for i in got.incidents if "worker" in i or "another page" in i]


def test_lanes_whose_pages_do_not_open_restart_the_browser_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Both lanes' first pages time out together: one restart serves both, not one each.
    script = Script({}, lanes=2)
    keeper, sessions = keeper_for(script)
    keeper._open_s = 0.05

    async def stuck() -> StandInPage:
        await forever()
        raise AssertionError("unreachable")

    sessions[0].new_page = stuck  # type: ignore[method-assign]
    incidents: list[str] = []
    keeper._incident = incidents.append
    outcomes: list[Outcome] = []

    def scopes(p: Probe) -> tuple[str, ...]:
        return ("window", "worker")

    asyncio.run(
        rounds.run_round(keeper, [probe("a")], 5000, record=outcomes.append, incident=incidents.append, scopes=scopes)
    )
    assert [line for line in script.log if "session" in line] == ["session 1: close", "session 2: launched"]
    assert len(sessions) == 2 and keeper.epoch == 1 and len(outcomes) == 2


def lending_round(does: dict[str, str], **script: Any) -> tuple[Script, Round, list[str]]:
    """Four hand-written probes and 600 generated ones in two lanes, the window's the slower."""
    every = names(604)
    generated = tuple(every[4:])
    made = Script(does, lanes=2, step_s=0.001, batch=20, **script)
    return made, run(made, every, workers=("p001",), generated=generated), every


def test_a_lane_done_first_borrows_the_window_s_generated_probes_not_yet_started() -> None:
    script, got, every = lending_round({})
    lent = script.lent[0]
    # The last of the window's page's generated probes, half of those it had not started, run once
    # in the workers' page; the hand-written ones (p000-p003) never leave the window's.
    window = script.plans[0]
    assert window[:4] == every[:4] and len(lent) >= lending.LEND_LEAST and lent == window[len(window) - len(lent) :]
    assert ["more", *lent] in script.plans
    assert {k: o.status for k, o in got.outcomes.items()} == dict.fromkeys([*every, "p001@worker"], "supported")
    assert got.incidents == []


def test_a_page_that_lends_a_probe_it_was_not_given_is_a_harness_fault() -> None:
    script, got, every = lending_round({}, lends_wrongly=True)
    assert script.lent and "p999" not in got.outcomes
    assert got.incidents[0].startswith("the harness stopped (it lent probes that were not its to lend; a probe")
    # Found again in fresh pages, which lend nothing more: every probe once, as it ran there.
    assert {k: o.status for k, o in got.outcomes.items()} == dict.fromkeys([*every, "p001@worker"], "supported")


def test_a_borrowed_probe_that_loses_the_page_once_is_run_again_and_not_twice() -> None:
    script, got, every = lending_round({"p403": CRASH_ONCE})
    assert "p403" in script.lent[0] and "p403" in script.crashed
    assert {k: o.status for k, o in got.outcomes.items()} == dict.fromkeys([*every, "p001@worker"], "supported")


def test_a_plan_crosses_in_columns() -> None:
    """What core.js's unitsOf reads back as one object per unit: only a window unit is ever lent."""
    units = [("a", "window"), ("b", "worker"), ("b", "window"), ("c", "serviceworker")]
    columns = plan_columns(units, {"a": 100, "b": 200, "c": 300}, isolated={"c"}, movable={"a", "b", "c"})
    assert units_of(columns) == units
    assert columns["timeout_ms"] == [100, 200, 200, 300]
    assert columns["isolate"] == [0, 0, 0, 1]
    assert columns["movable"] == [1, 0, 1, 0]
