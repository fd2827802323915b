"""The in-page harness: `core.js` (realms, scheduler, snapshot) with `scopes.js` (worker scopes,
driven from the page), `common.js` (verdicts, the probe API `t`, a probe's outcome) and resource
helpers (`helpers/*.js`, each adding methods to a probe's `t`), put together into one script; and
`worker.js`, the harness inside a worker, with the same `common.js` and the helpers for workers."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

# The harness pauses once this many outcomes wait to be collected, so after a lost page at most this
# many probes can have finished unheard of, plus the one that was running (rounds.py relies on it).
MAX_UNCOLLECTED = 1000
# A helper file with this line is put in the worker harness too: it needs no DOM.
FOR_WORKERS = "// compatprobe: workers too"


def _helpers() -> list[Traversable]:
    folder = resources.files(__package__).joinpath("helpers")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".js")), key=lambda f: f.name)


def _with_common(script: str, helpers: list[str]) -> str:
    """`script` with common.js in place of its marker, and `helpers` in place of common.js's."""
    common = resources.files(__package__).joinpath("common.js").read_text()
    # Both sit inside the harness's closure, so a probe cannot reach or replace them from its realm.
    common = common.replace("/*@HELPERS@*/", "\n".join(helpers), 1)
    return script.replace("/*@COMMON@*/", common, 1)


def harness_script() -> str:
    """core.js with common.js, scopes.js and every helper in place of their markers, and the runner's limits."""
    folder = resources.files(__package__)
    script = _with_common(folder.joinpath("core.js").read_text(), [f.read_text() for f in _helpers()])
    script = script.replace("/*@SCOPES@*/", folder.joinpath("scopes.js").read_text(), 1)
    return script.replace("/*@MAX_UNCOLLECTED@*/ 32", str(MAX_UNCOLLECTED), 1)


def worker_script() -> str:
    """worker.js with common.js and the helper files that say they work without a DOM."""
    worker = resources.files(__package__).joinpath("worker.js").read_text()
    texts = [f.read_text() for f in _helpers()]
    return _with_common(worker, [t for t in texts if FOR_WORKERS in t])
