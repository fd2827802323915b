"""What worker scopes cost per probe against the window, measured in one run per engine.

    .venv/bin/python bench/scopes.py [--size 200] [--engines chromium,firefox,webkit] [--json PATH]

For each engine it opens the harness page as `compatprobe run` does and gives it one plan: the
same generated existence probes (bench/members.txt, as bench/run.py writes them) in the window,
a dedicated worker, a shared worker and a service worker. The harness times each scope itself
(performance.now() in the page, from its first probe to its last outcome, a worker's start-up
included), so the figures come from one page, one browser and the same moment. A member that a
worker lacks ends as quickly as one it has (`t.require` stops at the first missing name), so the
outcomes differ between scopes but not the work the harness does for them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import write_suite

from compatprobe.browsers.launch import start_session
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.resolve import bundled_paths
from compatprobe.browsers.targets import resolve
from compatprobe.config.matrix import load_matrix
from compatprobe.probes.loader import load_probes
from compatprobe.run.harness import plan_columns
from compatprobe.run.server import ProbeServer
from compatprobe.scopes import SCOPES


async def one_run(session: Any, url: str, ids: list[str]) -> dict[str, Any]:
    page = await session.new_page()
    try:
        await page.goto(url)
        probes = plan_columns([(i, scope) for scope in SCOPES for i in ids], dict.fromkeys(ids, 5000))
        began = time.monotonic()
        await page.harness("start", {"sources_url": url + "probes.json", "probes": probes})
        statuses: dict[str, dict[str, int]] = {scope: {} for scope in SCOPES}
        while True:
            batch = await page.harness("next", 1000)
            for raw in batch["results"]:
                counts = statuses[raw.get("scope") or "window"]
                counts[raw["status"]] = counts.get(raw["status"], 0) + 1
            if batch["done"]:
                break
        wall = time.monotonic() - began
        stats = await page.harness("stats", None)
    finally:
        await page.close()
    scopes = {"window": {"probes": len(ids), "run_ms": stats["run_ms"], "realms": stats["realms"]}}
    for scope in SCOPES[1:]:
        s = stats["scopes"][scope]
        scopes[scope] = {k: s[k] for k in ("probes", "run_ms", "workers", "start_ms", "batches", "dirty", "hung")}
    for scope, figures in scopes.items():
        figures["per_probe_ms"] = round(figures["run_ms"] / figures["probes"], 3)
        figures["outcomes"] = statuses[scope]
    return {"wall_s": round(wall, 2), "scopes": scopes}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200, help="probes per scope")
    parser.add_argument("--engines", default="chromium,firefox,webkit")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    matrix = load_matrix(write_suite(Path(tempfile.mkdtemp(prefix="compatprobe-scopes-")), args.size))
    probes = load_probes(matrix.probes_dir, ["*"])
    ids = [p.id for p in probes]
    report: dict[str, Any] = {"size": len(ids), "load": round(os.getloadavg()[0], 2), "engines": {}}
    children = ChildProcesses()
    with ProbeServer(probes, matrix.probes_dir) as server:
        async with async_playwright() as pw:
            bundled = await bundled_paths(pw)
            for spec in matrix.targets:
                if spec.engine not in args.engines.split(","):
                    continue
                resolved = resolve(spec, bundled)
                assert resolved.chosen is not None
                session = await start_session(spec.engine, resolved.chosen, pw, os.environ, children)
                try:
                    await one_run(session, server.url, ids[: min(20, len(ids))])  # warm-up: caches, JIT
                    figures = await one_run(session, server.url, ids)
                finally:
                    await session.close()
                report["engines"][spec.name] = figures
                window = figures["scopes"]["window"]["per_probe_ms"]
                print(f"{spec.name}: {len(ids)} probes in each of {len(SCOPES)} scopes, {figures['wall_s']} s in all")
                for scope, f in figures["scopes"].items():
                    extra = ""
                    if scope != "window":
                        start = f["start_ms"] / f["workers"] if f["workers"] else 0
                        extra = f"; {f['workers']} worker(s), {start:.1f} ms to start each, {f['batches']} batches"
                    ratio = f["per_probe_ms"] / window if window else float("nan")
                    print(f"  {scope:14} {f['per_probe_ms']:7.3f} ms/probe ({ratio:4.1f}x the window's){extra}")
    children.kill_all()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
