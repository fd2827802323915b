"""Lending between a round's lanes (run/rounds.py): once the workers' lane is done with its plan, it
borrows the generated window probes the window's page has not started yet (core.js: lend, more),
so that the two lanes end together whatever the engine and the machine's load. A fixed share of
the generated probes for each lane (rounds.GENERATED_SHARE) is right only for the engine and load
it was measured at."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from compatprobe.scopes import WINDOW, Unit

# The share of its generated probes not yet started that the window's page lends each time, and
# the fewest worth lending: a round trip and a realm cost more than a few probes.
LEND_SHARE = 0.5
LEND_LEAST = 64


@dataclass
class Lending:
    """The window's lane's offer, while its first plan runs: a borrower asks (ask), the lane's next
    next() call carries the question (question), and that call's answer says what the page set
    aside (answered), which the lane then no longer waits for."""

    token: str  # the plan's, which only the runner and the harness know
    asked: asyncio.Future[list[Unit]] | None = None
    sent: bool = False

    def ask(self) -> asyncio.Future[list[Unit]]:
        if self.asked is None or self.asked.done():
            self.asked, self.sent = asyncio.get_running_loop().create_future(), False
        return self.asked

    def question(self) -> dict[str, Any] | None:
        """What the next call asks of the page, once, while a borrower waits for its answer."""
        if self.asked is None or self.asked.done() or self.sent:
            return None
        self.sent = True
        return {"lend": LEND_SHARE, "least": LEND_LEAST, "token": self.token}

    def answered(self, lent: list[Unit]) -> None:
        if self.asked is not None and self.sent and not self.asked.done():
            self.asked.set_result(lent)

    def close(self) -> None:
        if self.asked is not None and not self.asked.done():
            self.asked.set_result([])


def take_lent(batch: dict[str, Any], unreported: dict[Unit, None], remaining: dict[Unit, None]) -> list[Unit] | None:
    """The window probes a next() answer says the page set aside for another, taken out of what
    this lane waits for; None when it names one the lane was not waiting to run (a probe changed
    the page)."""
    raw = batch.get("lent") or []
    if not isinstance(raw, list):
        return None
    units = [(item[0], item[1]) for item in raw if isinstance(item, list) and len(item) == 2]
    if len(units) != len(raw) or len(set(units)) != len(units):
        return None
    if any(unit not in unreported or unit[1] != WINDOW for unit in units):
        return None
    for unit in units:
        del unreported[unit]
        del remaining[unit]
    return units
