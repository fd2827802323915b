"""Progress lines on stderr while a run goes on: when targets start, how far they are, how they end."""

from __future__ import annotations

import time
from typing import TextIO

from compatprobe.kinds import SUMMARY_COLUMNS, summary_column
from compatprobe.results.model import TargetResult
from compatprobe.results.words import kind_of

EVERY_S = 2.0


class Progress:
    """Writes to `stream` (None: silent). Per-probe lines are throttled to one every few seconds."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._last: dict[str, float] = {}
        self._began: dict[str, float] = {}

    def _say(self, text: str) -> None:
        if self._stream is not None:
            print(f"compatprobe: {text}", file=self._stream, flush=True)

    def run_started(self, probes: int, targets: list[str], url: str) -> None:
        self._say(f"{probes} probes in {len(targets)} targets ({', '.join(targets)}); serving probes at {url}")

    def target_started(self, result: TargetResult) -> None:
        self._began[result.name] = self._last[result.name] = time.monotonic()
        browser = f"{result.browser.name} {result.browser.version}" if result.browser else "?"
        how = result.launch.get("executable") or result.launch.get("binary") or result.launch.get("build", "")
        if result.where and result.where.server:
            how = f"{how} on {result.where.server}".strip()
        self._say(f"{result.name}: started {browser} via {result.launch.get('via')} {how}".rstrip())

    def browser_named(self, result: TargetResult, said: str) -> None:
        name = result.browser.name if result.browser else "?"
        self._say(f"{result.name}: the browser names itself {name} (it was started as {said})")

    def attempt_failed(self, result: TargetResult, attempt: int, attempts: int, error: str, delay_s: float) -> None:
        self._say(f"{result.name}: attempt {attempt} of {attempts} failed ({error}); trying again in {delay_s:.0f} s")

    def probe_done(self, result: TargetResult, total: int, done: int | None = None) -> None:
        moment = time.monotonic()
        if moment - self._last.get(result.name, 0) >= EVERY_S:
            self._last[result.name] = moment
            # Outcomes: a probe planned in worker scopes too (or repeated) gives one in each.
            self._say(f"{result.name}: {len(result.outcomes) if done is None else done}/{total} outcomes")

    def incident(self, result: TargetResult, text: str) -> None:
        self._say(f"{result.name}: {text}")

    def target_finished(self, result: TargetResult) -> None:
        began = self._began.get(result.name)
        took = f" in {time.monotonic() - began:.1f} s" if began is not None else ""  # it never started
        counts = dict.fromkeys(SUMMARY_COLUMNS, 0)  # the table's summary columns, counted as it counts them
        for outcome in result.outcomes:
            counts[summary_column(kind_of(outcome))] += 1
        summary = ", ".join(f"{n} {column}" for column, n in counts.items() if n) or "no outcomes"
        line = f"{result.name}: {result.status}{took} ({summary})"
        if result.error:
            line += f": {result.error}"
        self._say(line)
