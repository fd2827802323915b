"""Text from browsers (and from files) made safe to show on a terminal: it is data, never commands.

An exception message can hold escape sequences (retitle or clear the terminal), a carriage return
(overwrite the line it is on) or bidi overrides (show a line in another order than it is written);
each becomes a visible escape such as \\u001b. A line longer than MAX_LINE is cut, saying so.
"""

from __future__ import annotations

import re
from typing import TextIO

# C0 controls but tab and newline, DEL, C1 controls (0x9b is an 8-bit CSI), and the bidi marks,
# embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_LINE = 2000


def _visible(match: re.Match[str]) -> str:
    # \uXXXX: the same spelling JSON uses, so a JSON document stays valid and means the same.
    return f"\\u{ord(match.group()):04x}"


def cut(text: str, limit: int = MAX_LINE) -> str:
    """`text` cut to `limit` characters, saying how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def neutralise(text: str, limit: int = MAX_LINE) -> str:
    """Every control and bidi character as a visible escape, every line cut to `limit`."""
    return "\n".join(cut(CONTROL.sub(_visible, line), limit) for line in text.split("\n"))


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """A message on one line: its line breaks shown as \\n."""
    return neutralise(text.replace("\r\n", "\n").replace("\n", "\\n"), limit)


class TerminalStream:
    """A stream that neutralises what is written through it, and cuts long lines (standard error)."""

    def __init__(self, stream: TextIO, limit: int | None = MAX_LINE) -> None:
        self._stream = stream
        self._limit = limit
        self._column = 0  # characters of the current line written so far

    def write(self, text: str) -> int:
        text = CONTROL.sub(_visible, text)
        if self._limit is None:
            return self._stream.write(text)
        shown = []
        for n, piece in enumerate(text.split("\n")):
            if n:
                shown.append("\n")
                self._column = 0
            room = self._limit - self._column
            if room > 0:
                shown.append(piece[:room])
            if len(piece) > room >= 0 and self._column <= self._limit:
                shown.append("… (line cut)")
            self._column += len(piece)
        self._stream.write("".join(shown))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
