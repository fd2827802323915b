"""Two real runs, A then B, whose differences cover every kind of change a diff reports.

The probes read /probes/knob.json, a file the test writes beside them, so the test decides what
each engine shows in each run while the probe code stays the same (only `demo/edited` changes).
Run A has targets chromium, firefox and chromium-old; run B has chromium, firefox and
chromium-new. What differs from A to B, cell by cell:

| probe                 | chromium                       | firefox                           |
|-----------------------|--------------------------------|-----------------------------------|
| demo/steady           | same                           | same                              |
| demo/gain             | No (member missing) -> Yes     | same                              |
| demo/lose             | same                           | Yes -> No (differs)               |
| demo/exception-name   | NotSupportedError -> OperationError (both unexpected) | same   |
| demo/exception-message| same                           | message "closed" -> another one   |
| demo/slow             | Timeout -> Yes                 | same                              |
| demo/edited           | same (code changed)            | same (code changed)               |
| demo/retired          | only in A                      | only in A                         |
| demo/fresh            | only in B                      | only in B                         |
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import compatprobe

PRELUDE = """const engine = navigator.userAgent.includes("Firefox") ? "firefox" : "chromium";
const knob = (await (await fetch("/probes/knob.json", { cache: "no-store" })).json())[engine];
"""

GAIN = """const name = knob.gain ? "removeTrack" : "removeTrackSoon";
t.require(`RTCPeerConnection.prototype.${name}`);"""
EXCEPTION_NAME = """t.throws("InvalidStateError", "close()", () => {
  throw new DOMException("closed", knob.exception_name);
});"""
EXCEPTION_MESSAGE = """t.throws("InvalidStateError", "close()", () => {
  throw new DOMException(knob.message, "InvalidStateError");
});"""
SLOW = """if (knob.hang) await new Promise(() => {});
t.value("settled", true);"""

# name: (feature, title, body after the prelude)
PROBES = {
    "steady": (
        "api.Demo.steady",
        "removeTrack() is on the prototype",
        't.require("RTCPeerConnection.prototype.removeTrack");',
    ),
    "gain": ("api.Demo.gain", "the method appears", GAIN),
    "lose": ("api.Demo.lose", "the behaviour holds", 't.check(!knob.lose, "the behaviour stopped holding");'),
    "exception-name": ("api.Demo.exception_name", "throws InvalidStateError", EXCEPTION_NAME),
    "exception-message": ("api.Demo.exception_message", "throws InvalidStateError with a message", EXCEPTION_MESSAGE),
    "slow": ("api.Demo.slow", "settles", SLOW),
    "edited": ("api.Demo.edited", "edited but the same", 't.value("answer", 42);'),
    "retired": ("api.Demo.retired", "only in run A", 't.value("run", "A");'),
    "fresh": ("api.Demo.fresh", "only in run B", 't.require("RTCPeerConnection.prototype.removeStream");'),
}

KNOBS = {
    "A": {
        "chromium": {
            "gain": False,
            "lose": False,
            "exception_name": "NotSupportedError",
            "message": "closed",
            "hang": True,
        },
        "firefox": {
            "gain": True,
            "lose": False,
            "exception_name": "InvalidStateError",
            "message": "closed",
            "hang": False,
        },
    },
    "B": {
        "chromium": {
            "gain": True,
            "lose": False,
            "exception_name": "OperationError",
            "message": "closed",
            "hang": False,
        },
        "firefox": {
            "gain": True,
            "lose": True,
            "exception_name": "InvalidStateError",
            "message": "The RTCPeerConnection's signalingState is 'closed'.",
            "hang": False,
        },
    },
}

CHROMIUM = "    use:\n      - playwright:\n          executable: /usr/bin/chromium\n"
FIREFOX = "    use:\n      - playwright:\n          channel: moz-firefox\n          executable: /usr/bin/firefox-esr\n"


def write_run(folder: Path, run: str) -> Path:
    """The probes folder, knob and matrix of run A or B; returns the matrix."""
    probes = folder / "probes" / "demo"
    probes.mkdir(parents=True)
    names = [n for n in PROBES if n != ("fresh" if run == "A" else "retired")]
    for name in names:
        feature, title, body = PROBES[name]
        meta = f"feature: {feature}\ntitle: {title}\n"
        if name == "slow":
            meta += "timeout: 3000\n"
        edit = "// reworded in run B\n" if name == "edited" and run == "B" else ""
        (probes / f"{name}.js").write_text(f"/*---\n{meta}---*/\n{PRELUDE}{edit}{body}\n")
    (folder / "probes" / "knob.json").write_text(json.dumps(KNOBS[run]))
    extra = "chromium-old" if run == "A" else "chromium-new"
    matrix = folder / "matrix.yaml"
    matrix.write_text(
        "version: 1\nprobe_timeout_ms: 20000\ntargets:\n"
        f"  - name: chromium\n    engine: chromium\n{CHROMIUM}"
        f"  - name: firefox\n    engine: firefox\n{FIREFOX}"
        f"  - name: {extra}\n    engine: chromium\n{CHROMIUM}"
    )
    return matrix


def make_runs(base: Path) -> dict[str, Any]:
    """Run A, then B (which keeps both in a history folder and compares B's table with A)."""
    history = base / "history"
    found: dict[str, Any] = {"base": base, "history": history}
    for run in ("A", "B"):
        folder = base / run
        matrix = write_run(folder, run)
        args = ["run", "-m", str(matrix), "--results", str(folder / "results.json"), "-o", str(folder / "index.html")]
        args += ["--history", str(history)]
        if run == "B":
            args += ["--compare", str(base / "A" / "results.json")]
        proc = compatprobe(*args)
        assert proc.returncode == 0, proc.stderr
        found[run] = folder / "results.json"
        found[f"{run}_stderr"] = proc.stderr
    return found
