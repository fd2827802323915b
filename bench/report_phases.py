"""CPU seconds of each step of the report, in one process, from a results file: read and validate,
load BCD and web-features, assemble the table, render the pages, write them, write the results.

    .venv/bin/python bench/report_phases.py RESULTS.json WEB_FEATURES.tgz OUT_FOLDER

CPU time (time.process_time), so that other work on a shared machine moves it less than wall time;
waits (a disk's flush) are not in it. Measures, asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from compatprobe.bcd.baseline import load_given
from compatprobe.bcd.load import load_for
from compatprobe.commands import table_output
from compatprobe.report.assemble import assemble_table
from compatprobe.report.formats import get_format
from compatprobe.results.model import read_results, write_results


def main(results_file: str, web_features: str, out: str) -> None:
    laps: list[str] = []
    began = time.process_time()

    def lap(name: str) -> None:
        nonlocal began
        now = time.process_time()
        laps.append(f"{name} {now - began:.2f}")
        began = now

    results = read_results(Path(results_file))
    lap("read+validate")
    bcd = load_for(None, results.probes)
    lap("bcd")
    features = load_given(Path(web_features))
    lap("web-features")
    table = assemble_table(results, bcd=bcd, web_features=features)
    lap("assemble")
    output = table_output(get_format("html", "table"), table, str(Path(out) / "index.html"))
    pages = list(output.files or [])
    lap("render pages")
    output.files = pages
    output.write()
    lap("write pages")
    write_results(results, Path(out) / "results.json")
    lap("write results")
    print(" | ".join(laps))


if __name__ == "__main__":
    main(*sys.argv[1:4])
