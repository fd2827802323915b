"""`compatprobe render DIR` of histories of daily sweeps, by how many runs they hold: the whole
command's time, its CPU and its peak memory, so that a history that grows every day (the scheduled
Action's) shows what each run costs it. A history grows by a run a day; memory that grows with the
runs, not with what changes, is a folder that outgrows the machine.

    .venv/bin/python bench/history.py --results out/results.json                 # 10, 30, 100 runs
    .venv/bin/python bench/history.py --results R.json --runs 10,30 --against /tmp/before

Run i of a history is the sweep's results started i days after the first, its browser's major
version one higher every ten runs (the same full version in between, as a packaged browser keeps
for weeks), with one outcome in 97 flipped between supported and unsupported, a different one each
run. `--against TREE` also times another checkout (its `src/` first on PYTHONPATH), interleaved.
Needs about 8 MB of disk per run of a Chromium sweep. Prints a table, writes JSON to bench/results/.
Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def day_run(data: dict[str, Any], day: int) -> bytes:
    """The sweep as the history's run of `day` (see the module's docstring)."""
    when = (date(2026, 1, 1) + timedelta(days=day)).isoformat() + "T05:17:00+00:00"
    made = orjson.loads(orjson.dumps(data))
    made["run"]["started"] = made["run"]["finished"] = when
    for target in made["targets"]:
        target["started"] = target["finished"] = when
        browser = target.get("browser") or {}
        if browser.get("version", "").split(".")[0].isdigit():
            major = int(browser["version"].split(".")[0]) + day // 10
            browser["version"] = f"{major}.0.{day // 10}.1"
        for index, outcome in enumerate(target["outcomes"]):
            if index % 97 == day % 97 and outcome["status"] in ("supported", "unsupported"):
                outcome["status"] = "unsupported" if outcome["status"] == "supported" else "supported"
    return orjson.dumps(made, option=orjson.OPT_INDENT_2)


def measure(folder: Path, out: Path, fmt: str, tree: Path | None) -> dict[str, float]:
    """One `render` of `folder` in a process of its own: wall and CPU seconds, peak RSS."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    argv = [sys.executable, "-m", "compatprobe", "render", str(folder), "--format", fmt, "-o", str(out)]
    began = time.monotonic()
    child = subprocess.Popen(argv, env=env)
    _, status, usage = os.wait4(child.pid, 0)  # the child's own rusage: its peak RSS
    wall = time.monotonic() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {os.waitstatus_to_exitcode(status)}")
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, required=True, help="a sweep's results file")
    parser.add_argument("--runs", default="10,30,100", help="the histories' sizes (default 10,30,100)")
    parser.add_argument("--format", default="md", choices=("md", "json", "html"), help="render's (default md)")
    parser.add_argument("--against", type=Path, help="another checkout to time, interleaved")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.runs.split(","))
    trees: dict[str, Path | None] = {"this": None, **({"against": args.against} if args.against else {})}
    data = orjson.loads(args.results.read_bytes())
    figures: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="compatprobe-history-") as scratch:
        folder = Path(scratch) / "history"
        folder.mkdir()
        for size in sizes:
            for day in range(len(list(folder.iterdir())), size):
                stamp = (date(2026, 1, 1) + timedelta(days=day)).strftime("%Y%m%d")
                (folder / f"{stamp}T051700Z.json").write_bytes(day_run(data, day))
            for name, tree in trees.items():
                page = "index.html" if args.format == "html" else f"table.{args.format}"
                out = Path(scratch) / f"out-{name}" / page
                figures.setdefault(name, {})[str(size)] = measure(folder, out, args.format, tree)
                print(f"{name:<8} {size:4d} runs", json.dumps(figures[name][str(size)]), flush=True)
    print(f"\n{'tree':<8} {'runs':>5} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}   (load {os.getloadavg()[0]:.2f})")
    for name, by_size in figures.items():
        for size, got in by_size.items():
            print(f"{name:<8} {size:>5} {got['wall_s']:7.2f} {got['cpu_s']:7.2f} {got['peak_mb']:8.1f}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    saved = BENCH / "results" / f"history-{stamp}.json"
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps({"format": args.format, "figures": figures}, indent=2) + "\n")
    print(f"\nfigures: {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
