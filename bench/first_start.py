"""How long `compatprobe run` of the sweep takes to have its first browser ready with the probes served:
process start to the progress line "TARGET: started ...", which comes once the browser is up and the
probes are chosen (issue #26, the part before the first outcome). The command is then stopped with
SIGTERM: everything after that line is the same code in both trees, and is bench/command.py's.

    .venv/bin/python bench/first_start.py --against /tmp/before --repeat 10 chromium firefox

Short runs, many of them, interleaved: on a shared machine the whole command (10 to 16 s) moves by
seconds with the load, more than the part measured here. Prints medians, ranges and the median of
the paired differences (this tree minus the other, same round); measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWEEP = ["api.*", "javascript.*", "css.properties.*"]


def first_start(tree: Path, engine: str, scratch: Path) -> dict[str, float]:
    """Seconds from process start to the 'serving probes' line and to the target's 'started' line."""
    flags = [f"-f={pattern}" for pattern in SWEEP]
    argv = [sys.executable, "-m", "compatprobe", "run", *flags, "-b", engine]
    argv += ["--results", str(scratch / "results.json"), "-o", str(scratch / "index.html")]
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "PYTHONUNBUFFERED": "1"}
    began = time.monotonic()
    proc = subprocess.Popen(argv, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    marks: dict[str, float] = {}
    assert proc.stderr is not None
    for line in proc.stderr:
        if "serving probes at" in line:
            marks["serving_s"] = round(time.monotonic() - began, 3)
        if f"{engine}: started " in line:
            marks["started_s"] = round(time.monotonic() - began, 3)
            proc.send_signal(signal.SIGTERM)  # a clean stop: browsers closed, nothing written
            break
    proc.stderr.read()
    proc.wait(timeout=120)
    if "started_s" not in marks:
        raise SystemExit(f"{tree}: {engine} never started (exit {proc.returncode})")
    marks["load"] = round(os.getloadavg()[0], 2)
    return marks


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, required=True, metavar="TREE", help="the other checkout")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each (default 10)")
    parser.add_argument("engines", nargs="*", default=["chromium", "firefox"])
    args = parser.parse_args()
    trees = {"this": ROOT, "against": args.against.resolve()}
    scratch = Path(tempfile.mkdtemp(prefix="compatprobe-first-start-"))
    runs: dict[tuple[str, str], list[dict[str, float]]] = {(e, t): [] for e in args.engines for t in trees}
    for round_ in range(args.repeat + 1):  # one untimed round first: disk caches
        for engine in args.engines:
            for tag, tree in trees.items():
                marks = first_start(tree, engine, scratch / f"{engine}-{tag}")
                if round_:
                    runs[(engine, tag)].append(marks)
                print(engine, tag, marks, flush=True)
    print(f"\n{'engine':10} {'tree':8} {'serving s':>22} {'browser started s':>22} {'load':>22}")
    for (engine, tag), marks in runs.items():
        print(
            f"{engine:10} {tag:8} {spread([m['serving_s'] for m in marks]):>22} "
            f"{spread([m['started_s'] for m in marks]):>22} {spread([m['load'] for m in marks]):>22}"
        )
    for engine in args.engines:
        this, against = runs[(engine, "this")], runs[(engine, "against")]
        paired = [a["started_s"] - b["started_s"] for a, b in zip(this, against, strict=True)]
        print(f"{engine}: this minus against, same round: median {statistics.median(paired):+.3f} s, {spread(paired)}")


if __name__ == "__main__":
    main()
