"""Combine results files from shards of one run (e.g. one per CI runner) into one. Refuses files from
other probe sets, schema versions or compatprobe versions, and targets that appear twice."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe import api
from compatprobe.commands import EXIT_OK, emit

NAME = "merge"
SUMMARY = "combine the results of shards into one results file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, nargs="+", help="results files, one per shard")
    parser.add_argument(
        "-o", "--out", metavar="PATH", default="-", help="where to write the merged results (default: standard output)"
    )


def handle(args: argparse.Namespace) -> int:
    parts = [(path, api.load_results(path)) for path in args.results]
    emit(api.results_json(api.merge(parts)), args.out, args.results)
    return EXIT_OK
