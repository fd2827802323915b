"""compatprobe's benchmark: floor ratio, throughput, scaling and memory, from one run.

    .venv/bin/python bench/run.py                # everything, a few minutes on 2 cores
    .venv/bin/python bench/run.py --quick        # smaller sizes, one repeat: a smoke test

Prints a table and writes the figures as JSON to bench/results/ (not committed). It is not part
of the test suite: it asserts nothing, it measures. Other work on the machine skews the figures,
so it records the load average next to each measurement.

1. Floor ratio: wall time of `compatprobe run` on the shipped matrix, divided by the wall time of
   bench/floor.py, which starts the same browsers the same way at the same time, opens one page
   in each and closes them. Medians of --repeat interleaved runs.
2. Throughput: probes per second per engine on a generated suite of 1,000 existence probes
   (members of real interfaces, listed in bench/members.txt), one engine at a time.
3. Scaling: the same for 10, 100, 1,000 and 5,000 probes per engine.
4. Memory: peak RSS of the Python process and the size of the results file, 5,000 probes in all
   targets at once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
SIZES = (10, 100, 1000, 5000)
THROUGHPUT_SIZE = 1000
MEMORY_SIZE = 5000

PROBE = """/*---
feature: api.{interface}.{member}
title: {interface}.prototype.{member}
---*/
t.require("{interface}.prototype.{member}");
"""


def members() -> list[tuple[str, str]]:
    """(interface, member) pairs from bench/members.txt: `Interface member member ...` per line."""
    pairs = []
    for line in (BENCH / "members.txt").read_text().splitlines():
        interface, *names = line.split()
        # compatprobe skips files whose name starts with "_" (such as __proto__.js).
        pairs.extend((interface, name) for name in names if not name.startswith("_"))
    return pairs


def write_suite(folder: Path, size: int) -> Path:
    """A probes folder with `size` existence probes and a matrix using the shipped targets."""
    pairs = members()
    if size > len(pairs):
        raise SystemExit(f"bench/members.txt has {len(pairs)} members; {size} asked for")
    probes = folder / "probes"
    for interface, member in pairs[:size]:
        path = probes / interface / f"{member}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PROBE.format(interface=interface, member=member))
    shipped = yaml.safe_load((ROOT / "matrix.yaml").read_text())
    matrix = {
        "version": 1,
        "probes_dir": str(probes),
        "probe_timeout_ms": shipped.get("probe_timeout_ms", 5000),
        "target_timeout_s": 3600,
        "targets": shipped["targets"],
    }
    path = folder / "matrix.yaml"
    path.write_text(yaml.safe_dump(matrix, sort_keys=False))
    return path


def load() -> float:
    return round(os.getloadavg()[0], 2)


# Python caches compiled modules unless told not to; some sandboxes and CI images set this, and
# then every run compiles compatprobe's modules again (about 70 ms), which users do not pay.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, subprocess.CompletedProcess[str]]:
    began = time.monotonic()
    proc = subprocess.run(command, cwd=cwd, env=CHILD_ENV, capture_output=True, text=True, timeout=3600)
    took = time.monotonic() - began
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return took, proc


def floor_ratio(repeat: int, scratch: Path) -> dict[str, Any]:
    """`compatprobe run` on the shipped matrix against starting the same browsers, interleaved."""
    floor = [PYTHON, str(BENCH / "floor.py"), str(ROOT / "matrix.yaml")]

    def run(out: Path) -> list[str]:
        return [
            PYTHON,
            "-m",
            "compatprobe",
            "run",
            "-q",
            "--results",
            str(out / "results.json"),
            "-o",
            str(out / "index.html"),
        ]

    runs, floors, loads = [], [], []
    # One untimed pair first: it compiles modules and brings the browsers' files into the page cache.
    timed(floor)
    timed(run(scratch / "warm-up"))
    for i in range(repeat):
        loads.append(load())
        took, _ = timed(floor)
        floors.append(round(took, 3))
        took, _ = timed(run(scratch / f"shipped-{i}"))
        runs.append(round(took, 3))
    loads.append(load())
    run_s, floor_s = statistics.median(runs), statistics.median(floors)
    return {
        "run_s": run_s,
        "floor_s": floor_s,
        "ratio": round(run_s / floor_s, 3),
        "run_samples_s": runs,
        "floor_samples_s": floors,
        "load": loads,
    }


def child_run(matrix: Path, out: Path, engines: list[str] | None) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    command = [PYTHON, str(BENCH / "child.py"), str(matrix), str(out / "results.json"), str(out / "index.html")]
    for engine in engines or []:
        command += ["-b", engine]
    before = load()
    took, proc = timed(command)
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["wall_s"] = round(took, 3)
    report["load"] = [before, load()]
    for mark in report["targets"].values():
        if mark.get("error"):
            mark["error"] = mark["error"][:300]
        if "last_outcome" in mark:
            # From the browser being up to its last outcome: the harness page, the sources, every
            # probe and every outcome's way back to Python. Launching and closing are not in it.
            mark["phase_s"] = round(mark["last_outcome"] - mark["started"], 3)
            mark["per_s"] = round(mark.get("outcomes", 0) / mark["phase_s"], 1) if mark["phase_s"] else None
    return report


def scaling(
    engines: list[str], sizes: list[int], repeat: int, suites: dict[int, Path], scratch: Path
) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for engine in engines:
        table[engine] = {}
        for size in sizes:
            tries = repeat if size == THROUGHPUT_SIZE else 1
            reports = [child_run(suites[size], scratch / f"{engine}-{size}-{i}", [engine]) for i in range(tries)]
            # The median try by rate stands for the size; all tries are kept.
            reports.sort(key=lambda r: r["targets"].get(engine, {}).get("per_s") or 0)
            chosen = reports[len(reports) // 2]
            chosen["tries"] = [_brief(r, engine) for r in reports]
            table[engine][str(size)] = chosen
        table[engine]["fit"] = linear_fit(table[engine], engine)
    return table


def _brief(report: dict[str, Any], engine: str) -> dict[str, Any]:
    mark = report["targets"].get(engine, {})
    return {k: mark.get(k) for k in ("phase_s", "per_s", "status")} | {"wall_s": report["wall_s"]}


def linear_fit(sizes: dict[str, Any], engine: str) -> dict[str, float] | None:
    """Least squares of phase time on probe count: the slope is the cost of one more probe."""
    points = [
        (int(n), r["targets"][engine]["phase_s"]) for n, r in sizes.items() if "phase_s" in r["targets"].get(engine, {})
    ]
    if len(points) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in points)
    ss_tot = sum((y - mean_y) ** 2 for _, y in points)
    return {
        "ms_per_probe": round(slope * 1000, 3),
        "fixed_s": round(intercept, 3),
        "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0,
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version()}
    try:
        info["os"] = platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform())
    except OSError:
        info["os"] = platform.platform()
    with contextlib.suppress(ValueError, OSError):
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return info


def browsers(results_file: Path) -> dict[str, str]:
    data = json.loads(results_file.read_text())
    return {t["name"]: f"{t['browser']['name']} {t['browser']['version']}" for t in data["targets"] if t.get("browser")}


def print_table(report: dict[str, Any]) -> None:
    m = report["machine"]
    print(f"\ncompatprobe benchmark, {report['date']} on {m['os']}, {m['cpus']} cores ({m['cpu']})")
    print("browsers: " + ", ".join(f"{k}: {v}" for k, v in report["browsers"].items()))
    floor = report.get("floor")
    if floor:
        print(
            f"\n(1) floor ratio {floor['ratio']:.2f}: compatprobe run {floor['run_s']:.2f} s / "
            f"start browsers, one page, close {floor['floor_s']:.2f} s "
            f"(medians of {len(floor['run_samples_s'])}; load {floor['load'][0]} -> {floor['load'][-1]})"
        )
    if report.get("scaling"):
        print("\n(2) throughput and (3) scaling, one engine at a time")
        print(f"{'engine':<10}{'probes':>8}{'wall s':>9}{'phase s':>9}{'probes/s':>10}  {'status':<9}{'load':<12}")
        for engine, sizes in report["scaling"].items():
            for size, r in sizes.items():
                if size == "fit":
                    continue
                mark = r["targets"].get(engine, {})
                print(
                    f"{engine:<10}{size:>8}{r['wall_s']:>9.2f}{mark.get('phase_s', 0):>9.2f}"
                    f"{mark.get('per_s') or 0:>10.0f}  {mark.get('status', '?'):<9}{r['load'][0]} -> {r['load'][1]}"
                )
            fit = sizes.get("fit")
            if fit:
                print(
                    f"{'':<10}  linear fit: {fit['ms_per_probe']:.3f} ms per probe + {fit['fixed_s']:.2f} s, "
                    f"r² {fit['r2']:.4f}"
                )
        print("  wall: the whole process; phase: browser up -> last outcome (harness page, probes, outcomes)")
    mem = report.get("memory")
    if mem:
        print(
            f"\n(4) memory, {mem['probes']} probes x {len(mem['targets'])} targets at once: Python peak RSS "
            f"{mem['peak_rss_mb']:.0f} MB, results file {mem['results_bytes'] / 1e6:.1f} MB, "
            f"table {mem['html_bytes'] / 1e6:.1f} MB, wall {mem['wall_s']:.1f} s"
        )
        steps = mem["steps"]
        print(
            f"    steps: imports {steps['imported']:.2f} s, probes loaded {steps['probes_loaded']:.2f} s, "
            f"ran {steps['ran']:.2f} s, results {steps['results_written']:.2f} s, "
            f"table {steps['table_written']:.2f} s (since start)"
        )
        for name, mark in mem["targets"].items():
            print(f"    {name}: {mark.get('outcomes')} outcomes, {mark.get('per_s') or 0:.0f} probes/s while sharing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="tries for the floor ratio and throughput (median)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="probes per engine for scaling")
    parser.add_argument("--engines", default="chromium,firefox,webkit", help="targets for throughput and scaling")
    parser.add_argument("--memory-size", type=int, default=MEMORY_SIZE, help="probes per target for the memory run")
    parser.add_argument("--skip", action="append", default=[], choices=["floor", "scaling", "memory"])
    parser.add_argument("--quick", action="store_true", help="sizes 10,100,1000, memory at 1000, one try")
    parser.add_argument("--label", default="", help="a word for the JSON file's name, e.g. before/after")
    parser.add_argument("-o", "--out", type=Path, help="the JSON file (default: bench/results/DATE[-LABEL].json)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.memory_size, args.repeat = "10,100,1000", 1000, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    date = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report: dict[str, Any] = {"date": date, "machine": machine(), "git": _git_head()}
    scratch = Path(tempfile.mkdtemp(prefix="compatprobe-bench-"))
    try:
        suites = {n: write_suite(scratch / f"suite-{n}", n) for n in sorted({*sizes, args.memory_size})}
        if "floor" not in args.skip:
            print(f"(1) floor ratio: {args.repeat} x (floor, compatprobe run) ...", file=sys.stderr, flush=True)
            report["floor"] = floor_ratio(args.repeat, scratch)
        if "scaling" not in args.skip:
            print(f"(2, 3) {engines} x {sizes} probes ...", file=sys.stderr, flush=True)
            report["scaling"] = scaling(engines, sizes, args.repeat, suites, scratch)
        if "memory" not in args.skip:
            print(f"(4) {args.memory_size} probes in every target ...", file=sys.stderr, flush=True)
            report["memory"] = child_run(suites[args.memory_size], scratch / "memory", None)
            report["browsers"] = browsers(scratch / "memory" / "results.json")
        if "browsers" not in report:
            shipped = scratch / "shipped-0" / "results.json"
            report["browsers"] = browsers(shipped) if shipped.exists() else {}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out = args.out or BENCH / "results" / f"{date}{'-' + args.label if args.label else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\nwrote {out}")


def _git_head() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout.strip()


if __name__ == "__main__":
    main()
