"""Starting a target's browser again after an infrastructure failure (connection refused, session not
created, a launch that hangs), and recording every attempt so that none is mistaken for "No support"."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from compatprobe.browsers.session import InfrastructureError
from compatprobe.config.matrix import Matrix, TargetSpec
from compatprobe.results.model import TargetResult
from compatprobe.run.progress import Progress

T = TypeVar("T")

# A server that refuses now often answers a moment later (a grid node restarting, a queue full).
REMOTE_RETRIES = 2
# A local browser that does not start is nearly always missing something; trying again only delays saying so.
LOCAL_RETRIES = 0
FIRST_DELAY_S = 1.0


def retries_for(spec: TargetSpec, matrix: Matrix, remote: bool, override: int | None = None) -> int:
    """The first of: --retries, the target's `retries`, the matrix's `retries`, the default for its kind."""
    for value in (override, spec.retries, matrix.retries):
        if value is not None:
            return value
    return REMOTE_RETRIES if remote else LOCAL_RETRIES


async def start_with_retries(
    start: Callable[[], Awaitable[T]],
    *,
    retries: int,
    timeout_s: float,
    result: TargetResult,
    progress: Progress,
    first_delay_s: float = FIRST_DELAY_S,
) -> T:
    """`start()` up to 1 + `retries` times, waiting 1 s, 2 s, 4 s ... between attempts.

    Each attempt is counted in `result.attempts` and each failure kept in `result.attempt_errors`;
    after the last failure, raises InfrastructureError saying how many attempts there were.
    """
    delay = first_delay_s
    errors: list[str] = []
    for attempt in range(1, retries + 2):
        result.attempts = attempt
        try:
            return await asyncio.wait_for(start(), timeout_s)
        except asyncio.TimeoutError:
            error = f"the browser did not start within {timeout_s:.0f} s"
        except InfrastructureError as exc:
            error = str(exc)
        errors.append(error)
        result.attempt_errors = list(errors)
        if attempt > retries:
            break
        progress.attempt_failed(result, attempt, retries + 1, error, delay)
        await asyncio.sleep(delay)
        delay *= 2
    raise InfrastructureError(error if len(errors) == 1 else f"{error} (after {len(errors)} attempts)")
