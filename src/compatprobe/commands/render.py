"""Render a results file as a compatibility table. Given a history folder (see 'run --history'), render
its newest run with version ranges over all of its runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compatprobe.bcd.baseline import load_given as load_web_features
from compatprobe.bcd.load import load_for
from compatprobe.commands import EXIT_OK, emit, table_output
from compatprobe.commands.flags import bcd_flag, compare_flag, output_flags, web_features_flag
from compatprobe.report.assemble import Previous, assemble_table
from compatprobe.report.formats import get_format
from compatprobe.results.history import load_history
from compatprobe.results.model import read_results

NAME = "render"
SUMMARY = "render a results file, or a history folder, as a table without any browser"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "results", type=Path, help="a results file written by 'compatprobe run', or a folder of them (a history)"
    )
    compare_flag(parser)
    bcd_flag(parser)
    web_features_flag(parser)
    output_flags(parser, None, ("html", "md", "json"))


def handle(args: argparse.Namespace) -> int:
    previous = Previous(read_results(args.compare), str(args.compare)) if args.compare else None
    fmt = get_format(args.format, "table", args.template_dir)
    if args.results.is_dir():
        runs = load_history(args.results)
        if args.format == "json":
            emit(get_format("json", "history").history(runs), args.out, _inputs(args))
            return EXIT_OK
        history = [r.results for r in runs]
        results = history[-1]
    else:
        results, history = read_results(args.results), None
    bcd = load_for(args.bcd, results.probes)
    features = load_web_features(args.web_features)
    table = assemble_table(results, previous=previous, history=history, bcd=bcd, web_features=features)
    output = table_output(fmt, table, args.out, _inputs(args))
    output.write()
    if len(output.written) > 1:
        print(f"compatprobe: wrote {output.said()}", file=sys.stderr)
    return EXIT_OK


def _inputs(args: argparse.Namespace) -> list[Path]:
    """The files this command reads, which its output must not replace."""
    inputs = [args.results, *([args.compare] if args.compare else [])]
    if args.results.is_dir():
        inputs += sorted(args.results.glob("*.json"))
    return inputs
