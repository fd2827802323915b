"""One module per command; each has `register(subparsers)` and sets `handler` to its function."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compatprobe.files import write_atomic

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
  130 interrupted by SIGINT (Ctrl-C); 143 by SIGTERM. Browsers and helpers are stopped; nothing is written
"""


def add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, description: str
) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        name, help=summary, description=description, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def output_flags(parser: argparse.ArgumentParser, default_out: str | None, formats: Sequence[str]) -> None:
    """The same --format, --out and --template-dir on every command that writes something."""
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default: {formats[0]})")
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


def emit(text: str, out: str | None) -> None:
    """Write to standard output, or atomically to a file."""
    if out is None or out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(out), text)
