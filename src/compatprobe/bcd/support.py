"""What BCD says about one feature in one browser release, from its support statements.

A browser's support is one statement or a list of them. Each applies to a range of releases,
from `version_added` up to (not including) `version_removed`. Versions are numbers like "22" or
"11.1", "preview" (the browser's nightly or preview), a range like "≤37" (added at or before 37),
or `false` (never) / `null` (unknown). Statements that need a prefix, another name or a flag do
not describe what a browser does in its default configuration under the standard name, which is
what probes observe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from compatprobe.bcd.by_statement import ByStatement
from compatprobe.bcd.display import plain

BcdKind = Literal["supported", "partial", "prefixed", "removed", "not-supported", "unknown"]
PREVIEW_STATUSES = ("nightly", "planned")


@dataclass(frozen=True, slots=True)
class BcdStatement:
    kind: BcdKind
    summary: str  # short: "supported since 24", "removed in 51", "only with the webkit prefix"
    quote: str  # BCD's own words: the browser's support statements, as JSON


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return None


def _at_or_after(release: tuple[int, ...], bound: str, status: str | None) -> bool | None:
    """Is `release` at or after the BCD version `bound`? None when BCD's range leaves it open."""
    if bound == "preview":
        return status in PREVIEW_STATUSES
    ranged = bound.startswith("≤")
    version = _version(bound.removeprefix("≤"))
    if version is None:
        return None
    if release >= version:
        return True
    return None if ranged else False


def _applies(statement: dict[str, Any], release: tuple[int, ...], status: str | None) -> tuple[bool | None, str]:
    """Whether the statement covers the release, and if not, why (for the summary)."""
    added = statement.get("version_added")
    if added is False:
        return False, "never"
    if added is None:
        return None, "unknown"
    if added is not True:
        started = _at_or_after(release, str(added), status)
        if started is not True:
            return started, f"added in {added}"
    removed = statement.get("version_removed")
    if removed is None or removed is False:
        return True, ""
    ended = _at_or_after(release, str(removed), status)
    if ended is None:
        return None, f"removed in {removed}"
    return (not ended), f"removed in {removed}"


def covers(statement: dict[str, Any], release: str, status: str | None) -> bool:
    """Whether one support statement speaks for the release: added at or before it (or never added,
    a "no" that applies to every release) and not removed by then."""
    version = _version(release)
    if version is None or statement.get("version_added") is None:
        return False
    if statement.get("version_added") is False:
        return True
    return _applies(statement, version, status)[0] is True


def _qualifier(statement: dict[str, Any]) -> str:
    if statement.get("flags"):
        return "flag"
    if statement.get("partial_implementation"):
        return "partial"
    if statement.get("prefix") or statement.get("alternative_name"):
        return "prefixed"
    return "full"


def _since(statement: dict[str, Any]) -> str:
    added = statement.get("version_added")
    return f"supported since {added}" if isinstance(added, str) else "supported"


def _quoted(key: str, value: Any) -> Any:
    """A statement's field as quoted: notes as their words, since their HTML would show as markup."""
    if key != "notes":
        return value
    return [plain(n) for n in value] if isinstance(value, list) else plain(str(value))


def quote(support: Any) -> str:
    """The statements as BCD writes them, without the links to bug trackers and with notes as text."""
    statements = support if isinstance(support, list) else [support]
    trimmed = [{k: _quoted(k, v) for k, v in s.items() if k != "impl_url"} for s in statements]
    return json.dumps(trimmed[0] if len(trimmed) == 1 else trimmed, ensure_ascii=False, sort_keys=True)


def statement_for(compat: dict[str, Any], browser: str, release: str, status: str | None) -> BcdStatement:
    """What BCD says about `browser` `release` in this `__compat` entry."""
    support = compat.get("support", {}).get(browser)
    if support is None:
        return BcdStatement("unknown", f"no statement for {browser}", "(none)")
    text = f"{browser}: {quote(support)}"
    version = _version(release)
    if version is None:
        return BcdStatement("unknown", f"cannot place release {release!r}", text)
    statements = support if isinstance(support, list) else [support]
    covering: dict[str, dict[str, Any]] = {}
    open_question = None
    removed = None
    not_yet = None
    for statement in statements:
        applies, why = _applies(statement, version, status)
        if applies is True:
            covering.setdefault(_qualifier(statement), statement)
        elif applies is None:
            open_question = open_question or why
        elif why.startswith("removed") and _qualifier(statement) == "full":
            removed = removed or why
        elif why.startswith("added"):
            not_yet = not_yet or why
    if "full" in covering:
        return BcdStatement("supported", _since(covering["full"]), text)
    if "partial" in covering:
        notes = covering["partial"].get("notes")
        note = f": {notes if isinstance(notes, str) else ' '.join(notes)}" if notes else ""
        return BcdStatement("partial", f"partial implementation{note}", text)
    if "prefixed" in covering:
        s = covering["prefixed"]
        how = f"the {s['prefix']} prefix" if s.get("prefix") else f"the name {s.get('alternative_name')}"
        return BcdStatement("prefixed", f"only with {how}", text)
    if open_question:
        return BcdStatement("unknown", f"BCD's range leaves {release} open ({open_question})", text)
    if "flag" in covering:
        flags = covering["flag"].get("flags") or []
        names = ", ".join(str(f.get("name")) for f in flags if isinstance(f, dict)) or "a flag"
        return BcdStatement("not-supported", f"only behind {names}", text)
    if removed:
        return BcdStatement("removed", removed, text)
    return BcdStatement("not-supported", not_yet or "not supported", text)


class StatementsFor:
    """statement_for, remembered for plain statements (by_statement): quoting each statement as JSON
    was a third of a sweep's comparison, whose 11,000 Chrome statements are of 345 kinds."""

    def __init__(self) -> None:
        self._found: ByStatement[BcdStatement] = ByStatement()

    def __call__(self, compat: dict[str, Any], browser: str, release: str, status: str | None) -> BcdStatement:
        support = compat.get("support", {}).get(browser)
        return self._found.get((browser, release, status), support, statement_for, compat, browser, release, status)
