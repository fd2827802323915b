"""Where the sweep's runner time goes, per engine: Playwright's driver, the browser's launch, the
harness page, the plan's start, collecting the outcomes, the browser's close, and inside the page
the harness's own counters (realms, snapshots, checks, probes, each worker scope's workers).

    .venv/bin/python bench/runner_phases.py firefox chromium
    .venv/bin/python bench/runner_phases.py --repeat 3 --against /tmp/before firefox   # interleaved

Each run is a child process that runs `run_probes` on the sweep (api, javascript, css.properties)
with the runner's steps wrapped in timers, and asks the page for `__compatprobe.stats()` once its
outcomes are in. Prints medians and spreads per phase, with the load average. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SWEEP = ["api.*", "javascript.*", "css.properties.*"]


def child(engine: str) -> None:
    """One run of the sweep in `engine`, in the checkout on PYTHONPATH; prints its phases as JSON."""
    import compatprobe.browsers.playwright_session as playwright_session
    import compatprobe.run.recovery as recovery
    import compatprobe.run.rounds as rounds
    import compatprobe.run.runner as runner
    from compatprobe.config.matrix import load_matrix
    from compatprobe.probes.select import choose

    began = 0.0
    phases: dict[str, float] = {}
    # Each page's counters, as it last gave them: with lanes, the window's and the workers'. They
    # count from the page's start, and a page that borrows probes collects twice.
    stats: dict[int, dict[str, Any]] = {}

    def timed(name: str, call: Any) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            phases.setdefault(f"{name}_at", round(start - began, 3))
            value = await call(*args, **kwargs)
            phases[name] = round(phases.get(name, 0) + time.monotonic() - start, 3)
            return value

        return wrapper

    collect = rounds._collect

    async def collect_then_ask(page: Any, *args: Any, **kwargs: Any) -> Any:
        loss = await collect(page, *args, **kwargs)
        stats[id(page)] = await page.harness("stats", None)
        return loss

    runner.start_session = timed("launch", runner.start_session)
    recovery.BrowserKeeper._open = timed("open_page", recovery.BrowserKeeper._open)
    recovery.BrowserKeeper.close = timed("close", recovery.BrowserKeeper.close)
    playwright_session.PlaywrightPageHandle.harness = timed("calls", playwright_session.PlaywrightPageHandle.harness)
    rounds._start = timed("start", rounds._start)
    rounds._collect = timed("collect", collect_then_ask)
    matrix = load_matrix(Path.cwd() / "matrix.yaml")
    probes = choose(matrix.probes_dir, [], SWEEP).probes
    began = time.monotonic()
    results = asyncio.run(runner.run_probes(matrix, probes, target_names=[engine]))
    phases["runner"] = round(time.monotonic() - began, 3)
    phases["outcomes"] = len(results.targets[0].outcomes)
    print(json.dumps({"phases": phases, "stats": list(stats.values())}))


def flat(report: dict[str, Any]) -> dict[str, float]:
    """The figures of one run: its phases (a lane's steps add up with the other's: `collect` is
    the sum of both lanes' waits), the window's counters and each worker scope's, over its pages."""
    figures = {k: v for k, v in report["phases"].items() if isinstance(v, int | float)}
    for page in report["stats"]:
        page = dict(page)
        for scope, counters in page.pop("scopes", {}).items():
            for k, v in counters.items():
                if isinstance(v, int | float):
                    figures[f"{scope}.{k}"] = figures.get(f"{scope}.{k}", 0) + v
        for k, v in page.items():
            if isinstance(v, int | float):
                figures[k] = figures.get(k, 0) + v
    return figures


def measure(engine: str, tree: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    proc = subprocess.run(
        [sys.executable, __file__, "--child", engine], cwd=tree, env=env, capture_output=True, text=True, timeout=900
    )
    if proc.returncode != 0:
        raise SystemExit(f"{engine} in {tree} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    figures = flat(json.loads(proc.stdout.strip().splitlines()[-1]))
    figures["load"] = round(os.getloadavg()[0], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (default 1)")
    parser.add_argument("--against", type=Path, metavar="TREE", help="also another checkout, interleaved")
    parser.add_argument("engines", nargs="*", default=["firefox", "chromium"])
    args = parser.parse_args()
    if args.child:
        child(args.engines[0])
        return
    trees = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    runs: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for engine in args.engines:
            for tag, tree in trees.items():
                figures = measure(engine, tree)
                runs.setdefault(f"{engine} ({tag})", []).append(figures)
                print(f"{engine} ({tag}): runner {figures['runner']} s, load {figures['load']}", flush=True)
    for name, figures in runs.items():
        print(f"\n{name}, {len(figures)} runs: median (lowest-highest)")
        for key in figures[0]:
            values = [f.get(key, 0) for f in figures]
            print(f"  {key:28} {statistics.median(values):10.2f} ({min(values):.2f}-{max(values):.2f})")


if __name__ == "__main__":
    main()
