"""The control probes: each behaviour probe of removeTrack, removeStream and addStream with the lines
that call that method taken out, so a test can show the probe's outcome depends on it. They are made
from today's probes whenever they are needed (write_controls), so they cannot drift from them; the
matrix that runs them is tests/fixtures/wpt_depth/matrix.yaml.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "probes" / "RTCPeerConnection"
MATRIX = ROOT / "tests" / "fixtures" / "wpt_depth" / "matrix.yaml"
METHODS = ("removeTrack", "removeStream", "addStream")
FRONT_MATTER_END = "---*/\n"


def calls(method: str) -> re.Pattern[str]:
    """A line that calls `method` on something (not the t.require that checks it exists)."""
    return re.compile(rf"\.{method}\(")


def control_of(method: str, source: str, origin: str) -> str:
    """`source` without the lines that call `method`, with a comment saying so after the metadata."""
    head, _, body = source.partition(FRONT_MATTER_END)
    pattern = calls(method)
    lines = body.splitlines(keepends=True)
    kept = [line for line in lines if line.startswith("t.require(") or not pattern.search(line)]
    note = f"// Control: {origin} with its {method}() calls taken out (tests/wpt_controls.py).\n"
    return head + FRONT_MATTER_END + note + "".join(kept)


def controls() -> dict[str, str]:
    """Probe id (under probes/) to the control's text, for every behaviour probe of the three methods."""
    made = {}
    for method in METHODS:
        for path in sorted((SHIPPED / method).glob("*.js")):
            if path.stem == "exists":
                continue
            origin = path.relative_to(ROOT).as_posix()
            made[f"{method}/{path.stem}"] = control_of(method, path.read_text(encoding="utf-8"), origin)
    return made


def write_controls(folder: Path) -> Path:
    """Every control under folder/probes, and the controls' matrix beside them; returns the matrix."""
    for probe_id, text in controls().items():
        path = folder / "probes" / f"{probe_id}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    matrix = folder / "matrix.yaml"
    shutil.copyfile(MATRIX, matrix)
    return matrix
