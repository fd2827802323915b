"""Compare a results file with MDN's browser-compat-data (BCD) and list every contradiction: per
feature and browser release, what BCD says next to what was observed. At scale (or with --limit),
every contradiction is triaged (lead, explained by BCD, environment, compatprobe's doubt) and each
lead gets a proposed BCD statement with its evidence, by BCD file; --apply writes them into a clone
of mdn/browser-compat-data. Markdown is written for BCD's maintainers: an issue or a pull request."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe import api
from compatprobe.commands import EXIT_FOUND, EXIT_OK, emit
from compatprobe.commands.flags import bcd_flag, output_flags
from compatprobe.errors import InputError

NAME = "bcd"
SUMMARY = "list where observations contradict MDN's browser-compat-data"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    bcd_flag(parser)
    parser.add_argument(
        "--all", action="store_true", help="also list agreements and what could not be compared (JSON always does)"
    )
    parser.add_argument(
        "--fail-on",
        choices=("contradiction",),
        help="exit 1 when there is at least one contradiction",
    )
    parser.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="list only the first N leads (by BCD file) and say how many were left out (default: every lead)",
    )
    parser.add_argument(
        "--apply",
        type=Path,
        metavar="PATH",
        help="write each lead's proposed statement into this clone of mdn/browser-compat-data and list what "
        "was written and what needs a person",
    )
    output_flags(parser, None, ("text", "md", "json"))


def handle(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise InputError(f"--limit {args.limit}: give 1 or more, or leave it out to list every lead")
    results = api.load_results(args.results)
    data = api.bcd_data(args.bcd, results.probes, required=True)
    if args.apply is not None:
        done = api.apply_bcd(api.bcd_leads(results, data), args.apply)
        emit("".join(f"{line}\n" for line in api.applied_lines(done)) or "no leads\n", args.out)
        return EXIT_OK
    comparison = api.compare_bcd(results, data)
    writer = api.output_format(args.format, "bcd", args.template_dir)
    text = writer.bcd(comparison, show_all=args.all, limit=args.limit)
    emit(text + api.since_when(results, data, args.format, show_all=args.all), args.out, [args.results])
    if args.fail_on == "contradiction" and comparison.contradictions:
        return EXIT_FOUND
    return EXIT_OK
