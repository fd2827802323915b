"""How many targets run at once: a limit on all of them, and a tighter one on browsers started on
this machine (each takes a CPU core or so; a remote browser costs this machine almost nothing)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    total: int
    local: int


class Slots:
    """`async with slots.take(remote)`: waits for a free slot of the target's kind."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._total = asyncio.Semaphore(limits.total)
        self._local = asyncio.Semaphore(limits.local)

    @contextlib.asynccontextmanager
    async def take(self, remote: bool) -> AsyncIterator[None]:
        # The narrower limit first: a local target waiting for a local slot must not hold a
        # general one that a remote target could use meanwhile.
        async with contextlib.AsyncExitStack() as stack:
            if not remote:
                await stack.enter_async_context(self._local)
            await stack.enter_async_context(self._total)
            yield


def limits_for(total: int, local: int | None, cpus: int) -> Limits:
    """`local` None means one local browser per CPU; neither limit exceeds the total."""
    return Limits(total=total, local=min(total, local or cpus))
