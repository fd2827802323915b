"""Feature ids (browser-compat-data style): which group a feature belongs to, and how to show it."""

from __future__ import annotations


def group_of(feature: str) -> str:
    """The entry a feature belongs to: `api.X.y`, `javascript.builtins.X.y`, `css.properties.x.y`.

    `api` holds interfaces directly; every other category has a kind of thing under it first
    (builtins, properties, elements, headers), so its groups are one part deeper.
    """
    parts = feature.split(".")
    depth = 3 if parts[0] == "api" else 4
    return ".".join(parts[:depth])


def group_label(group: str) -> str:
    """How a group heads its rows: `api.` is implied (MDN's habit); every other category is shown whole."""
    return group.removeprefix("api.")
