"""The full sweep: every generated probe (api, javascript, css.properties) per engine and in all
three engines at once, against the floor of the same checks evaluated in one page with no
isolation; Python's peak memory; generation time from the cached data; coverage per category.

    COMPATPROBE_CACHE=... .venv/bin/python bench/sweep.py        # after 'compatprobe data fetch'

Each measurement runs in a child process of its own (imports, memory and caches are its own).
Prints a table and writes the figures as JSON to bench/results/ (not committed). Measures, asserts
nothing; other work on the machine skews the figures, so the load average is recorded too.
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
SWEEP = ["api.*", "javascript.*", "css.properties.*"]
ENGINES = ("chromium", "firefox", "webkit")
# mdn-bcd-collector's tests built from @webref/idl 3.85.0 (the figures).
COLLECTOR = {"api": 10173, "javascript": 1297, "css.properties": 4566}


def category(feature: str) -> str:
    return "css.properties" if feature.startswith("css.properties.") else feature.split(".", 1)[0]


def child(args: argparse.Namespace) -> None:
    """One measurement, printed as one JSON line."""
    import resource

    began = time.monotonic()
    from compatprobe.config.matrix import load_matrix
    from compatprobe.probes.select import choose

    imported = time.monotonic()
    matrix = load_matrix(ROOT / "matrix.yaml")
    selection = choose(matrix.probes_dir, [], SWEEP)
    generated = time.monotonic()
    report: dict[str, Any] = {
        "import_s": round(imported - began, 3),
        "generate_s": round(generated - imported, 3),
        "probes": len(selection.probes),
    }
    if args.engines:
        import asyncio

        from compatprobe.results.model import write_results
        from compatprobe.run.runner import run_probes

        results = asyncio.run(run_probes(matrix, selection.probes, target_names=args.engines))
        ran = time.monotonic()
        results.run.generated = selection.generated
        write_results(results, Path(args.out))
        report.update(
            run_s=round(ran - generated, 3),
            write_s=round(time.monotonic() - ran, 3),
            targets={t.name: {"status": t.status, "outcomes": len(t.outcomes)} for t in results.targets},
            results_bytes=Path(args.out).stat().st_size,
        )
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report))


def spawn(*extra: str) -> dict[str, Any]:
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *extra], capture_output=True, text=True, timeout=3600, cwd=ROOT
    )
    if proc.returncode != 0:
        raise SystemExit(f"child {' '.join(extra)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    report["wall_s"] = round(time.monotonic() - began, 3)
    report["load"] = round(os.getloadavg()[0], 2)
    return report


def floor(engine: str, checks: dict[str, str]) -> dict[str, Any]:
    """The same questions, written as plain expressions, in one page: launch to answers."""
    sys.path.insert(0, str(ROOT / "tests"))
    from direct import evaluate_many
    from generated_checks import direct_expression

    expressions = {pid: direct_expression(source) for pid, source in checks.items()}
    began = time.monotonic()
    answers = evaluate_many(engine, expressions)
    return {
        "floor_s": round(time.monotonic() - began, 3),
        "answers": len(answers),
        "load": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    parser.add_argument("engines", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    from compatprobe.config.matrix import load_matrix
    from compatprobe.probes.select import choose

    scratch = Path(tempfile.mkdtemp(prefix="compatprobe-sweep-"))
    figures: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    figures["generation"] = [spawn() for _ in range(3)]  # from the cache (the first run of all fills it)
    matrix = load_matrix(ROOT / "matrix.yaml")
    selection = choose(matrix.probes_dir, [], SWEEP)
    made = [p for p in selection.probes if p.generated]
    counts: dict[str, int] = {}
    for p in made + selection.not_run:
        counts[category(p.feature)] = counts.get(category(p.feature), 0) + 1
    figures["coverage"] = {
        "generated": counts,
        "collector": COLLECTOR,
        "hand_written": len(selection.probes) - len(made),
        "not_run_worklets_only": len(selection.not_run),
        # BCD's api.X.worker_support ids: checked by running api.X's probe in a worker as well.
        "worker_subfeatures": sum(1 for p in made if "Window" in p.exposed and p.scopes and len(p.scopes) > 1),
        "left_out": selection.generated["left_out"] if selection.generated else {},
    }
    checks = {p.id: p.source for p in made}
    out = BENCH / "results" / f"sweep-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)

    def save() -> None:  # after each measurement: a failure later keeps what was measured
        out.write_text(json.dumps(figures, indent=2) + "\n")

    save()
    figures["engines"] = {}
    for engine in ENGINES:
        run = spawn("--out", str(scratch / f"{engine}.json"), engine)
        low = floor(engine, checks)
        run["floor"] = low
        run["ratio"] = round(run["run_s"] / low["floor_s"], 2)
        figures["engines"][engine] = run
        print(engine, json.dumps(run), flush=True)
        save()
    figures["all"] = spawn("--out", str(scratch / "all.json"), *ENGINES)
    figures["all"]["floor_s"] = round(sum(e["floor"]["floor_s"] for e in figures["engines"].values()), 3)
    save()
    figures["bcd"] = contradictions(scratch / "all.json")
    save()
    print_table(figures)
    print(f"\nfigures: {out}\nresults: {scratch}")


def contradictions(results_file: Path) -> dict[str, Any]:
    from compatprobe.bcd.compare import compare
    from compatprobe.bcd.load import load_for
    from compatprobe.results.model import read_results

    began = time.monotonic()
    results = read_results(results_file)
    read = time.monotonic()
    data = load_for(None, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    done = time.monotonic()
    per: dict[str, dict[str, int]] = {}
    for c in comparison.comparisons:
        label = comparison.mappings[c.target].label(data.browsers)
        per.setdefault(label, {}).setdefault(c.agreement, 0)
        per[label][c.agreement] += 1
    return {"read_s": round(read - began, 3), "compare_s": round(done - read, 3), "agreements": per}


def print_table(f: dict[str, Any]) -> None:
    gen = f["generation"]
    print("generation from the cache (s):", ", ".join(str(g["generate_s"]) for g in gen), "| probes", gen[0]["probes"])
    cov = f["coverage"]
    print("coverage (generated vs mdn-bcd-collector):")
    for cat, n in sorted(cov["generated"].items()):
        print(f"  {cat:16} {n:6}   collector {COLLECTOR.get(cat, '-')}")
    print(
        f"  hand-written {cov['hand_written']}, exposed only in worklets (not run) {cov['not_run_worklets_only']}, "
        f"worker subfeatures checked in workers {cov['worker_subfeatures']}"
    )
    print(f"{'engine':10} {'run s':>7} {'floor s':>8} {'ratio':>6} {'peak MB':>8} {'outcomes':>9} load")
    for engine, e in f["engines"].items():
        t = e["targets"][engine]
        print(
            f"{engine:10} {e['run_s']:7} {e['floor']['floor_s']:8} {e['ratio']:6} {e['peak_rss_mb']:8} "
            f"{t['outcomes']:9} {e['load']}"
        )
    a = f["all"]
    print(
        f"{'all three':10} {a['run_s']:7} {a['floor_s']:8} {round(a['run_s'] / a['floor_s'], 2):6} {a['peak_rss_mb']:8}"
    )
    print(
        "BCD:", json.dumps(f["bcd"]["agreements"]), f"(read {f['bcd']['read_s']} s, compare {f['bcd']['compare_s']} s)"
    )


if __name__ == "__main__":
    main()
