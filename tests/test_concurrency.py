"""How many targets run at once, and retrying a browser's start after an infrastructure failure."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from compatprobe.browsers.session import InfrastructureError
from compatprobe.config.matrix import Matrix, PlaywrightLaunch, TargetSpec
from compatprobe.results.model import TargetResult
from compatprobe.run.concurrency import Limits, Slots, limits_for
from compatprobe.run.progress import Progress
from compatprobe.run.retry import retries_for, start_with_retries
from conftest import ROOT, cli


def test_limits() -> None:
    assert limits_for(8, None, cpus=2) == Limits(total=8, local=2)
    assert limits_for(1, None, cpus=2) == Limits(total=1, local=1)
    assert limits_for(8, 5, cpus=2) == Limits(total=8, local=5)


def test_slots_hold_local_and_total_limits() -> None:
    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        slots = Slots(Limits(total=3, local=1))
        inside = {"local": 0, "remote": 0}
        peak = {"local": 0, "remote": 0, "total": 0}
        gate = asyncio.Event()

        async def job(kind: str) -> None:
            async with slots.take(kind == "remote"):
                inside[kind] += 1
                peak[kind] = max(peak[kind], inside[kind])
                peak["total"] = max(peak["total"], sum(inside.values()))
                await gate.wait()
                inside[kind] -= 1

        tasks = [asyncio.create_task(job(kind)) for kind in ("local", "local", "remote", "remote", "remote")]
        for _ in range(20):
            await asyncio.sleep(0)
        # A local job waiting for the one local slot must not keep a remote job from a free general one.
        settled = dict(inside)
        gate.set()
        await asyncio.gather(*tasks)
        return settled, peak

    settled, peak = asyncio.run(scenario())
    assert settled == {"local": 1, "remote": 2}
    assert peak == {"local": 1, "remote": 2, "total": 3}


def test_retries_default_by_kind_and_can_be_overridden() -> None:
    spec = TargetSpec("t", "chromium", (PlaywrightLaunch(),), line=1)
    matrix = Matrix(Path("m.yaml"), Path("probes"), ("*",), (spec,))
    assert retries_for(spec, matrix, remote=True) == 2
    assert retries_for(spec, matrix, remote=False) == 0
    with_matrix = Matrix(Path("m.yaml"), Path("probes"), ("*",), (spec,), retries=4)
    assert retries_for(spec, with_matrix, remote=False) == 4
    own = TargetSpec("t", "chromium", (PlaywrightLaunch(),), line=1, retries=1)
    assert retries_for(own, with_matrix, remote=True) == 1
    assert retries_for(own, with_matrix, remote=True, override=0) == 0


def test_start_is_retried_and_every_failure_recorded() -> None:
    failures = ["connection refused", "session not created"]

    async def start() -> str:
        if failures:
            raise InfrastructureError(failures.pop(0))
        return "session"

    result = TargetResult("grid", "webkit")
    stream = io.StringIO()
    session = asyncio.run(
        start_with_retries(start, retries=2, timeout_s=60, result=result, progress=Progress(stream), first_delay_s=0)
    )
    assert session == "session"
    assert result.attempts == 3
    assert result.attempt_errors == ["connection refused", "session not created"]
    assert "grid: attempt 1 of 3 failed (connection refused)" in stream.getvalue()
    assert "grid: attempt 2 of 3 failed (session not created)" in stream.getvalue()


def test_a_start_that_hangs_ends_as_an_infrastructure_error() -> None:
    async def start() -> None:
        await asyncio.Event().wait()

    result = TargetResult("grid", "webkit")
    with pytest.raises(InfrastructureError, match=r"did not start within 0 s \(after 2 attempts\)"):
        asyncio.run(
            start_with_retries(
                start, retries=1, timeout_s=0.01, result=result, progress=Progress(None), first_delay_s=0
            )
        )
    assert result.attempts == 2 and len(result.attempt_errors or []) == 2


@pytest.mark.browsers
def test_concurrency_one_runs_targets_one_after_another(tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(
        f"probes_dir: {ROOT / 'probes'}\ntargets:\n"
        + "".join(
            f"  - name: {name}\n    engine: chromium\n    use: [playwright: {{executable: /usr/bin/chromium}}]\n"
            for name in ("first", "second")
        )
    )
    proc = cli(
        "run",
        "-m",
        str(matrix),
        "-p",
        "RTCPeerConnection/exists",
        "--concurrency",
        "1",
        "--results",
        str(tmp_path / "r.json"),
        "-o",
        str(tmp_path / "i.html"),
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    first_done = next(i for i, line in enumerate(lines) if line.startswith("compatprobe: first: ok"))
    second_started = next(i for i, line in enumerate(lines) if line.startswith("compatprobe: second: started"))
    assert first_done < second_started


def test_concurrency_flag_is_checked(tmp_path: Path) -> None:
    proc = cli("run", "--concurrency", "0", "--results", str(tmp_path / "r.json"))
    assert proc.returncode == 2 and "--concurrency: must be 1 or more" in proc.stderr
    assert not (tmp_path / "r.json").exists()
