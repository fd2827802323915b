"""Run probes in every target of the matrix (or those chosen with -b) and write the results file and
the compatibility table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from compatprobe.api import execute, plan
from compatprobe.bcd.baseline import load_given as load_web_features
from compatprobe.bcd.load import load_for
from compatprobe.bcd.mapping import record_mappings
from compatprobe.commands import EXIT_OK, EXIT_PARTIAL, table_output
from compatprobe.commands.flags import bcd_flag, compare_flag, output_flags, web_features_flag
from compatprobe.diff.compare import compare as compare_runs
from compatprobe.errors import InputError
from compatprobe.probes.select import Selection
from compatprobe.report.assemble import Previous, assemble_table
from compatprobe.report.formats import get_format
from compatprobe.results.history import load_history, save_to_history
from compatprobe.results.model import read_results, write_results
from compatprobe.run.interrupts import deferred

NAME = "run"
SUMMARY = "run the matrix's probes in its browsers; write results and the table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-m", "--matrix", type=Path, default=Path("matrix.yaml"), help="matrix file (default: ./matrix.yaml)"
    )
    parser.add_argument(
        "-b",
        "--browser",
        action="append",
        metavar="NAME",
        help="run only this target (by target name or engine); repeat for more",
    )
    parser.add_argument(
        "-p",
        "--probe",
        action="append",
        metavar="PATTERN",
        help="run only probes whose id matches this pattern, e.g. 'RTCPeerConnection/removeTrack*'; "
        "repeat for more (default: the matrix's 'probes')",
    )
    parser.add_argument(
        "-f",
        "--feature",
        action="append",
        metavar="PATTERN",
        help="run the probes of BCD features matching this pattern, e.g. 'api.RTCPeerConnection*': generated "
        "from the cached data ('compatprobe data fetch') and hand-written ones; repeat for more "
        "(default: the matrix's 'features')",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=Path("out/results.json"),
        metavar="PATH",
        help="where to write the results (default: out/results.json)",
    )
    parser.add_argument(
        "--history",
        type=Path,
        metavar="DIR",
        help="also keep the results in this folder, under a new name per run (UTC start time); "
        "the table then shows version ranges over every run kept there",
    )
    compare_flag(parser)
    parser.add_argument(
        "--concurrency",
        type=_at_least(1),
        metavar="N",
        help="run at most N targets at once (default: the matrix's 'concurrency', 8); browsers started on "
        "this machine are also limited by 'local_concurrency' (default: one per CPU)",
    )
    parser.add_argument(
        "--retries",
        type=_at_least(0),
        metavar="N",
        help="start or connect to each target's browser up to N more times after an infrastructure failure "
        "(default: the target's or matrix's 'retries'; else 2 for remote targets, 0 for local ones)",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="run only the I-th of N equal, contiguous slices of the chosen targets (for CI runners; "
        "combine the results with 'compatprobe merge')",
    )
    parser.add_argument(
        "--repeat",
        type=_at_least(1),
        default=1,
        metavar="N",
        help="run each probe N times and mark outcomes that differ between runs as flaky (default: 1)",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the probes that -p/-f (or the matrix) select, generated or hand-written, and run nothing",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on standard error")
    bcd_flag(parser)
    web_features_flag(parser)
    output_flags(parser, "out/index.html", ("html", "md"))


def _at_least(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more")
        return value

    return parse


def listing(selection: Selection) -> str:
    """One line per selected probe (feature, id, where it comes from), then what is not run."""
    lines = [
        f"{p.feature}  {p.id if p.generated else p.path}  ({p.generated or 'hand-written'})"
        for p in sorted(selection.probes, key=lambda p: (p.feature, p.id))
    ]
    made = sum(1 for p in selection.probes if p.generated)
    lines.append(f"{len(selection.probes)} probes: {made} generated, {len(selection.probes) - made} hand-written")
    if selection.not_run:
        lines.append(f"not run: {len(selection.not_run)} generated features not exposed on Window")
    return "\n".join(lines) + "\n"


def handle(args: argparse.Namespace) -> int:
    planned = plan(args.matrix, browsers=args.browser, probes=args.probe, features=args.feature, shard=args.shard)
    if args.list:
        print(listing(planned.selection), end="")
        return EXIT_OK
    # Fail on a missing template folder, a bad previous file, history or BCD data before spending a run on them.
    if args.template_dir is not None and not args.template_dir.is_dir():
        raise InputError("template folder does not exist", path=args.template_dir)
    previous = read_results(args.compare) if args.compare else None
    history = [r.results for r in load_history(args.history, allow_empty=True)] if args.history else None
    bcd = load_for(args.bcd, planned.probe_infos)
    features = load_web_features(args.web_features)
    results = execute(
        planned,
        repeat=args.repeat,
        concurrency=args.concurrency,
        retries=args.retries,
        progress=None if args.quiet else sys.stderr,
    )
    if bcd is not None:
        record_mappings(results, bcd)
    wrote = [str(args.results)]
    table = assemble_table(
        results,
        previous=Previous(previous, str(args.compare)) if previous else None,
        history=[*history, results] if history is not None else None,
        bcd=bcd,
        web_features=features,
    )
    output = table_output(get_format(args.format, "table", args.template_dir), table, args.out)
    # A signal now waits until the files are in place: out/ holds one run or the other, never a mix.
    with deferred():
        write_results(results, args.results)
        if args.history:
            wrote.append(str(save_to_history(results, args.history)))
        output.write()
    if not args.quiet:
        print(f"compatprobe: wrote {', '.join(wrote)} and {output.said()}", file=sys.stderr)
        if previous:
            print(f"compatprobe: since {args.compare}: {compare_runs(previous, results).summary()}", file=sys.stderr)
    return EXIT_OK if results.complete else EXIT_PARTIAL
