"""List what changed from the OLD results file to the NEW one: support gained or lost, exceptions that
changed, other outcome changes, probes and targets added or removed, browser versions. Targets are
matched by engine and target name, probes by id; unchanged cells are only counted."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe import api
from compatprobe.commands import EXIT_FOUND, EXIT_OK, emit
from compatprobe.commands.flags import output_flags

NAME = "diff"
SUMMARY = "list what changed between two results files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="OLD", help="the earlier results file")
    parser.add_argument("new", type=Path, metavar="NEW", help="the later results file")
    parser.add_argument(
        "--fail-on",
        choices=("regression", "any"),
        help="exit 1 when support was lost (regression) or when anything changed (any)",
    )
    output_flags(parser, None, ("text", "md", "json", "html"))


def handle(args: argparse.Namespace) -> int:
    # Both files are read (and any problem reported) before anything is written.
    old = api.load_results(args.old)
    new = api.load_results(args.new)
    diff = api.diff(old, new, str(args.old), str(args.new))
    emit(api.output_format(args.format, "diff", args.template_dir).diff(diff), args.out, (args.old, args.new))
    return EXIT_FOUND if diff.fails(args.fail_on) else EXIT_OK
