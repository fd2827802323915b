"""Compare a results file with MDN's browser-compat-data (BCD) and list every contradiction: per
feature and browser release, what BCD says next to what was observed. Markdown is written to be
pasted into an issue for BCD's maintainers."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe.bcd.brackets import brackets
from compatprobe.bcd.compare import compare
from compatprobe.bcd.data import BcdData
from compatprobe.bcd.load import load_for
from compatprobe.commands import EXIT_FOUND, EXIT_OK, emit
from compatprobe.commands.flags import bcd_flag, output_flags
from compatprobe.report.brackets import brackets_text
from compatprobe.report.formats import get_format
from compatprobe.results.model import Results, read_results

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
    output_flags(parser, None, ("text", "md", "json"))


def handle(args: argparse.Namespace) -> int:
    results = read_results(args.results)
    data = load_for(args.bcd, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    text = get_format(args.format, "bcd", args.template_dir).bcd(comparison, show_all=args.all)
    emit(text + since_when(results, data, args.format, args.all), args.out)
    if args.fail_on == "contradiction" and comparison.contradictions:
        return EXIT_FOUND
    return EXIT_OK


def since_when(results: Results, data: BcdData, fmt: str, show_all: bool) -> str:
    """The brackets of features observed in several builds of a target (none: nothing)."""
    found = brackets([results], data) if fmt != "json" else []
    return "\n" + brackets_text(found, show_all=show_all) if found else ""
