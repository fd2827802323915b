"""The in-page harness: `core.js` (realms, scheduler, snapshot, outcomes) and resource helpers
(`helpers/*.js`, each adding methods to a probe's `t`), put together into one script."""

from __future__ import annotations

from importlib import resources

# The harness pauses once this many outcomes wait to be collected, so after a lost page at most this
# many probes can have finished unheard of, plus the one that was running (rounds.py relies on it).
MAX_UNCOLLECTED = 32


def harness_script() -> str:
    """core.js with every helper file in place of its marker, and the limits the runner relies on."""
    folder = resources.files(__package__)
    helpers = sorted((f for f in folder.joinpath("helpers").iterdir() if f.name.endswith(".js")), key=lambda f: f.name)
    core = folder.joinpath("core.js").read_text()
    # The helpers sit inside core's closure, so a probe cannot reach or replace them from its realm.
    script = core.replace("/*@HELPERS@*/", "\n".join(f.read_text() for f in helpers), 1)
    return script.replace("/*@MAX_UNCOLLECTED@*/ 32", str(MAX_UNCOLLECTED), 1)
