"""Since when, at full scale: every pinned Chromium build (92 to 153) and Debian's 156, the full
generated sweep (api, javascript, css.properties) in each, then the brackets against BCD.

    COMPATPROBE_CACHE=... .venv/bin/python bench/versions.py --builds /tmp/DIR [--fetch]

--fetch times fetching and unpacking every build into --builds (an empty folder gives the cold
figure; about 7.4 GB). The run is a child process of its own, timed and with its peak memory;
fetching is not part of it. Prints the figures and writes them, with every contradicted BCD
version (the builds either side as evidence), to bench/results/ (not committed). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SWEEP = ["api.*", "javascript.*", "css.properties.*"]


def child(results_file: Path) -> None:
    """The run, as `compatprobe run -b 'chromium@*' -f ...` does it; one JSON line of figures."""
    import asyncio
    import resource

    from compatprobe.api import plan
    from compatprobe.results.model import write_results
    from compatprobe.run.runner import run_probes

    began = time.monotonic()
    planned = plan(ROOT / "matrix.yaml", browsers=["chromium@*"], features=SWEEP)
    planned_s = time.monotonic() - began
    results = asyncio.run(run_probes(planned.matrix, planned.probes, target_names=planned.targets))
    results.run.generated = planned.selection.generated
    ran = time.monotonic()
    write_results(results, results_file)
    report = {
        "plan_s": round(planned_s, 1),
        "run_s": round(ran - began - planned_s, 1),
        "write_s": round(time.monotonic() - ran, 1),
        "targets": {
            t.name: [t.status, t.browser.version if t.browser else None, len(t.outcomes)] for t in results.targets
        },
        "incidents": {t.name: t.incidents for t in results.targets if t.incidents},
        "probes": len(planned.probes),
        "results_mb": round(results_file.stat().st_size / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(report))


def fetch_all() -> dict[str, Any]:
    from compatprobe.data.builds import fetch_builds

    began = time.monotonic()
    found = fetch_builds(["chromium@*"])
    return {"fetch_s": round(time.monotonic() - began, 1), "builds": len(found), "gb": sum(s.size for s in found) / 1e9}


def judge(results_file: Path) -> dict[str, Any]:
    from compatprobe.bcd.brackets import brackets, counts
    from compatprobe.bcd.load import load_for
    from compatprobe.report.brackets import bracket_line
    from compatprobe.results.model import read_results

    results = read_results(results_file)
    data = load_for(None, results.probes, required=True)
    assert data is not None
    found = brackets([results], data)
    return {
        "counts": counts(found),
        "features": len(found),
        "contradictions": [
            {
                "feature": b.feature,
                "line": bracket_line(b),
                "reason": b.reason,
                "bcd": b.bcd_quote,
                "evidence": [b.evidence.added, b.evidence.before, b.evidence.after] if b.evidence else None,
            }
            for b in found
            if b.agreement == "contradicts"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=Path, required=True, help="the builds' folder ($COMPATPROBE_BUILDS)")
    parser.add_argument("--fetch", action="store_true", help="fetch and unpack every build first, timed")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--judge", type=Path, help="only judge this results file's brackets (print them as JSON)")
    args = parser.parse_args()
    os.environ["COMPATPROBE_BUILDS"] = str(args.builds)
    if args.child:
        return child(args.child)
    if args.judge:
        return print(json.dumps(judge(args.judge), indent=1))
    figures: dict[str, Any] = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "load": os.getloadavg()}
    if args.fetch:
        figures["fetch"] = fetch_all()
        print(json.dumps(figures["fetch"]), flush=True)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    results_file = args.builds.parent / "versions-results.json"
    began = time.monotonic()
    proc = subprocess.run([sys.executable, __file__, "--builds", str(args.builds), "--child", str(results_file)],
                          capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    figures["run"] = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["run"]["wall_s"] = round(time.monotonic() - began, 1)
    figures["brackets"] = judge(results_file)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"versions-{stamp}.json").write_text(json.dumps(figures, indent=1) + "\n")
    run = figures["run"]
    print(
        f"run: {run['wall_s']} s wall ({run['run_s']} s running), peak {run['peak_rss_mb']} MB, {run['probes']} probes"
    )
    print(f"targets: {len(run['targets'])}, not ok: {[n for n, t in run['targets'].items() if t[0] != 'ok']}")
    print(f"brackets: {figures['brackets']['counts']} over {figures['brackets']['features']} features")
    print(f"written: {out / f'versions-{stamp}.json'}")


if __name__ == "__main__":
    main()
