"""What the harness page answers, checked before the runner believes it: a probe can reach the
harness page, so an answer may be anything, and its text may not even be valid Unicode."""

from __future__ import annotations

import re
from typing import Any

from compatprobe.results.model import STATUSES
from compatprobe.scopes import SCOPES, WINDOW

# JavaScript strings are UTF-16 and may hold a surrogate without its pair ("bad \ud800"); JSON
# carries it as an escape, Python reads it into a str that UTF-8 cannot encode, and writing the
# results would fail. A pair arrives as one character, so every surrogate left is unpaired.
UNPAIRED = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# The longest account of a changed harness page kept (the harness bounds its own text too).
MAX_DETAIL = 500


def valid_text(text: str) -> tuple[str, int]:
    """`text` with each unpaired surrogate replaced by U+FFFD, and how many there were."""
    return UNPAIRED.subn(REPLACEMENT, text)


class ValidTexts:
    """Each value it is given, made valid (valid_text) when it is a string and left as it is
    otherwise; counts the replacements. An ASCII string holds no surrogate, and nearly every string
    is one: a three-engine sweep's 41,000 outcomes hold about 110,000 strings."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or value.isascii():
            return value
        text, count = valid_text(value)
        self.replaced += count
        return text


def replaced_note(count: int) -> str:
    """The incident that records a replacement: the outcome's text is not what the browser said."""
    return (
        f"its text held {count} unpaired UTF-16 surrogate{'s' if count != 1 else ''}, "
        f"written as U+FFFD (the browser's text is not valid Unicode)"
    )


def answer_problem(batch: Any) -> str | None:
    """What makes a next() answer one the runner cannot use, or None. The harness answers
    `compromised` once it finds its own page changed (core.js: checkHome); any other shape can only
    come from a probe that changed the page, and counts as that probe's doing."""
    if isinstance(batch, dict) and batch.get("compromised") is not None:
        detail = batch["compromised"]
        text = valid_text(detail)[0][:MAX_DETAIL] if isinstance(detail, str) else "it found its own page changed"
        return f"{text}, by a probe"
    if not isinstance(batch, dict) or not isinstance(batch.get("results"), list):
        return f"it answered {_kind(batch)} instead of its outcomes; a probe changed the harness page"
    if not isinstance(batch.get("done"), bool) or not isinstance(batch.get("fatal"), str | None):
        return "it answered outcomes without saying whether it was done; a probe changed the harness page"
    for raw in batch["results"]:
        if not _is_outcome(raw):
            return f"it answered {_kind(raw)} as an outcome; a probe changed the harness page"
    return None


def _is_outcome(raw: Any) -> bool:
    return (
        isinstance(raw, dict)
        and isinstance(raw.get("probe"), str)
        and raw.get("status") in STATUSES
        and raw.get("scope", WINDOW) in (None, *SCOPES)
        and (raw.get("exception") is None or _is_exception(raw["exception"]))
        and isinstance(raw.get("values"), dict | None)
        and isinstance(raw.get("events"), list | None)
        and isinstance(raw.get("message"), str | None)
        and isinstance(raw.get("reason"), str | None)
    )


def _is_exception(exception: Any) -> bool:
    return isinstance(exception, dict) and all(isinstance(exception.get(k), str) for k in ("name", "message"))


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)
