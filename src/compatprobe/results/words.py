"""The words of an outcome, owned here and nowhere else: what it says about support, the table cell's
kind and text, the label the diff and history quote, and the phrase MDN-style notes use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from compatprobe.results.model import Outcome
from compatprobe.scopes import SCOPE_PHRASES

Support = Literal["yes", "no", "unknown"]

# Why a feature is missing, as `t.require` reports it.
MISSING = {"interface-missing": "interface missing", "member-missing": "member missing"}


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


@dataclass(frozen=True)
class Words:
    """A cell's kind (a key of report.table.KINDS), its text and its detail in parentheses."""

    kind: str
    text: str
    detail: str | None = None

    @property
    def label(self) -> str:
        return f"{self.text} ({self.detail})" if self.detail else self.text


def words(outcome: Outcome | None) -> Words:
    if outcome is None:
        return Words("not-run", "Not run")
    if outcome.suspect:
        return Words("suspect", "Unknown path", "typo?")
    if outcome.status == "error" and outcome.reason == "setup":
        return Words("setup", "Setup failed")
    if outcome.status == "supported":
        return Words("yes", "Yes")
    if outcome.status == "unsupported":
        return Words("no", "No", MISSING.get(outcome.reason or "", "differs"))
    if outcome.status == "throws":
        exc = outcome.exception
        kind = "throws-expected" if exc is not None and exc.expected else "throws"
        return Words(kind, f"Throws {exc.name if exc else 'an exception'}")
    if outcome.status == "timeout":
        return Words("timeout", "Timeout")
    if outcome.reason == "scope-unavailable":
        return Words("error", "Scope did not start")
    return Words("error", "Probe error")


def scoped_title(title: str, scope: str | None) -> str:
    """A title or id with where it ran, when not the window: "FileReaderSync (in a dedicated worker)"."""
    return f"{title} ({SCOPE_PHRASES[scope]})" if scope in SCOPE_PHRASES else title


def label(outcome: Outcome | None) -> str:
    """The cell's words on one line: "Yes", "No (member missing)", "Throws TypeError"."""
    return words(outcome).label


def phrase(outcome: Outcome) -> str:
    """The label as a verb phrase after the browser's name, as MDN's notes say it: "throws NotSupportedError"."""
    w = words(outcome)
    if w.kind == "suspect":
        return "lacks a path no browser has (a typo in the probe?)"
    if w.kind == "setup":
        return "fails the probe's setup"
    if w.kind == "yes":
        return "supports it"
    if w.kind == "no":
        return f"does not support it ({w.detail})"
    if w.kind.startswith("throws"):
        return w.text[0].lower() + w.text[1:]
    if w.kind == "timeout":
        return "times out"
    return "breaks the probe"
