"""Write the README's table excerpt from real output: rows of `compatprobe render RESULTS --format md`.

    .venv/bin/python scripts/readme_excerpt.py                          # from out/results.json
    .venv/bin/python scripts/readme_excerpt.py --results R.json --check # exit 1 if the README differs

tests/test_readme_excerpt.py renders the shipped matrix's run of the test session and checks that the
README shows exactly these rows of it, so the excerpt cannot drift from what compatprobe prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compatprobe import api
from compatprobe.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# The interface (its members missing in WebKitGTK counted once), then removeStream, which Firefox lacks.
FEATURES = (
    "api.RTCPeerConnection",
    "api.RTCPeerConnection.removeStream",
    "api.RTCPeerConnection.removeStream.closed_connection",
    "api.RTCPeerConnection.removeStream.non_stream_argument",
)
BEGIN = "<!-- excerpt: written by scripts/readme_excerpt.py from `compatprobe render out/results.json --format md` -->"
END = "<!-- end of excerpt -->"


def markdown(results: Path) -> str:
    """The Markdown table as `compatprobe render RESULTS --format md` prints it, without BCD."""
    table = api.table(api.load_results(results))
    return api.output_format("md", "table", None).table(table)


def excerpt(md: str) -> str:
    lines = md.splitlines()
    head = [line for line in lines if line.startswith(("| Feature |", "|---|"))][:2]
    rows = []
    for feature in FEATURES:
        tag = f"`{feature}`"  # a code span, as the template writes it: no escapes inside
        found = [line for line in lines if line.startswith("| ") and tag in line]
        if len(found) != 1:
            raise SystemExit(f"{feature}: {len(found)} rows of the Markdown table name it, not 1")
        rows += found
    return "\n".join([BEGIN, "", *head, *rows, "", END])


def updated(readme: str, md: str) -> str:
    """The README with its excerpt replaced by the one `md` gives."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + excerpt(md) + readme[end:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the README's table excerpt from a results file.")
    parser.add_argument("--results", type=Path, default=ROOT / "out" / "results.json")
    parser.add_argument("--check", action="store_true", help="only check: exit 1 if the README differs")
    args = parser.parse_args(argv)
    readme = README.read_text(encoding="utf-8")
    text = updated(readme, markdown(args.results))
    if args.check:
        if text != readme:
            print("README.md's excerpt differs: run .venv/bin/python scripts/readme_excerpt.py", file=sys.stderr)
        return 1 if text != readme else 0
    write_atomic(README, text)
    print("wrote README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
