"""Where a probe runs: the window and the worker scopes, and how Web IDL's [Exposed] names map to them.

Scope names are BCD's: `worker_support`, `sharedworker_support` and `serviceworker_support` are its
subfeatures for the three kinds of worker. The window is always "window" in the model; the results
file leaves it out (results v1 had no scopes), and reading fills it in.
"""

from __future__ import annotations

from functools import cache

WINDOW = "window"
SCOPES: tuple[str, ...] = ("window", "worker", "sharedworker", "serviceworker")
# A probe's id and one of its scopes: what a round runs and reports (run/rounds.py).
Unit = tuple[str, str]
# How the table and notes name a scope.
SCOPE_TITLES = {
    "window": "Window",
    "worker": "Worker",
    "sharedworker": "SharedWorker",
    "serviceworker": "ServiceWorker",
}
# How notes and diffs name a worker scope after a probe's title or id; the window goes unsaid.
SCOPE_PHRASES = {
    "worker": "in a dedicated worker",
    "sharedworker": "in a shared worker",
    "serviceworker": "in a service worker",
}
# Web IDL [Exposed] names (the [Global] names of the HTML spec), as scopes. "Worker" is every worker.
EXPOSED_NAMES: dict[str, tuple[str, ...]] = {
    "Window": ("window",),
    "Worker": ("worker", "sharedworker", "serviceworker"),
    "DedicatedWorker": ("worker",),
    "SharedWorker": ("sharedworker",),
    "ServiceWorker": ("serviceworker",),
    "*": SCOPES,
}


# A feature BCD lists and Web IDL no longer defines (AbortPaymentEvent): nobody says where it is
# exposed, so it runs in the window and the workers most APIs have, and is there if any has it.
UNKNOWN_EXPOSURE = "?"
UNKNOWN_SCOPES: tuple[str, ...] = ("window", "worker", "serviceworker")


def scopes_of(exposed: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The scopes [Exposed] names stand for, in SCOPES order; names of other globals (Worklet...) drop out."""
    # Asked for every probe and every comparison (50,000 times in a sweep), of about twenty name lists.
    return _scopes_of(tuple(exposed))


@cache
def _scopes_of(exposed: tuple[str, ...]) -> tuple[str, ...]:
    named = {scope for name in exposed for scope in EXPOSED_NAMES.get(name, ())}
    if UNKNOWN_EXPOSURE in exposed:
        named |= set(UNKNOWN_SCOPES)
    return tuple(s for s in SCOPES if s in named)


def planned_scopes(exposed: tuple[str, ...], matrix_scopes: tuple[str, ...] | None) -> tuple[str, ...]:
    """Where a probe runs: the matrix's scopes when it names some, else the window plus where it is exposed.

    The window always runs by default, so a worker-only feature shows as missing there, as it is.
    """
    if matrix_scopes is not None:
        return matrix_scopes
    declared = set(scopes_of(exposed)) | {WINDOW}
    return tuple(s for s in SCOPES if s in declared)


# BCD's subfeatures for a feature in a worker scope (api.Blob.worker_support).
SUBFEATURES: frozenset[str] = frozenset(f"{s}_support" for s in SCOPES if s != WINDOW)


def subfeature(feature: str, scope: str) -> str:
    """BCD's id for `feature` in a worker `scope`."""
    return f"{feature}.{scope}_support"
