"""`compatprobe bcd`: where observations contradict MDN's browser-compat-data, as text, Markdown or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe.bcd.baseline import ENV_PATH as WEB_FEATURES_ENV
from compatprobe.bcd.baseline import WebFeatures, load_web_features, web_features_path
from compatprobe.bcd.compare import compare
from compatprobe.bcd.data import ENV_PATH
from compatprobe.bcd.load import load_for
from compatprobe.commands import EXIT_FOUND, EXIT_OK, add_command, emit, output_flags
from compatprobe.report.formats import get_format
from compatprobe.results.model import read_results


def add_bcd_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bcd",
        type=Path,
        metavar="PATH",
        help="MDN's browser-compat-data to compare with: the .tgz from 'npm pack @mdn/browser-compat-data', "
        f"its unpacked folder, or its data.json (default: ${ENV_PATH}, if set)",
    )


def add_web_features_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--web-features",
        type=Path,
        metavar="PATH",
        help="web-features data for Baseline badges: the .tgz from 'npm pack web-features', its unpacked "
        f"folder, or its data.json (default: ${WEB_FEATURES_ENV}, if set)",
    )


def web_features_for(given: Path | None) -> WebFeatures | None:
    path = web_features_path(given)
    return load_web_features(path) if path is not None else None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "bcd",
        "list where observations contradict MDN's browser-compat-data",
        "Compare a results file with MDN's browser-compat-data (BCD) and list every contradiction: "
        "per feature and browser release, what BCD says next to what was observed. Markdown is written "
        "to be pasted into an issue for BCD's maintainers.",
    )
    parser.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    add_bcd_flag(parser)
    parser.add_argument(
        "--all", action="store_true", help="also list agreements and what could not be compared (JSON always does)"
    )
    parser.add_argument(
        "--fail-on",
        choices=("contradiction",),
        help="exit 1 when there is at least one contradiction",
    )
    output_flags(parser, None, ("text", "md", "json"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    results = read_results(args.results)
    data = load_for(args.bcd, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    emit(get_format(args.format, "bcd", args.template_dir).bcd(comparison, show_all=args.all), args.out)
    if args.fail_on == "contradiction" and comparison.contradictions:
        return EXIT_FOUND
    return EXIT_OK
