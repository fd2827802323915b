"""One `compatprobe run`, timed from inside: bench/run.py starts this in a child process.

It takes the same steps as `compatprobe run` (load the matrix and probes, run, write the results
file and the HTML table) and prints one JSON line: when each target started, when its first and
last outcome came in and when it finished, how long each step took, and the process's peak RSS.

    python bench/child.py MATRIX RESULTS HTML [-b TARGET ...]
"""

from __future__ import annotations

import time

T0 = time.monotonic()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from compatprobe.commands import emit  # noqa: E402
from compatprobe.config.matrix import load_matrix  # noqa: E402
from compatprobe.probes.loader import load_probes  # noqa: E402
from compatprobe.report.assemble import assemble_table  # noqa: E402
from compatprobe.report.formats.html import HtmlFormat  # noqa: E402
from compatprobe.results.model import TargetResult, write_results  # noqa: E402
from compatprobe.run.progress import Progress  # noqa: E402
from compatprobe.run.runner import run_probes  # noqa: E402


def since() -> float:
    return round(time.monotonic() - T0, 4)


class Timing(Progress):
    """Progress that keeps timestamps (seconds since this process's imports began) instead of printing."""

    def __init__(self) -> None:
        super().__init__(stream=None)
        self.targets: dict[str, dict[str, Any]] = {}

    def target_started(self, result: TargetResult) -> None:
        super().target_started(result)
        self.targets[result.name] = {"started": since()}

    def probe_done(self, result: TargetResult, total: int, done: int | None = None) -> None:
        mark = self.targets.setdefault(result.name, {})
        mark.setdefault("first_outcome", since())
        mark["last_outcome"] = since()

    def target_finished(self, result: TargetResult) -> None:
        mark = self.targets.setdefault(result.name, {})
        mark.update(finished=since(), status=result.status, outcomes=len(result.outcomes), error=result.error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("matrix", type=Path)
    parser.add_argument("results", type=Path)
    parser.add_argument("html", type=Path)
    parser.add_argument("-b", "--browser", action="append")
    args = parser.parse_args()
    steps: dict[str, float] = {"imported": since()}
    matrix = load_matrix(args.matrix)
    probes = load_probes(matrix.probes_dir, list(matrix.probes), source=str(matrix.path), line=matrix.probes_line)
    steps["probes_loaded"] = since()
    timing = Timing()
    results = asyncio.run(run_probes(matrix, probes, target_names=args.browser, progress=timing))
    steps["ran"] = since()
    write_results(results, args.results)
    steps["results_written"] = since()
    emit(HtmlFormat().table(assemble_table(results)), args.html)
    steps["table_written"] = since()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    report = {
        "probes": len(probes),
        "steps": steps,
        "targets": timing.targets,
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "results_bytes": args.results.stat().st_size,
        "html_bytes": args.html.stat().st_size,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
