"""`${NAME}` references to environment variables in matrix values, and keeping their values out of outputs.

Credentials for grids and hosted browser servers live only in the environment. The matrix names
them (`url: https://${GRID_USER}:${GRID_KEY}@hub.example/wd/hub`); compatprobe expands them only
when it connects, records the text as written, and scrubs every expanded value from what it writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import quote

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


@dataclass(frozen=True)
class Secrets:
    """Values of the variables a run expands: none of them may appear in anything compatprobe writes."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, names: Iterable[str], env: Mapping[str, str]) -> Secrets:
        found: set[str] = set()
        for name in names:
            value = env.get(name, "")
            if value:
                # Servers echo URLs percent-encoded, so scrub that spelling too.
                found.update({value, quote(value, safe=""), quote(value)})
        # Longest first, so a value that contains another is scrubbed whole.
        return cls(tuple(sorted(found, key=lambda v: (-len(v), v))))

    def scrub(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, SCRUBBED)
        return text

    def scrub_data(self, value: Any) -> Any:
        """Every string in nested lists, mappings and dataclass-like objects, scrubbed in place where mutable."""
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
