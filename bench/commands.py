"""The commands a user runs on a sweep's results besides `run`, each timed whole (a process per run),
at half the sweep and at the whole: `bcd`, `collector-report`, `diff`, `merge` and `render` of one
run, of a history of runs and of a file of several builds. The ratio (whole over half) is about 2
for a command whose work grows with its input; well above 2, a walk inside a walk (three were found
this way, 6 December: `bcd` took 7.8 s of a Chromium sweep, `render` of eleven runs 11.7 s).

    .venv/bin/python bench/commands.py --results out/results.json   # a real sweep's results file
    .venv/bin/python bench/commands.py                              # the synthetic sweep of bench/table.py

BCD and web-features come from the cache ('compatprobe data fetch'), as a user's commands take them.
Each command writes into a new folder, so `render`'s figures hold the creation of 3,434 files, which
on some machines costs seconds by itself (docs/performance.md, "Creating files on this machine").
Prints a table, writes JSON to bench/results/. Measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
COMPATPROBE = [sys.executable, "-m", "compatprobe"]
RUNS = 6  # the history's runs, and the builds in one file


def synthetic(folder: Path) -> Path:
    sys.path.insert(0, str(BENCH))
    from table import synthetic_results  # bench/table.py

    from compatprobe.results.model import write_results

    path = folder / "synthetic.json"
    write_results(synthetic_results(7355), path)
    return path


def halved(data: dict[str, Any]) -> dict[str, Any]:
    """The results of every other probe."""
    keep = {p["id"] for p in sorted(data["probes"], key=lambda p: p["id"])[::2]}
    half = copy.deepcopy(data)
    half["probes"] = [p for p in half["probes"] if p["id"] in keep]
    for target in half["targets"]:
        target["outcomes"] = [o for o in target["outcomes"] if o["probe"] in keep]
    return half


def earlier(data: dict[str, Any], back: int, seed: int) -> dict[str, Any]:
    """The same run `back` releases and days earlier, with one supported answer in fifty taken away."""
    made, pick = copy.deepcopy(data), random.Random(seed)
    made["run"]["started"] = made["run"]["finished"] = f"2026-11-{10 + back:02d}T10:00:00+00:00"
    for target in made["targets"]:
        browser = target.get("browser") or {}
        if browser.get("version", "").split(".")[0].isdigit():
            major = browser["version"].split(".")[0]
            browser["version"] = browser["version"].replace(major, str(int(major) - back), 1)
            browser["user_agent"] = browser.get("user_agent", "").replace(f"/{major}.", f"/{int(major) - back}.")
        for outcome in target["outcomes"]:
            if outcome["status"] == "supported" and pick.random() < 0.02:
                outcome["status"] = "unsupported"
    return made


def builds(data: dict[str, Any]) -> dict[str, Any]:
    """One file holding the first target in RUNS releases, as `-b chromium@N` runs write it."""
    made = copy.deepcopy(data)
    first = data["targets"][:1]
    made["targets"] = []
    for back in range(RUNS):
        target = copy.deepcopy(earlier({**data, "targets": first}, back, back)["targets"][0])
        target["name"] = f"{target['name']}@{(target.get('browser') or {}).get('version', '0').split('.')[0]}"
        made["targets"].append(target)
    return made


def inputs(data: dict[str, Any], folder: Path) -> dict[str, list[str]]:
    """The files of one size, and each command's arguments."""
    folder.mkdir()
    results, other, many = folder / "results.json", folder / "earlier.json", folder / "builds.json"
    history = folder / "history"
    history.mkdir()
    results.write_text(json.dumps(data))
    other.write_text(json.dumps(earlier(data, 1, 1)))
    many.write_text(json.dumps(builds(data)))
    for back in range(RUNS):
        (history / f"{RUNS - back:02d}.json").write_text(json.dumps(earlier(data, back, back) if back else data))
    out = folder / "out"
    return {
        "bcd": ["bcd", str(results)],
        "bcd of builds": ["bcd", str(many)],
        "collector-report": ["collector-report", str(results), "-o", str(out / "collector")],
        "diff": ["diff", str(other), str(results)],
        "merge": ["merge", str(other), str(many), "-o", str(out / "merged.json")],
        "render": ["render", str(results), "-o", str(out / "one" / "index.html")],
        "render --compare": ["render", "--compare", str(other), str(results), "-o", str(out / "cmp" / "index.html")],
        "render of a history": ["render", str(history), "-o", str(out / "history" / "index.html")],
        "render of builds": ["render", str(many), "-o", str(out / "builds" / "index.html")],
    }


def timed(argv: list[str], out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)  # every page written, as into a new folder
    began = time.monotonic()
    done = subprocess.run([*COMPATPROBE, *argv], capture_output=True, text=True)
    took = time.monotonic() - began
    if done.returncode not in (0, 1):
        raise SystemExit(f"compatprobe {' '.join(argv)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, help="a sweep's results file (default: a synthetic one)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    args = parser.parse_args()
    figures: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="compatprobe-commands-") as scratch:
        folder = Path(scratch)
        data = json.loads((args.results or synthetic(folder)).read_text())
        sizes = {"half": inputs(halved(data), folder / "half"), "whole": inputs(data, folder / "whole")}
        for _ in range(args.repeat):
            for name in sizes["whole"]:
                for size, commands in sizes.items():
                    took = timed(commands[name], folder / size / "out")
                    figures.setdefault(name, {}).setdefault(size, []).append(took)
    print(f"{'command':<22} {'half s':>8} {'whole s':>8} {'ratio':>6}   ({len(data['probes'])} probes, load {load()})")
    for name, by_size in figures.items():
        half, whole = (statistics.median(by_size[s]) for s in ("half", "whole"))
        print(f"{name:<22} {half:8.2f} {whole:8.2f} {whole / half:6.2f}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    saved = BENCH / "results" / f"commands-{stamp}.json"
    saved.parent.mkdir(exist_ok=True)
    saved.write_text(json.dumps({"probes": len(data["probes"]), "load": load(), "seconds": figures}, indent=2) + "\n")
    print(f"\nfigures: {saved}")
    return 0


def load() -> float:
    return round(os.getloadavg()[0], 2)


if __name__ == "__main__":
    sys.exit(main())
