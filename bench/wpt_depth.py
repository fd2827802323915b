"""How steady and how costly the removeTrack / removeStream / addStream probes are over repeated runs.

    .venv/bin/python bench/wpt_depth.py              # --repeat 10: shipped probes, then the controls
    .venv/bin/python bench/wpt_depth.py --repeat 3

Runs `compatprobe run --repeat N` on the shipped matrix (RTCPeerConnection/*, all three engines)
and on tests/fixtures/wpt_depth (the controls: each probe with its call taken out, Chromium and
Firefox), and prints the wall time, the load average and the flaky cells of each. It asserts
nothing. tests/test_wpt_depth.py runs the shipped probes ten times itself (about 40 s on a quiet
2-core machine); the controls wait out their events' timeouts, ten times over that is minutes, so
their repeated run lives here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
from wpt_controls import write_controls  # noqa: E402

RUNS = {
    "shipped": ["-m", str(ROOT / "matrix.yaml"), "-p", "RTCPeerConnection/*"],
    "controls": [],  # -m: the controls, made into the scratch folder by tests/wpt_controls.py
}


def measure(name: str, args: list[str], repeat: int, scratch: Path) -> dict[str, Any]:
    results = scratch / f"{name}.json"
    load = os.getloadavg()[0]
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "compatprobe", "run", "-q", *args, "--repeat", str(repeat),
         "--results", str(results), "-o", str(scratch / f"{name}.html")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.monotonic() - began
    if proc.returncode != 0:
        raise SystemExit(f"compatprobe run ({name}) exited {proc.returncode}:\n{proc.stderr}")
    data = json.loads(results.read_text())
    cells = [(t["name"], o["probe"]) for t in data["targets"] for o in t["outcomes"]]
    flaky = [f"{t['name']}: {o['probe']}" for t in data["targets"] for o in t["outcomes"] if o.get("flaky")]
    return {
        "wall_s": round(wall, 1),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "cells": len(cells),
        "flaky": flaky,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs of each probe (default: 10)")
    parser.add_argument("-o", "--out", type=Path, help="the JSON file (default: bench/results/wpt-depth-DATE.json)")
    args = parser.parse_args()
    report: dict[str, Any] = {"repeat": args.repeat, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as scratch:
        RUNS["controls"] = ["-m", str(write_controls(Path(scratch) / "controls"))]
        for name, run_args in RUNS.items():
            report[name] = figures = measure(name, run_args, args.repeat, Path(scratch))
            print(
                f"{name}: --repeat {args.repeat}, {figures['cells']} cells, {len(figures['flaky'])} flaky, "
                f"{figures['wall_s']} s (load {figures['load_before']} -> {figures['load_after']})"
            )
            for cell in figures["flaky"]:
                print(f"  flaky: {cell}")
    date = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    out = args.out or BENCH / "results" / f"wpt-depth-{date}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
