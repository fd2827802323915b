"""CPU seconds of each step of the report, in one process, from a results file: read and validate,
load BCD and web-features, prepare what does not depend on the outcomes (`run` does it while the
browsers work: report.prepared), assemble the table, render the pages, write them, write the results.

    .venv/bin/python bench/report_phases.py RESULTS.json WEB_FEATURES.tgz OUT_FOLDER [--unprepared | --copy]

--unprepared: no preparation; assembling and rendering make those parts themselves (as `render` does).
--copy: prepared in a forked copy, as `run` does where it can: "prepare" is then this process's
share (waiting excluded: the copy's own CPU is not this process's), "receive" reading its parts in.

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
from compatprobe.report.forked import Pending
from compatprobe.report.formats import get_format
from compatprobe.report.prepared import prepare, received, sent
from compatprobe.results.model import read_results, write_results


def main(results_file: str, web_features: str, out: str, *options: str) -> None:
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
    fmt, prepared = get_format("html", "table"), None
    if "--copy" in options:
        copy = Pending(lambda: sent(prepare(results.probes, bcd=bcd, web_features=features)))
        lap("prepare")
        parts = copy.result()
        lap("receive")
        prepared = received(parts, bcd=bcd, web_features=features) if parts is not None else None
    elif "--unprepared" not in options:
        prepared = prepare(results.probes, bcd=bcd, web_features=features, format=fmt)
        lap("prepare")
    table = assemble_table(results, bcd=bcd, web_features=features, prepared=prepared)
    lap("assemble")
    output = table_output(fmt, table, str(Path(out) / "index.html"))
    pages = list(output.files or [])
    lap("render pages")
    output.files = pages
    output.write()
    lap("write pages")
    write_results(results, Path(out) / "results.json")
    lap("write results")
    print(" | ".join(laps))


if __name__ == "__main__":
    main(*sys.argv[1:])
