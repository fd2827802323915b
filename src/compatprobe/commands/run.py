"""`compatprobe run`: probes in browsers, then the results file and the table."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from compatprobe.commands import EXIT_OK, EXIT_PARTIAL, add_command, emit, output_flags
from compatprobe.commands.render import render_results
from compatprobe.errors import InputError
from compatprobe.interrupts import deferred
from compatprobe.matrix import Matrix, load_matrix
from compatprobe.probes import load_probes
from compatprobe.progress import Progress
from compatprobe.results import write_results


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "run",
        "run the matrix's probes in its browsers; write results and the table",
        "Run probes in every target of the matrix (or those chosen with -b) and write "
        "the results file and the compatibility table.",
    )
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
        "--results",
        type=Path,
        default=Path("out/results.json"),
        metavar="PATH",
        help="where to write the results (default: out/results.json)",
    )
    parser.add_argument(
        "--repeat",
        type=_at_least_one,
        default=1,
        metavar="N",
        help="run each probe N times and mark outcomes that differ between runs as flaky (default: 1)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on standard error")
    output_flags(parser, "out/index.html", ("html", "md"))
    parser.set_defaults(handler=handle)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return value


def chosen_targets(matrix: Matrix, wanted: list[str] | None) -> list[str] | None:
    """Target names for -b values (a target name or an engine); None means all."""
    if not wanted:
        return None
    names = [t.name for t in matrix.targets]
    chosen: list[str] = []
    for want in wanted:
        hits = [t.name for t in matrix.targets if want in (t.name, t.engine)]
        if not hits:
            close = difflib.get_close_matches(want, names + [t.engine for t in matrix.targets], n=1)
            raise InputError(
                f"-b {want}: no target or engine of that name in the matrix",
                path=matrix.path,
                hint=f"did you mean '{close[0]}'?" if close else f"targets: {', '.join(names)}",
            )
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def handle(args: argparse.Namespace) -> int:
    from compatprobe.runner import run

    matrix = load_matrix(args.matrix)
    targets = chosen_targets(matrix, args.browser)
    if args.probe:
        probes = load_probes(matrix.probes_dir, args.probe, source="-p/--probe")
    else:
        probes = load_probes(matrix.probes_dir, list(matrix.probes), source=str(matrix.path), line=matrix.probes_line)
    # Fail on a missing template folder before spending a run on it.
    if args.template_dir is not None and not args.template_dir.is_dir():
        raise InputError("template folder does not exist", path=args.template_dir)
    results = run(
        matrix, probes, target_names=targets, progress=Progress(None if args.quiet else sys.stderr), repeat=args.repeat
    )
    page = render_results(results, args.format, args.template_dir)
    # A signal now waits until both files are in place: out/ holds one run or the other, never a mix.
    with deferred():
        write_results(results, args.results)
        emit(page, args.out)
    if not args.quiet:
        print(f"compatprobe: wrote {args.results} and {args.out}", file=sys.stderr)
    return EXIT_OK if results.complete else EXIT_PARTIAL
