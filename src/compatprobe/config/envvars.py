"""`${NAME}` references to environment variables in matrix values, and keeping their values out of outputs.

Credentials for grids and hosted browser servers live only in the environment. The matrix names
them (`url: https://${GRID_USER}:${GRID_KEY}@hub.example/wd/hub`); compatprobe expands them only
when it connects, records the text as written, and scrubs every expanded value from what it writes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TextIO
from urllib.parse import quote

from compatprobe.errors import InputError

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Anything that starts like a reference but is not one: `${}`, `${A-B}`, `${NAME` ...
BROKEN_REFERENCE = re.compile(r"\$\{(?![A-Za-z_][A-Za-z0-9_]*\})")
SCRUBBED = "***"


def references(value: Any) -> list[str]:
    """Names referenced in a string, or in the strings of nested lists and mappings, in order."""
    names: list[str] = []
    for text in _strings(value):
        names.extend(n for n in REFERENCE.findall(text) if n not in names)
    return names


def broken_reference(value: Any) -> str | None:
    """The first string holding a malformed `${...}`, if any."""
    return next((text for text in _strings(value) if BROKEN_REFERENCE.search(text)), None)


def expand(value: Any, env: Mapping[str, str]) -> Any:
    """The value with every `${NAME}` replaced by env[NAME]; unset names must be checked before."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: env[m.group(1)], value)
    if isinstance(value, list):
        return [expand(v, env) for v in value]
    if isinstance(value, dict):
        return {k: expand(v, env) for k, v in value.items()}
    return value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


# A value shorter than this would be found by chance in versions, dates and counts ("1" in every
# version number), and scrubbing it would corrupt them; it is refused instead.
MIN_SECRET_LENGTH = 6
# Fields compatprobe fills itself (ids, versions, dates, hashes): no server's or browser's text
# reaches them, and scrubbing them could only corrupt them.
OWN_FIELDS = frozenset(
    {"started", "finished", "tool_version", "schema_version", "sha256", "version", "probe", "id", "feature"}
    | {"status", "scope", "engine", "count", "runs", "line", "bcd", "generated", "exposed", "not_run", "host"}
)


def _base64_cores(value: str) -> set[str]:
    """What base64 of any text holding `value` must contain, wherever `value` falls in it (an
    `Authorization: Basic` header holds base64 of user:key): the characters that depend on the
    value alone, at each of the three alignments, in both alphabets."""
    data = value.encode()
    cores = set()
    for offset, skip in ((0, 0), (1, 2), (2, 3)):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * offset + data).decode().rstrip("=")
            end = len(text) - (1 if (offset + len(data)) % 3 else 0)
            core = text[skip:end]
            if len(core) >= MIN_SECRET_LENGTH:
                cores.add(core)
    return cores


def _spellings(value: str) -> set[str]:
    """Every way a driver or server may send `value` back: as is, percent-encoded, in base64, and
    any part of half its length or more (a server that echoes half a key leaks half of it)."""
    found = {value, quote(value, safe=""), quote(value)}
    found |= _base64_cores(value)
    part = max(MIN_SECRET_LENGTH, -(-len(value) // 2))
    found |= {value[i : i + part] for i in range(len(value) - part + 1)}
    return found


@dataclass(frozen=True)
class Secrets:
    """Values of the variables a run expands: none of them may appear in anything compatprobe writes."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, names: Iterable[str], env: Mapping[str, str]) -> Secrets:
        found: set[str] = set()
        for name in names:
            value = env.get(name, "")
            if value and len(value) < MIN_SECRET_LENGTH:
                raise InputError(
                    f"environment variable {name} holds {len(value)} characters, too few to keep out of "
                    "the outputs safely",
                    hint=f"use a value of {MIN_SECRET_LENGTH} characters or more, or write a value that is "
                    "not secret in the matrix itself",
                )
            if value:
                found |= _spellings(value)
        # Longest first, so a value that contains another is scrubbed whole.
        return cls(tuple(sorted(found, key=lambda v: (-len(v), v))))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        return re.compile("|".join(map(re.escape, self.values))) if self.values else None

    def scrub(self, text: str) -> str:
        if self._pattern is None:
            return text
        # Pieces that touch (halves of a key found one after the other) become one mark.
        return re.sub(r"(?:\*\*\*)+", SCRUBBED, self._pattern.sub(SCRUBBED, text))

    def scrub_data(self, value: Any) -> Any:
        """Every string in nested lists, mappings and dataclass-like objects, scrubbed in place where
        mutable; a dataclass's OWN_FIELDS are compatprobe's own data and left as they are."""
        if not self.values:  # a run that expands no variable: 400,000 strings of a sweep left unread
            return value
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            value[:] = [self.scrub_data(v) for v in value]
            return value
        if isinstance(value, dict):
            for key in list(value):
                value[key] = self.scrub_data(value[key])
            return value
        if hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                if name not in OWN_FIELDS:
                    setattr(value, name, self.scrub_data(getattr(value, name)))
        return value


class ScrubbingStream:
    """A text stream that scrubs secrets from everything written through it (progress lines)."""

    def __init__(self, stream: TextIO, secrets: Secrets) -> None:
        self._stream = stream
        self._secrets = secrets

    def write(self, text: str) -> int:
        return self._stream.write(self._secrets.scrub(text))

    def flush(self) -> None:
        self._stream.flush()
