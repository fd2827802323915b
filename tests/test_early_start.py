"""Browsers that start while the plan is still being made (api.Planning, issue #26): the run is the
same, and bad input or a signal found meanwhile still ends in the same error with every browser and
driver closed, nothing written and no thread of the plan left."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from compatprobe import api
from compatprobe.errors import InputError
from compatprobe.run.interrupts import Interrupted, signals_interrupt
from conftest import ROOT, cli
from processes import Proc, still_running, watched

pytestmark = pytest.mark.browsers

PROBES = ["RTCPeerConnection/exists", "RTCPeerConnection/removeStream/*"]
T = TypeVar("T")


def chromium_in(seen: set[Proc], kind: str | None = None) -> bool:
    """Whether Chromium's main process (or, with `kind` "renderer", a page's process) is among `seen`."""
    if kind == "renderer":  # its zygote rewrites a renderer's command line into one string
        return any("--renderer-client-id=" in " ".join(p.argv) for p in seen)
    return any(p.name in ("chromium", "chrome") and not any(a.startswith("--type=") for a in p.argv) for p in seen)


def once_chromium_runs(seen: set[Proc], then: Callable[[], T], kind: str | None = None) -> Callable[[], T]:
    """A function for the plan's thread that waits until the run's Chromium is up (or has a process
    of `kind`), so that what it does next happens while a browser runs, whatever the machine's speed."""

    def wait() -> T:
        for _ in range(1200):
            if chromium_in(seen, kind):
                return then()
            time.sleep(0.05)
        raise AssertionError(f"Chromium ({kind or 'browser'}) never started while the plan was made")

    return wait


def no_plan_thread() -> bool:
    return not any(t.name.startswith("compatprobe-plan") for t in threading.enumerate())


def test_the_same_run_with_the_browser_started_first() -> None:
    chosen = api.targets(ROOT / "matrix.yaml", browsers=["chromium"])
    with watched() as seen:
        early = api.execute(api.Planning(chosen, once_chromium_runs(seen, lambda: api.plan(chosen, probes=PROBES))))
    late = api.execute(api.plan(ROOT / "matrix.yaml", browsers=["chromium"], probes=PROBES))
    assert no_plan_thread()
    assert [t.status for t in early.targets] == ["ok"]
    assert [p.id for p in early.probes] == [p.id for p in late.probes]
    assert outcomes(early) == outcomes(late) and len(outcomes(early)) == len(early.probes) > 1
    assert still_running(seen) == []


def outcomes(results: api.Results) -> list[tuple[str, str, str, str | None]]:
    return [(o.probe, o.scope, o.status, o.reason) for t in results.targets for o in t.outcomes]


def bad() -> NoReturn:
    raise InputError("feature pattern 'api.Nothing*' matches no feature")


def test_bad_input_found_after_the_browser_started_closes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found while Chromium is being launched (its process runs, Playwright's launch has not
    returned): the launch ends and the browser is closed, so that nothing is left behind, neither a
    process nor what Chromium and Playwright's driver made in the temporary folder (a browser
    killed as it started left its folder there, each time)."""
    # A short path of its own: under a long one (pytest's tmp_path) Chromium keeps its singleton
    # socket in a folder of its own, and leaves that folder even when it closes normally.
    temporary = Path(tempfile.mkdtemp(prefix="cp-"))
    monkeypatch.setenv("TMPDIR", str(temporary))  # for Playwright's driver and Chromium, started below
    try:
        chosen = api.targets(ROOT / "matrix.yaml", browsers=["chromium"])
        with watched() as seen, pytest.raises(InputError, match="matches no feature"):
            api.execute(api.Planning(chosen, once_chromium_runs(seen, bad)))
        assert chromium_in(seen) and any(p.name == "node" for p in seen), seen  # the driver and the browser ran
        assert still_running(seen) == []
        assert no_plan_thread()
        assert sorted(p.name for p in temporary.iterdir()) == []
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def test_a_target_whose_cancellation_was_lost_still_ends_when_the_plan_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python 3.11's wait_for returns a launch that ends just as its task is cancelled, and the
    cancellation is lost (a CI run hung on the test above, its target waiting for probes that
    would never come). Here the target's start swallows the cancellation itself: the run still
    raises the plan's error, and closes the session that start gave."""
    import asyncio

    from compatprobe.config.matrix import load_matrix
    from compatprobe.run import runner

    closed: list[str] = []

    class Started:
        async def close(self) -> None:
            closed.append("closed")

    async def swallowing_start(*args: object) -> Started:
        with contextlib.suppress(asyncio.CancelledError):  # lost on the way, as wait_for loses it
            await asyncio.sleep(30)
        return Started()

    async def failing_plan() -> list[object]:
        await asyncio.sleep(0.2)
        bad()

    async def run() -> object:
        matrix = load_matrix(ROOT / "matrix.yaml")
        return await asyncio.wait_for(runner.run_probes(matrix, failing_plan, target_names=["chromium"]), 15)

    monkeypatch.setattr(runner, "_start", swallowing_start)
    with pytest.raises(InputError, match="matches no feature"):
        asyncio.run(run())
    assert closed == ["closed"]


def test_bad_data_found_while_the_probes_run_stops_them() -> None:
    """The data loads while the probes run: its error stops the run and closes the browser."""
    chosen = api.targets(ROOT / "matrix.yaml", browsers=["chromium"])
    with watched() as seen, pytest.raises(InputError, match="matches no feature"):
        planning = api.Planning(chosen, lambda: api.plan(chosen, probes=PROBES), lambda planned: wait_then_bad())
        wait_then_bad = once_chromium_runs(seen, bad, kind="renderer")  # a page of the harness is open
        api.execute(planning)
    assert still_running(seen) == []
    assert no_plan_thread()


def test_a_signal_while_the_plan_is_made_closes_everything() -> None:
    chosen = api.targets(ROOT / "matrix.yaml", browsers=["chromium"])

    def signalled() -> api.Plan:
        os.kill(os.getpid(), signal.SIGTERM)
        return api.plan(chosen, probes=PROBES)

    with watched() as seen, pytest.raises(Interrupted) as info, signals_interrupt():
        api.execute(api.Planning(chosen, once_chromium_runs(seen, signalled)))
    assert info.value.exit_code == 143 and info.value.partial is None
    assert chromium_in(seen)
    assert still_running(seen) == []
    assert no_plan_thread()


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        # Found while the probes run (the data loads then), as the previous file is.
        (["--bcd", "{tmp}/missing.json"], "missing.json: BCD file not found"),
        (["-f", "api.NoSuchInterface*"], "feature pattern 'api.NoSuchInterface*' matches no feature"),
        (["--compare", "{tmp}/previous.json"], "previous.json"),
    ],
)
def test_bad_input_of_a_generated_run(pinned_cache: Path, tmp_path: Path, flags: list[str], says: str) -> None:
    """The error a user sees is the one they saw when it was found before any browser started: one
    line, exit 2, nothing written, no process left."""
    (tmp_path / "previous.json").write_text("{not json")
    out = tmp_path / "out"
    given = [flag.format(tmp=tmp_path) for flag in flags]
    temporary = Path(tempfile.mkdtemp(prefix="cp-"))  # short: see the test above
    try:
        with watched() as seen:
            proc = cli(
                "run", "-f", "api.Clipboard.readText", *given, "-b", "chromium", "-q",
                "--results", str(out / "results.json"), "-o", str(out / "index.html"),
                env={"TMPDIR": str(temporary)},
            )  # fmt: skip
        left = sorted(p.name for p in temporary.iterdir())
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("compatprobe: error: "), proc.stderr
    assert says in proc.stderr
    assert not out.exists()
    assert still_running(seen) == []
    assert no_plan_thread()
    assert left == [], "nothing of the browser's is left in the temporary folder"
