"""BCD's notes as MDN shows them: their links and code kept, everything else of their markup dropped.

BCD writes notes in a small subset of HTML (<code>, <a href>, <strong>, <em>...). A report shows
them as markup, not as escaped text, through an allow-list: only the tags below, only `href` on
<a> and only http(s) links (MDN's own paths, "/en-US/docs/...", made absolute); every text escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup, escape

from compatprobe.report.table import Row, Table

ALLOWED = {"a", "code", "strong", "em", "kbd", "var", "sup", "sub", "br"}
VOID = {"br"}
MDN = "https://developer.mozilla.org/"


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            return
        if tag in VOID:
            self.out.append(f"<{tag}>")
            return
        if tag == "a":
            href = urljoin(MDN, (dict(attrs).get("href") or "").strip())
            if urlsplit(href).scheme not in ("http", "https"):
                return  # a link that is not a web address is dropped; its words stay
            self.out.append(f'<a href="{escape(href)}" rel="noreferrer">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open:  # closes what a note left open inside it, so the page's markup stays whole
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(str(escape(data)))


def note_html(raw: str) -> Markup:
    """One BCD note, sanitized."""
    parser = _Sanitizer()
    parser.feed(raw)
    parser.close()
    parser.out.extend(f"</{tag}>" for tag in reversed(parser.open))
    return Markup("".join(parser.out))


def bcd_note_markup(table: Table, rows: Iterable[Row], sanitized: dict[str, Markup]) -> dict[str, Markup]:
    """Each footnote of `rows` that quotes a BCD note, by its text: the same words, the note as
    sanitized markup. `sanitized` remembers each note parsed, from page to page: BCD repeats a note
    for the browsers that share an engine."""
    found: dict[str, Markup] = {}
    for row in rows:
        for cell in row.mdn:
            if not cell.notes or not cell.statements:  # most cells quote no note
                continue
            raw = [n for s in (cell.statements.main, *cell.statements.more) for n in s.notes_html]
            plain = cell.statements.notes
            for number, text, html in zip(cell.notes, plain, raw, strict=False):
                footnote = table.footnotes[number - 1]
                if footnote not in found and footnote.endswith(text):
                    if html not in sanitized:
                        sanitized[html] = note_html(html)
                    # "Firefox, api.X: <the note>": the words before the note stay text.
                    found[footnote] = escape(footnote[: len(footnote) - len(text)]) + sanitized[html]
    return found
