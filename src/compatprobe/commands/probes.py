"""List the probes: without -p or -f, every probe under the matrix's probes folder with its feature id and
title, a * marking those 'compatprobe run' takes (the matrix's 'probes' and 'features'); with -p or -f, what
those patterns select, generated probes included, and run nothing."""

from __future__ import annotations

import argparse
import sys

from compatprobe import api
from compatprobe.commands import EXIT_OK
from compatprobe.commands.flags import matrix_flag, selection_flags

NAME = "probes"
SUMMARY = "list the probes, their feature ids, and which a run takes (generated ones with -f)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    matrix_flag(parser)
    selection_flags(parser)


def handle(args: argparse.Namespace) -> int:
    if args.probe or args.feature:
        print(listing(api.plan(args.matrix, probes=args.probe, features=args.feature).selection), end="")
        return EXIT_OK
    return handle_list(args)


def listing(selection: api.Selection) -> str:
    """One line per selected probe (feature, id, where it comes from), then how many and where they run."""
    lines = [
        f"{p.feature}  {p.id if p.generated else p.path}  ({p.generated or 'hand-written'})"
        for p in sorted(selection.probes, key=lambda p: (p.feature, p.id))
    ]
    made = sum(1 for p in selection.probes if p.generated)
    lines.append(f"{len(selection.probes)} probes: {made} generated, {len(selection.probes) - made} hand-written")
    workers = set(selection.generated["in_workers"]) if selection.generated else set()
    if workers:
        only = sum(1 for p in selection.probes if p.feature in workers and "Window" not in p.exposed)
        lines.append(f"in worker scopes too: {len(workers)} generated features ({only} of them not on Window)")
    if selection.not_run:
        lines.append(f"not run: {len(selection.not_run)} generated features exposed only in worklets or other globals")
    return "\n".join(lines) + "\n"


def handle_list(args: argparse.Namespace) -> int:
    matrix = api.load_matrix(args.matrix)
    found = api.probe_files(matrix)
    for listed in found:
        about = f"{listed.probe.feature}  {listed.probe.title}" if listed.probe else f"(cannot be read: {listed.error})"
        print(f"{'*' if listed.chosen else ' '} {listed.id}  {about}")
    chosen = sum(listed.chosen for listed in found)
    print(
        f"{chosen} of {len(found)} probes are run by {matrix.path} (marked *); "
        "run others with 'compatprobe run -p PATTERN', or add a pattern to the matrix's probes",
        file=sys.stderr,
    )
    return EXIT_OK
