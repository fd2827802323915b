"""Write one report per browser in mdn-bcd-collector's format (__version, userAgent, results). A folder
gets TARGET.json for each target; a file ending in .json, or '-', takes exactly one target."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from compatprobe import api
from compatprobe.commands import EXIT_OK, emit
from compatprobe.errors import InputError
from compatprobe.files import unsafe_name, write_atomic

NAME = "collector-report"
SUMMARY = "export results as mdn-bcd-collector reports, for BCD's update tooling"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    parser.add_argument(
        "-b", "--browser", action="append", metavar="NAME", help="export only this target; repeat for more"
    )
    # Only -o: the format is mdn-bcd-collector's JSON and no template is involved.
    parser.add_argument(
        "-o",
        "--out",
        metavar="PATH",
        default="out/collector",
        help="a folder for TARGET.json files, or one .json file or '-' for one target (default: out/collector)",
    )


def handle(args: argparse.Namespace) -> int:
    results = api.load_results(args.results)
    names = [t.name for t in results.targets]
    for name in args.browser or []:
        if name not in names:
            raise InputError(f"-b {name}: no such target in the results", path=args.results, hint=", ".join(names))
    exported = api.collector_reports(results, args.browser)
    for name, why in exported.skipped.items():
        print(f"compatprobe: {name}: not exported: {why}", file=sys.stderr)
    reports = {
        name: json.dumps(report, indent=2, ensure_ascii=False) + "\n" for name, report in exported.reports.items()
    }
    if not reports:
        raise InputError("no target in these results can be exported", path=args.results)
    single = args.out == "-" or args.out.endswith(".json")
    if single:
        if len(reports) != 1:
            raise InputError(
                f"{len(reports)} targets to export ({', '.join(reports)}) but one output file",
                hint="choose one with -b, or give -o a folder",
            )
        emit(next(iter(reports.values())), args.out, [args.results])
        return EXIT_OK
    for name in reports:
        # The name comes from the results file: '../../x' must not write outside the folder.
        why = unsafe_name(f"{name}.json")
        if why:
            raise InputError(
                f"target name {name!r} cannot be a file name ({why})",
                path=args.results,
                hint="export it alone to a file: -b NAME -o FILE.json",
            )
    for name, text in reports.items():
        write_atomic(Path(args.out) / f"{name}.json", text)
        print(f"compatprobe: wrote {Path(args.out) / f'{name}.json'}", file=sys.stderr)
    return EXIT_OK
