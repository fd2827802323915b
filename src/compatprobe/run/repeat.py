"""`--repeat N`: the runs of one probe folded into one outcome, marked flaky when they differ."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from compatprobe.results.model import Outcome, Variant


def observation(outcome: Outcome) -> tuple[Any, ...]:
    """Everything a run observed; two runs agree when these are equal."""
    exception = outcome.exception
    return (
        outcome.status,
        outcome.reason,
        outcome.message,
        (exception.name, exception.message, exception.expected) if exception else None,
        tuple(sorted(outcome.values.items())),
        tuple(outcome.events),
    )


def fold(runs: list[Outcome]) -> Outcome:
    """One outcome for a probe's runs: the most frequent (the first seen on a tie), with the others."""
    if not runs:
        raise ValueError("no runs to fold")
    if len(runs) == 1:
        return runs[0]
    counts = Counter(observation(r) for r in runs)
    first_of = {}
    for run in runs:
        first_of.setdefault(observation(run), run)
    # Counter.most_common keeps first-seen order among equal counts.
    ranked = counts.most_common()
    top = first_of[ranked[0][0]]
    if len(ranked) == 1:
        return replace(top, runs=len(runs), flaky=None, variants=None)
    variants = [Variant.of(first_of[key], n) for key, n in ranked[1:]]
    return replace(top, runs=len(runs), flaky=True, variants=variants)
