"""Probes that ask about what only cross-origin isolated realms have (SharedArrayBuffer,
[CrossOriginIsolated] members such as performance.measureUserAgentSpecificMemory): the page that
runs them is served with COOP and COEP (run/server.py), so that the answer is the browser's."""

from __future__ import annotations

from collections.abc import Iterable

from compatprobe.probes.loader import Probe

# A line a probe starts with (generated ones get it from probes/generate/) to be run isolated.
MARK = "// compatprobe: cross-origin isolated"
HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


def needs_isolation(probes: Iterable[Probe]) -> bool:
    """Whether any of these probes asks to run in a cross-origin isolated realm."""
    return any(p.source.lstrip().startswith(MARK) for p in probes)
