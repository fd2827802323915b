"""The in-page harness: `core.js` (realms, scheduler, the harness page's own check) with `scopes.js`
(worker scopes, driven from the page), `common.js` (endings, the probe API `t`, a probe's outcome),
`realm.js` (the realm check: snapshot, comparison, timers, uncaught errors) and resource helpers
(`helpers/*.js`, each adding methods to a probe's `t`), put together into one script; and
`worker.js`, the harness inside a worker, with the same `common.js`, `realm.js` and the helpers
for workers. Each file opens with the names it uses from the others and the names it gives."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from compatprobe.scopes import SCOPES, WINDOW, Unit

# The harness pauses once this many outcomes wait to be collected, so after a lost page at most this
# many probes can have finished unheard of, plus the one that was running (rounds.py relies on it).
# Each runner call gets new realms and a check of the harness page: at 3,000 (and core.js's
# REALM_PROBES) a call lasts the runner's poll, and a sweep makes 6 or 7 realms, not 15.
MAX_UNCOLLECTED = 3000
# A helper file with this line is put in the worker harness too: it needs no DOM.
FOR_WORKERS = "// compatprobe: workers too"


def plan_columns(
    units: Iterable[Unit],
    timeouts: Mapping[str, int],
    *,
    isolated: Container[str] = (),
    movable: Container[str] = (),
) -> dict[str, Any]:
    """A plan's units as the harness takes them (core.js: unitsOf), a column per field: each unit's
    probe and scope (a number in SCOPES), its deadline in ms, whether it runs in a realm of its own
    (`isolated`) and, for a window probe, whether it may be lent to another page (`movable`). A
    sweep's 12,600 units as an object each made 1.4 MB of JSON, which took Chromium and Firefox 0.1
    to 0.2 s to carry and parse before the first probe ran; the columns make 0.6 MB."""
    ids: list[str] = []
    scopes: list[int] = []
    deadlines: list[int] = []
    isolate: list[int] = []
    lendable: list[int] = []
    number = {scope: n for n, scope in enumerate(SCOPES)}
    for probe, scope in units:
        ids.append(probe)
        scopes.append(number[scope])
        deadlines.append(timeouts[probe])
        isolate.append(int(probe in isolated))
        lendable.append(int(scope == WINDOW and probe in movable))
    return {
        "ids": ids,
        "scopes": scopes,
        "scope_names": list(SCOPES),
        "timeout_ms": deadlines,
        "isolate": isolate,
        "movable": lendable,
    }


def _helpers() -> list[Traversable]:
    folder = resources.files(__package__).joinpath("helpers")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".js")), key=lambda f: f.name)


def _spliced(script: str, marker: str, text: str) -> str:
    """`script` with `text` in place of `/*@marker@*/`, which must be there exactly once."""
    place = f"/*@{marker}@*/"
    if script.count(place) != 1:
        raise AssertionError(f"the harness has {script.count(place)} {place} markers, not 1")
    return script.replace(place, text, 1)


def _with_common(script: str, helpers: list[str]) -> str:
    """`script` with common.js and realm.js in place of their markers, and `helpers` in place of common.js's."""
    folder = resources.files(__package__)
    # All sit inside the harness's closure, so a probe cannot reach or replace them from its realm.
    common = _spliced(folder.joinpath("common.js").read_text(), "HELPERS", "\n".join(helpers))
    script = _spliced(script, "COMMON", common)
    return _spliced(script, "REALM", folder.joinpath("realm.js").read_text())


def harness_script() -> str:
    """core.js with common.js, scopes.js and every helper in place of their markers, and the runner's limits."""
    folder = resources.files(__package__)
    script = _with_common(folder.joinpath("core.js").read_text(), [f.read_text() for f in _helpers()])
    script = _spliced(script, "SCOPES", folder.joinpath("scopes.js").read_text())
    return script.replace("/*@MAX_UNCOLLECTED@*/ 32", str(MAX_UNCOLLECTED), 1)


def worker_script() -> str:
    """worker.js with common.js and the helper files that say they work without a DOM."""
    worker = resources.files(__package__).joinpath("worker.js").read_text()
    texts = [f.read_text() for f in _helpers()]
    return _with_common(worker, [t for t in texts if FOR_WORKERS in t])
