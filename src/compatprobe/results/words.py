"""What one outcome says about support, in a word and in a phrase: shared by the diff and the history."""

from __future__ import annotations

from typing import Literal

from compatprobe.report.table import MISSING
from compatprobe.results.model import Outcome

Support = Literal["yes", "no", "unknown"]


def support(outcome: Outcome) -> Support:
    """Yes and no as the table's ✓ and ✗/⚠ mean them; a timeout, a broken probe or a suspect path says neither."""
    if outcome.suspect:
        return "unknown"
    if outcome.status == "supported":
        return "yes"
    if outcome.status == "throws":
        return "yes" if outcome.exception is not None and outcome.exception.expected else "no"
    if outcome.status == "unsupported":
        return "no"
    return "unknown"


def label(outcome: Outcome | None) -> str:
    """The cell's words, as the table shows them: "Yes", "No (method missing)", "Throws TypeError"."""
    if outcome is None:
        return "Not run"
    if outcome.suspect:
        return "Unknown path (typo?)"
    if outcome.status == "error" and outcome.reason == "setup":
        return "Setup failed"
    if outcome.status == "supported":
        return "Yes"
    if outcome.status == "unsupported":
        return f"No ({MISSING.get(outcome.reason or '', 'differs')})"
    if outcome.status == "throws":
        return f"Throws {outcome.exception.name if outcome.exception else 'an exception'}"
    if outcome.status == "timeout":
        return "Timeout"
    return "Probe error"


def phrase(outcome: Outcome) -> str:
    """The label as a verb phrase after the browser's name, as MDN's notes say it: "throws NotSupportedError"."""
    if outcome.suspect:
        return "lacks a path no browser has (a typo in the probe?)"
    if outcome.status == "error" and outcome.reason == "setup":
        return "fails the probe's setup"
    if outcome.status == "supported":
        return "supports it"
    if outcome.status == "unsupported":
        return f"does not support it ({MISSING.get(outcome.reason or '', 'differs')})"
    if outcome.status == "throws":
        return f"throws {outcome.exception.name if outcome.exception else 'an exception'}"
    if outcome.status == "timeout":
        return "times out"
    return "breaks the probe"
