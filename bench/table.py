"""The table of a whole-platform sweep: how long it takes to build, and to open in Chromium.

    .venv/bin/python bench/table.py --bcd BCD.tgz --web-features WF.tgz   # 15,000 rows, MDN columns
    .venv/bin/python bench/table.py --rows 2000                            # smaller, without BCD

Generates a results file of --rows rows (the interfaces and members in bench/members.txt, then
behaviour rows under them) observed in three browsers, renders it as `compatprobe render -o` does
(past 500 rows: an index, a page per interface and a differences page) and as one page, and opens
each in Chromium (/usr/bin/chromium, JavaScript on only to read the page's performance entries).
Prints the figures and writes them as JSON to bench/results/. It asserts nothing, it measures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

from compatprobe.bcd.baseline import load_web_features  # noqa: E402
from compatprobe.bcd.load import load_for  # noqa: E402
from compatprobe.commands import table_output  # noqa: E402
from compatprobe.report.assemble import assemble_table  # noqa: E402
from compatprobe.report.formats import get_format  # noqa: E402
from compatprobe.results.model import (  # noqa: E402
    BrowserInfo,
    ExceptionInfo,
    Outcome,
    ProbeInfo,
    Results,
    RunInfo,
    TargetResult,
    write_results,
)

BROWSERS = {
    "chromium": BrowserInfo(
        "Chromium",
        "156.0.7681.2",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
    ),
    "firefox": BrowserInfo(
        "Firefox", "153.0", "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"
    ),
    "webkit": BrowserInfo("WebKitGTK MiniBrowser", "2.50.1", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15"),
}
LIMIT_MS = 300_000  # a 30 MB page takes long; the figure says how long
MISSING_PER_MILLE = {"chromium": 30, "firefox": 80, "webkit": 150}


def _roll(*parts: str) -> int:
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:6], 16) % 1000


def synthetic_results(rows: int) -> Results:
    """`rows` probes: each interface and member of bench/members.txt, then behaviour probes under them."""
    features: list[tuple[str, str]] = []
    members: list[str] = []
    for line in (BENCH / "members.txt").read_text().splitlines():
        interface, *names = line.split()
        features.append((f"api.{interface}", f"{interface} interface"))
        for name in names:
            features.append((f"api.{interface}.{name}", f"{name} is on the prototype"))
            members.append(f"api.{interface}.{name}")
    k = 0
    while len(features) < rows:
        member = members[k % len(members)]
        features.append((f"{member}.behaviour_{k // len(members)}", f"behaviour {k // len(members)} of {member}"))
        k += 1
    probes = [ProbeInfo(f.removeprefix("api.").replace(".", "/"), f, title, "0" * 64) for f, title in features[:rows]]
    targets = []
    for name, browser in BROWSERS.items():
        outcomes = []
        for probe in probes:
            roll = _roll(name, probe.feature.rsplit(".", 1)[0] if probe.feature.count(".") > 2 else probe.feature)
            if roll < MISSING_PER_MILLE[name]:
                outcomes.append(Outcome(probe.id, "unsupported", reason="member-missing"))
            elif _roll("throws", name, probe.id) < 20:
                exc = ExceptionInfo("NotSupportedError", "not supported here", False)
                outcomes.append(Outcome(probe.id, "throws", message="threw", exception=exc))
            else:
                outcomes.append(Outcome(probe.id, "supported"))
        targets.append(TargetResult(name, name, browser=browser, launch={"via": "synthetic"}, outcomes=outcomes))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return Results(RunInfo(now, now, "bench", {"system": "Linux"}), probes, targets)


def open_times(paths: dict[str, Path], repeat: int) -> dict[str, dict[str, float]]:
    """Median milliseconds from navigation start to first contentful paint and to the load event."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for label, path in paths.items():
                paints, loads, walls = [], [], []
                for _ in range(repeat):
                    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
                    started = time.perf_counter()
                    page.goto(path.as_uri(), wait_until="load", timeout=LIMIT_MS)
                    walls.append((time.perf_counter() - started) * 1000)
                    fcp = "performance.getEntriesByName('first-contentful-paint')"
                    page.wait_for_function(f"{fcp}.length > 0", timeout=LIMIT_MS)
                    paints.append(page.evaluate(f"{fcp}[0].startTime"))
                    loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                    page.close()
                figures[label] = {
                    "first_contentful_paint_ms": round(statistics.median(paints)),
                    "load_event_ms": round(statistics.median(loads)),
                    "goto_wall_ms": round(statistics.median(walls)),
                    "bytes": path.stat().st_size,
                }
        finally:
            browser.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=15_000)
    parser.add_argument("--bcd", type=Path, help="@mdn/browser-compat-data .tgz: MDN's columns")
    parser.add_argument("--web-features", type=Path, help="web-features .tgz: Baseline badges")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the pages here instead of a temporary folder")
    parser.add_argument("--no-single", action="store_true", help="leave out the whole table as one page")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="compatprobe-bench-table-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = synthetic_results(args.rows)
    write_results(results, folder / "results.json")
    figures: dict[str, Any] = {"rows": args.rows, "load_average": os.getloadavg()}

    started = time.perf_counter()
    bcd = load_for(args.bcd, results.probes) if args.bcd else None
    features = load_web_features(args.web_features) if args.web_features else None
    figures["load_data_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    table = assemble_table(results, bcd=bcd, web_features=features)
    figures["assemble_s"] = round(time.perf_counter() - started, 2)
    fmt = get_format("html", "table")
    started = time.perf_counter()
    output = table_output(fmt, table, str(folder / "index.html"))
    output.write()
    figures["render_pages_s"] = round(time.perf_counter() - started, 2)
    figures["pages"] = len(output.written)
    started = time.perf_counter()
    single = folder / "single.html"
    if not args.no_single:
        single.write_text(fmt.table(table), encoding="utf-8")
    figures["render_single_s"] = round(time.perf_counter() - started, 2)

    sections = [p for p in output.written if p.name not in ("index.html", "differences.html")]
    largest = max(sections, key=lambda p: p.stat().st_size) if sections else folder / "index.html"
    to_open = {"index": folder / "index.html", f"largest page ({largest.name})": largest}
    if (folder / "differences.html").exists():
        to_open["differences"] = folder / "differences.html"
    if not args.no_single:
        to_open["single page"] = single
    figures["open"] = open_times(to_open, args.repeat)

    print(f"{args.rows} rows; BCD {'yes' if bcd else 'no'}; web-features {'yes' if features else 'no'}; {folder}")
    pages = f"{figures['pages']} pages in {figures['render_pages_s']} s"
    print(f"  load data {figures['load_data_s']} s, assemble {figures['assemble_s']} s, {pages}, "
          f"one page in {figures['render_single_s']} s")  # fmt: skip
    for label, f in figures["open"].items():
        print(f"  {label:40} {f['bytes'] / 1e6:7.2f} MB  first paint {f['first_contentful_paint_ms']:6} ms  "
              f"load {f['load_event_ms']:6} ms")  # fmt: skip
    out = BENCH / "results" / f"table-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
