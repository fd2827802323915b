"""Where a target's time goes, measured inside the page: realms, snapshots, checks, probes.

    .venv/bin/python bench/profile.py [--size 1000] [--engines chromium,firefox,webkit]

For each engine it opens the harness page the way `compatprobe run` does and runs a generated
suite twice: the normal way (probes share checked realms, in batches) and with every probe alone
in a fresh realm (every probe marked `isolate: true`, which is how main ran them). It prints the
harness's own counters (performance.now() around each step), the wall time of each pass and the
CPU time the browser and Playwright's driver spent in it.
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

from run import ROOT, write_suite

from compatprobe.browsers.launch import start_session
from compatprobe.browsers.processes import ChildProcesses
from compatprobe.browsers.resolve import bundled_paths
from compatprobe.browsers.session import Page
from compatprobe.browsers.targets import resolve
from compatprobe.config.matrix import load_matrix
from compatprobe.probes.loader import load_probes
from compatprobe.run.harness import plan_columns
from compatprobe.run.server import ProbeServer
from compatprobe.scopes import WINDOW

# A second measure of realm cost, outside the harness: make and remove bare iframes.
IFRAMES = """(n) => {
  const make = [], drop = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    const f = document.createElement("iframe");
    document.body.appendChild(f);
    f.contentWindow.eval("1");
    make.push(performance.now() - t);
    t = performance.now();
    f.remove();
    drop.push(performance.now() - t);
  }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  return { make_ms: median(make), remove_ms: median(drop) };
}"""


def descendants_cpu_s() -> float | None:
    """CPU seconds used so far by this process's descendants that are still running (the Playwright
    driver, browsers and their helpers), from /proc; None where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, list[tuple[int, float]]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        parents.setdefault(int(fields[1]), []).append((int(entry.name), (int(fields[11]) + int(fields[12])) / tick))
    total, todo = 0.0, [os.getpid()]
    while todo:
        for child, cpu in parents.get(todo.pop(), []):
            total += cpu
            todo.append(child)
    return total


async def one_pass(page: Page, url: str, ids: list[str], isolate: bool) -> dict[str, Any]:
    await page.goto(url)
    cpu_before = descendants_cpu_s()
    began = time.monotonic()
    probes = plan_columns([(i, WINDOW) for i in ids], dict.fromkeys(ids, 5000), isolated=set(ids) if isolate else ())
    await page.harness("start", {"sources_url": url + "probes.json", "probes": probes})
    outcomes = 0
    while True:
        batch = await page.harness("next", 1000)
        outcomes += len(batch["results"])
        if batch["done"]:
            break
    took = time.monotonic() - began
    cpu_after = descendants_cpu_s()
    stats = await page.harness("stats", None)
    # Browsers' CPU outside the page too: Playwright instruments every frame in the browser
    # process and in its driver, so a realm costs more than the page's own clock shows.
    cpu = round(cpu_after - cpu_before, 2) if cpu_before is not None and cpu_after is not None else None
    per_s = round(outcomes / took, 1)
    return {"wall_s": round(took, 3), "per_s": per_s, "outcomes": outcomes, "cpu_s": cpu, "harness": stats}


def summary(stats: dict[str, Any]) -> str:
    def per(total: str, count: str) -> str:
        return f"{stats[total] / stats[count]:.2f}" if stats.get(count) else "-"

    return (
        f"realms {stats['realms']} ({per('realm_ms', 'realms')} ms each), "
        f"snapshots {stats['snapshot_ms']:.0f} ms ({per('snapshot_ms', 'realms')} ms each), "
        f"checks {stats['checks']} ({per('check_ms', 'checks')} ms each), dirty batches {stats['dirty']}, "
        f"shared probes {stats['shared']} ({per('probe_ms', 'shared')} ms each), isolated {stats['isolated']}; "
        f"{stats['objects']} objects, {stats['properties']} properties; in-page {stats['run_ms']:.0f} ms, "
        f"{stats['yields']} yields {stats['yield_ms']:.0f} ms; last change: {stats['last_change']}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--shipped", action="store_true", help="the shipped matrix's probes instead")
    parser.add_argument("--engines", default="chromium,firefox,webkit")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.shipped:
        matrix = load_matrix(ROOT / "matrix.yaml")
        probes = load_probes(matrix.probes_dir, list(matrix.probes))
    else:
        matrix = load_matrix(write_suite(Path(tempfile.mkdtemp(prefix="compatprobe-profile-")), args.size))
        probes = load_probes(matrix.probes_dir, ["*"])
    ids = [p.id for p in probes]
    report: dict[str, Any] = {}
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
                    page = await session.new_page()
                    shared = await one_pass(page, server.url, ids, isolate=False)
                    isolated = await one_pass(page, server.url, ids, isolate=True)
                    iframes = None
                    if hasattr(page, "_page"):  # Playwright: measure bare iframes too
                        iframes = await page._page.evaluate(IFRAMES, 50)
                    await page.close()
                finally:
                    await session.close()
                report[spec.name] = {"shared": shared, "isolated": isolated, "bare_iframes": iframes}
                print(f"{spec.name} ({len(ids)} probes)")
                print(
                    f"  shared realms: {shared['wall_s']:.2f} s, {shared['per_s']:.0f} probes/s, "
                    f"browser and driver CPU {shared['cpu_s']} s"
                )
                print(f"    {summary(shared['harness'])}")
                print(
                    f"  one realm per probe: {isolated['wall_s']:.2f} s, {isolated['per_s']:.0f} probes/s, "
                    f"browser and driver CPU {isolated['cpu_s']} s"
                )
                print(f"    {summary(isolated['harness'])}")
                if iframes:
                    make, remove = iframes["make_ms"], iframes["remove_ms"]
                    print(f"  bare iframe: make {make:.2f} ms, remove {remove:.2f} ms (medians)")
    children.kill_all()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    asyncio.run(main())
