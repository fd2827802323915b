"""What a generator produces: one feature id, how to check it, and where it is exposed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Generated:
    feature: str  # the BCD id
    title: str
    check: str  # the probe's JavaScript: one call of a helpers/generated.js method
    exposed: tuple[str, ...] = ("Window",)  # the scopes ([Exposed]) it exists in
    source: str = ""  # the data package it came from
    scopes: tuple[str, ...] = ("window",)  # where it runs when the matrix names no scopes


@dataclass
class Generation:
    """Every generated feature of the chosen categories, and what was left out, with why."""

    features: list[Generated] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> how many features
    versions: dict[str, str] = field(default_factory=dict)  # data package -> version used

    def leave_out(self, reason: str, count: int = 1) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + count


def js(*args: str | list[str]) -> str:
    """Arguments as JavaScript literals (strings, lists of strings)."""
    return ", ".join(json.dumps(a) for a in args)
