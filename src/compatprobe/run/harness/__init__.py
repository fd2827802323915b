"""The in-page harness: `core.js` (realms, scheduler, snapshot, outcomes) with `scopes.js` (worker
scopes, driven from the page) and resource helpers (`helpers/*.js`, each adding methods to a
probe's `t`), put together into one script; and `worker.js`, the harness inside a worker."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

# The harness pauses once this many outcomes wait to be collected, so after a lost page at most this
# many probes can have finished unheard of, plus the one that was running (rounds.py relies on it).
MAX_UNCOLLECTED = 32
# A helper file with this line is put in the worker harness too: it needs no DOM.
FOR_WORKERS = "// compatprobe: workers too"


def _helpers() -> list[Traversable]:
    folder = resources.files(__package__).joinpath("helpers")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".js")), key=lambda f: f.name)


def harness_script() -> str:
    """core.js with scopes.js and every helper file in place of their markers, and the limits the runner relies on."""
    folder = resources.files(__package__)
    core = folder.joinpath("core.js").read_text()
    # The helpers sit inside core's closure, so a probe cannot reach or replace them from its realm.
    script = core.replace("/*@HELPERS@*/", "\n".join(f.read_text() for f in _helpers()), 1)
    script = script.replace("/*@SCOPES@*/", folder.joinpath("scopes.js").read_text(), 1)
    return script.replace("/*@MAX_UNCOLLECTED@*/ 32", str(MAX_UNCOLLECTED), 1)


def worker_script() -> str:
    """worker.js with the helper files that say they work without a DOM."""
    worker = resources.files(__package__).joinpath("worker.js").read_text()
    texts = [f.read_text() for f in _helpers()]
    return worker.replace("/*@HELPERS@*/", "\n".join(t for t in texts if FOR_WORKERS in t), 1)
