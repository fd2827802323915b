"""Render a results file as a compatibility table. Given a history folder (see 'run --history'), render
its newest run with version ranges over all of its runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compatprobe import api
from compatprobe.commands import EXIT_OK, emit, report_heap, report_paused, table_output
from compatprobe.commands.flags import bcd_flag, compare_flag, output_flags, web_features_flag

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
    # The first collection after each load, and after the table, walked all that it made (a
    # sweep's render: 0.13 s).
    with report_heap() as hold, report_paused(hold):
        return _render(args)


def _render(args: argparse.Namespace) -> int:
    previous = api.load_results(args.compare) if args.compare else None
    fmt = api.output_format(args.format, "table", args.template_dir)
    history: api.Timeline | None = None
    if args.results.is_dir():
        # Every run folded in as it is read, only the newest held whole (a history grows every day).
        if args.format == "json":
            every = api.history_timeline(args.results, newest_whole=False).timeline
            emit(api.output_format("json", "history").history(every), args.out, _inputs(args))
            return EXIT_OK
        read = api.history_timeline(args.results)
        assert read.newest is not None  # an empty history folder is an InputError
        results, history = read.newest, read.timeline
    else:
        results = api.load_results(args.results)
    bcd, features = api.bcd_data(args.bcd, results.probes), api.web_features(args.web_features)
    table = api.table(
        results, previous=previous, previous_name=str(args.compare), history=history, bcd=bcd, web_features=features
    )
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
