"""BCD's support statements as MDN's compatibility tables write them: "24", "22 \N{EN DASH} 50", "No", "?",
"Preview", with the qualifiers MDN marks (prefix, alternative name, flag, partial) and the notes.

Only presentation: which release is supported is bcd.support's question, not this module's.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from compatprobe.bcd.by_statement import ByStatement

EN_DASH = "\N{EN DASH}"
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class StatementText:
    """One support statement, as an MDN cell shows it."""

    kind: str  # yes, no, partial, flag, removed, preview, unknown
    text: str  # "24", "22 \N{EN DASH} 50", "No", "?", "Preview"
    qualifiers: tuple[str, ...] = ()  # "prefix -webkit-", "alternative name webkitFoo", "behind flag X", "partial"
    notes: tuple[str, ...] = ()  # BCD's notes, as plain text
    notes_html: tuple[str, ...] = ()  # the same notes as BCD writes them (HTML), for a report that sanitizes them


@dataclass(frozen=True, slots=True)
class BrowserStatements:
    """Everything BCD says about one feature in one browser: the first statement leads, as on MDN."""

    browser: str
    main: StatementText
    more: tuple[StatementText, ...] = field(default_factory=tuple)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(n for s in (self.main, *self.more) for n in s.notes)


def plain(text: str) -> str:
    """A BCD note (HTML: <code>, <a>) as plain text; the report escapes it again when it renders."""
    return " ".join(html.unescape(TAG.sub("", text)).split())


def _last_before(removed: str, releases: dict[str, Any]) -> str | None:
    """The release just before `removed`, for statements without BCD's own `version_last`."""

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version.split(".") if p.isdigit())

    try:
        bound = key(removed)
    except ValueError:
        return None
    earlier = [v for v in releases if re.fullmatch(r"\d+(\.\d+)*", v) and key(v) < bound]
    return max(earlier, key=key) if earlier else None


def statement_text(statement: dict[str, Any], releases: dict[str, Any] | None = None) -> StatementText:
    """One BCD support statement as MDN writes it."""
    added = statement.get("version_added")
    removed = statement.get("version_removed")
    qualifiers: list[str] = []
    if statement.get("prefix"):
        qualifiers.append(f"prefix {statement['prefix']}")
    if statement.get("alternative_name"):
        qualifiers.append(f"alternative name {statement['alternative_name']}")
    for flag in statement.get("flags") or []:
        if isinstance(flag, dict):
            value = f" = {flag['value_to_set']}" if flag.get("value_to_set") else ""
            qualifiers.append(f"behind {flag.get('type', 'flag')} {flag.get('name')}{value}")
    if statement.get("partial_implementation"):
        qualifiers.append("partial")
    raw = statement.get("notes") or []
    raw_notes = tuple(str(n) for n in ([raw] if isinstance(raw, str) else raw))
    notes = tuple(plain(n) for n in raw_notes)
    if added is False:
        return StatementText("no", "No", tuple(qualifiers), notes, raw_notes)
    if added is None:
        return StatementText("unknown", "?", tuple(qualifiers), notes, raw_notes)
    if added == "preview":
        return StatementText("preview", "Preview", tuple(qualifiers), notes, raw_notes)
    text = "Yes" if added is True else str(added)
    if isinstance(removed, str):
        last = statement.get("version_last") or _last_before(removed, releases or {})
        text = f"{text} {EN_DASH} {last}" if last and last != text else text
        qualifiers.append(f"removed in {removed}")
        kind = "removed"
    elif statement.get("partial_implementation"):
        kind = "partial"
    elif statement.get("flags"):
        kind = "flag"  # off for users until they set the flag
    else:
        kind = "yes"
    return StatementText(kind, text, tuple(qualifiers), notes, raw_notes)


class StatementTexts:
    """What browser_statements makes, remembered per browser for plain statements (by_statement)."""

    def __init__(self) -> None:
        self._texts: ByStatement[StatementText] = ByStatement()
        self._shown: ByStatement[BrowserStatements | None] = ByStatement()

    def text(self, statement: dict[str, Any], browser: str, releases: dict[str, Any]) -> StatementText:
        return self._texts.get((browser,), statement, statement_text, statement, releases)

    def shown(self, support: Any, browser: str, browsers: dict[str, Any]) -> BrowserStatements | None:
        return self._shown.get((browser,), support, self._make, support, browser, browsers)

    def _make(self, support: Any, browser: str, browsers: dict[str, Any]) -> BrowserStatements | None:
        statements = support if isinstance(support, list) else [support]
        releases = (browsers.get(browser) or {}).get("releases") or {}
        shown = [self.text(s, browser, releases) for s in statements if isinstance(s, dict)]
        if not shown:
            return None
        return BrowserStatements(browser, shown[0], tuple(shown[1:]))


def browser_statements(
    compat: dict[str, Any], browser: str, browsers: dict[str, Any], texts: StatementTexts | None = None
) -> BrowserStatements | None:
    """What BCD's `__compat` says for `browser`, or None when it has no statement for it; `texts`
    shares what is made between calls."""
    support = (compat.get("support") or {}).get(browser)
    if support is None:
        return None
    return (texts or StatementTexts()).shown(support, browser, browsers)
