"""Events that a probe can make fire, for events whose handler attribute an engine leaves out:
the event seen firing answers where the missing handler says nothing.

Each expression runs in the probe's realm and gives a promise of the event, or of null when it
did not fire (which says nothing either: the probe still cannot tell). None reaches the network.
"""

from __future__ import annotations

from compatprobe.probes.generate.instances import REPORT_GRACE_MS

# The loopback server sends worker scripts with a report-only policy (run/server.py: WORKER_CSP):
# fetching a data: URL breaks it without being blocked, and the worker hears of the violation. The
# violation is found as the fetch starts, so a short grace after it has settled decides, within a
# second at most (an engine that fires nothing, WebKitGTK, waited the whole second in each scope).
_VIOLATION = (
    "typeof WorkerGlobalScope === 'undefined' ? null : new Promise((ok) => {"
    " const heard = (e) => done(e); self.addEventListener('securitypolicyviolation', heard);"
    " const timer = setTimeout(() => done(null), 1000);"
    " function done(e) { clearTimeout(timer); self.removeEventListener('securitypolicyviolation', heard); ok(e); }"
    " fetch('data:,compatprobe').catch(() => {})"
    f".then(() => setTimeout(() => done(null), {REPORT_GRACE_MS})); }})"
)
# {(owner, event): expression}
FIRES: dict[tuple[str, str], str] = {
    ("WorkerGlobalScope", "securitypolicyviolation"): _VIOLATION,
}


def firing(owner: str, event: str) -> str:
    """An expression that makes `event` fire at `owner`'s instance here, or ""."""
    return FIRES.get((owner, event), "")
