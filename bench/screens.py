"""Screenshots of the table people read, at 1280 and 390 px, in headless Chromium (/usr/bin/chromium).

    .venv/bin/python bench/screens.py                          # runs the shipped matrix first
    .venv/bin/python bench/screens.py --results out/results.json --out /tmp/screens

Writes into a folder it creates (default: test-output/screens/): the shipped run rendered with BCD and
web-features (the cached packages, `compatprobe data fetch`), and a sweep's report (bench/table.py's
synthetic rows, split into pages): its index, the section page api.RTCPeerConnection.html, and the
index after a search for "removeStream". Each at the top of the page, and the shipped run also at a
row reached by its anchor. It asserts nothing; look at the pictures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from table import synthetic_results  # noqa: E402

from compatprobe.bcd.baseline import load_web_features  # noqa: E402
from compatprobe.bcd.load import load_for  # noqa: E402
from compatprobe.commands import table_output  # noqa: E402
from compatprobe.data.cache import cache_root  # noqa: E402
from compatprobe.report.assemble import assemble_table  # noqa: E402
from compatprobe.report.formats import get_format  # noqa: E402
from compatprobe.results.model import read_results  # noqa: E402

WIDTHS = (1280, 390)


def packages() -> tuple[Path, Path]:
    folder = cache_root() / "packages"
    bcd = max(folder.glob("mdn-browser-compat-data@*.tgz"))
    features = max(folder.glob("web-features@*.tgz"))
    return bcd, features


def render(results_path: Path, out: Path) -> Path:
    bcd, features = packages()
    results = read_results(results_path)
    table = assemble_table(results, bcd=load_for(bcd, results.probes), web_features=load_web_features(features))
    output = table_output(get_format("html", "table"), table, str(out / "index.html"))
    output.write()
    return out / "index.html"


def shoot(pages: dict[str, tuple[Path, str, str]], folder: Path) -> list[Path]:
    """pages: name -> (file, anchor, search words)."""
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for name, (path, anchor, words) in pages.items():
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 844})
                    page.goto(path.as_uri() + anchor, wait_until="load")
                    if words:
                        page.fill("#find", words)
                        page.locator("#found li").first.wait_for()
                        page.locator("#find-a-feature").scroll_into_view_if_needed()
                    shot = folder / f"{name}-{width}.png"
                    page.screenshot(path=str(shot))
                    shots.append(shot)
                    page.close()
        finally:
            browser.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, help="the shipped run's results.json (default: run it now)")
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "screens")
    parser.add_argument(
        "--rows", type=int, default=7355, help="rows in the sweep's report (7,355: every member of bench/members.txt)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="compatprobe-screens-"))
    shipped = args.results
    if shipped is None:
        shipped = work / "run" / "results.json"
        command = [str(ROOT / ".venv/bin/compatprobe"), "run", "--results", str(shipped), "-o", str(work / "run/")]
        subprocess.run(command, cwd=ROOT, check=True)
    run_index = render(shipped, work / "shipped")
    sweep = work / "sweep.json"
    from compatprobe.results.model import write_results

    write_results(synthetic_results(args.rows), sweep)
    sweep_index = render(sweep, work / "sweep")
    pages = {
        "shipped": (run_index, "", ""),
        "shipped-anchor": (run_index, "#api.RTCPeerConnection.removeStream", ""),
        "sweep-index": (sweep_index, "", ""),
        "sweep-section": (sweep_index.parent / "api.RTCPeerConnection.html", "", ""),
        "sweep-search": (sweep_index, "", "removeStream"),
    }
    for shot in shoot(pages, args.out):
        print(shot)
    print(f"pages in {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
