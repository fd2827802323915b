"""The words of an outcome, owned here and nowhere else: what it says about support, the table cell's
kind and text, the label the diff and history quote, and the phrase MDN-style notes use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from compatprobe.kinds import CELL_KINDS, DIFFERS, MISSING, SCOPE_UNAVAILABLE, TYPO
from compatprobe.results.model import Outcome
from compatprobe.scopes import SCOPE_PHRASES

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


@dataclass(frozen=True)
class Words:
    """A cell's kind (a key of kinds.CELL_KINDS), its text and its detail in parentheses."""

    kind: str
    text: str
    detail: str | None = None

    @property
    def label(self) -> str:
        return f"{self.text} ({self.detail})" if self.detail else self.text


def kind_of(outcome: Outcome | None) -> str:
    """The key of the outcome's cell kind in kinds.CELL_KINDS."""
    if outcome is None:
        return "not-run"
    if outcome.suspect:
        return "suspect"
    if outcome.status == "error":
        return "setup" if outcome.reason == "setup" else "error"
    if outcome.status == "supported":
        return "yes"
    if outcome.status == "unsupported":
        return "no"
    if outcome.status == "throws":
        return "throws-expected" if outcome.exception is not None and outcome.exception.expected else "throws"
    return "timeout" if outcome.status == "timeout" else "error"


def words(outcome: Outcome | None) -> Words:
    kind = kind_of(outcome)
    if outcome is not None and kind == "error" and outcome.reason == "scope-unavailable":
        return Words(kind, SCOPE_UNAVAILABLE)
    detail = {"suspect": TYPO, "no": MISSING.get(outcome.reason or "", DIFFERS) if outcome else None}.get(kind)
    return Words(kind, CELL_KINDS[kind].label.format(exception=_exception(outcome)), detail)


def _exception(outcome: Outcome | None) -> str:
    exc = outcome.exception if outcome is not None else None
    return exc.name if exc is not None else "an exception"


def scoped_title(title: str, scope: str | None) -> str:
    """A title or id with where it ran, when not the window: "FileReaderSync (in a dedicated worker)"."""
    return f"{title} ({SCOPE_PHRASES[scope]})" if scope in SCOPE_PHRASES else title


def label(outcome: Outcome | None) -> str:
    """The cell's words on one line: "Yes", "No (member missing)", "Throws TypeError"."""
    return words(outcome).label


def phrase(outcome: Outcome) -> str:
    """The label as a verb phrase after the browser's name, as MDN's notes say it: "throws NotSupportedError"."""
    return label_and_phrase(outcome)[1]


def words_key(outcome: Outcome) -> tuple[object, ...]:
    """All that an outcome's words (`words`, `label_and_phrase`) read of it: outcomes with equal keys
    have the same words, so a history can word each kind of outcome once, not each of its millions."""
    exc = outcome.exception
    return outcome.status, outcome.suspect, outcome.reason, exc and exc.name, exc and exc.expected


def label_and_phrase(outcome: Outcome) -> tuple[str, str]:
    """Both, from one reading of the outcome."""
    w = words(outcome)
    return w.label, CELL_KINDS[w.kind].phrase.format(detail=w.detail, exception=_exception(outcome))
