"""The command line: parses flags, calls the library, writes files, maps outcomes to exit codes."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from compatprobe import __version__
from compatprobe.errors import InputError
from compatprobe.files import write_atomic
from compatprobe.matrix import Matrix, load_matrix
from compatprobe.probes import load_probes
from compatprobe.render import render_table_html, render_table_markdown
from compatprobe.results import Results, dumps, read_results, write_results
from compatprobe.table import build_table

EXIT_OK = 0
EXIT_FOUND = 1  # diff/bcd: changes or contradictions that --fail-on asked about
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_INTERRUPTED = 130

EPILOG = """exit codes:
  0  done; every target ran every probe
  1  diff or bcd found what --fail-on names
  2  bad input or usage (the message names the file, line and what to do); nothing was written
  3  partial: a target was unavailable or failed, or some probes never ran (results are still written)
  130 interrupted
"""


def _output_flags(parser: argparse.ArgumentParser, default_out: str | None, formats: Sequence[str]) -> None:
    """The same --format and --out on every command that writes something."""
    parser.add_argument(
        "--format",
        choices=formats,
        default=formats[0],
        help=f"output format (default: {formats[0]})",
    )
    parser.add_argument(
        "-o",
        "--out",
        metavar="PATH",
        default=default_out,
        help=f"where to write it, '-' for standard output (default: {default_out or '-'})",
    )
    parser.add_argument(
        "--template-dir",
        metavar="DIR",
        type=Path,
        help="a folder of your own Jinja2 templates, searched before the built-in ones "
        "(which stay reachable as 'default:NAME')",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compatprobe",
        description="Run JavaScript probes in real browsers and render what they did as a compatibility table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compatprobe {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        help="run the matrix's probes in its browsers; write results and the table",
        description="Run probes in every target of the matrix (or those chosen with -b) and write "
        "the results file and the compatibility table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "-m", "--matrix", type=Path, default=Path("matrix.yaml"), help="matrix file (default: ./matrix.yaml)"
    )
    run.add_argument(
        "-b",
        "--browser",
        action="append",
        metavar="NAME",
        help="run only this target (by target name or engine); repeat for more",
    )
    run.add_argument(
        "-p",
        "--probe",
        action="append",
        metavar="PATTERN",
        help="run only probes whose id matches this pattern, e.g. 'RTCPeerConnection/removeTrack*'; "
        "repeat for more (default: the matrix's 'probes')",
    )
    run.add_argument(
        "--results",
        type=Path,
        default=Path("out/results.json"),
        metavar="PATH",
        help="where to write the results (default: out/results.json)",
    )
    run.add_argument("-q", "--quiet", action="store_true", help="no progress lines on standard error")
    _output_flags(run, "out/index.html", ("html", "md"))
    run.set_defaults(handler=cmd_run)

    render = commands.add_parser(
        "render",
        help="render a results file as a table, without any browser",
        description="Render a results file as a compatibility table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    _output_flags(render, None, ("html", "md", "json"))
    render.set_defaults(handler=cmd_render)

    browsers = commands.add_parser(
        "browsers",
        help="show which browser each target would use here, and how to get missing ones",
        description="Resolve every target of the matrix on this machine without starting a browser.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    browsers.add_argument(
        "-m", "--matrix", type=Path, default=Path("matrix.yaml"), help="matrix file (default: ./matrix.yaml)"
    )
    browsers.set_defaults(handler=cmd_browsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except InputError as exc:
        print(f"compatprobe: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("compatprobe: interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED


def _emit(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(out), text)


def _render(results: Results, fmt: str, template_dir: Path | None) -> str:
    if fmt == "json":
        return dumps(results)
    table = build_table(results)
    if fmt == "md":
        return render_table_markdown(table, template_dir)
    return render_table_html(table, template_dir)


def _chosen_targets(matrix: Matrix, wanted: list[str] | None) -> list[str] | None:
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


def cmd_run(args: argparse.Namespace) -> int:
    from compatprobe.progress import Progress
    from compatprobe.runner import run

    matrix = load_matrix(args.matrix)
    targets = _chosen_targets(matrix, args.browser)
    if args.probe:
        probes = load_probes(matrix.probes_dir, args.probe, source="-p/--probe")
    else:
        probes = load_probes(matrix.probes_dir, list(matrix.probes), source=str(matrix.path), line=matrix.probes_line)
    # Fail on a broken template before spending a run on it.
    if args.template_dir is not None and not args.template_dir.is_dir():
        raise InputError("template folder does not exist", path=args.template_dir)
    results = run(matrix, probes, target_names=targets, progress=Progress(None if args.quiet else sys.stderr))
    write_results(results, args.results)
    _emit(_render(results, args.format, args.template_dir), args.out)
    if not args.quiet:
        print(f"compatprobe: wrote {args.results} and {args.out}", file=sys.stderr)
    return EXIT_OK if results.complete else EXIT_PARTIAL


def cmd_render(args: argparse.Namespace) -> int:
    results = read_results(args.results)
    _emit(_render(results, args.format, args.template_dir), args.out)
    return EXIT_OK


def cmd_browsers(args: argparse.Namespace) -> int:
    from compatprobe.runner import resolve_all

    matrix = load_matrix(args.matrix)
    resolved = asyncio.run(resolve_all(matrix))
    missing = 0
    for target in resolved:
        chosen = target.chosen
        print(
            f"{target.spec.name} ({target.spec.engine}): "
            + (f"will use {chosen.description}" if chosen else "UNAVAILABLE")
        )
        for option in target.options:
            mark = "*" if option is chosen else " "
            state = (
                "found " + (option.binary or option.executable or "")
                if option.available
                else f"missing: {option.missing}"
            )
            print(f"  {mark} {option.description}: {state.strip()}")
            if not option.available and option.hint:
                print(f"      to get it: {option.hint}")
        missing += chosen is None
    return EXIT_OK if not missing else EXIT_PARTIAL
