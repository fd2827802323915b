"""The command line: builds the parser from the command modules and maps failures to exit codes."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from compatprobe.commands import (
    EPILOG,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    bcd,
    browsers,
    collector_report,
    data,
    diff,
    merge,
    new,
    probes,
    render,
    run,
)
from compatprobe.errors import InputError
from compatprobe.run.interrupts import signals_interrupt
from compatprobe.terminal import TerminalStream, one_line
from compatprobe.version import __version__

COMMANDS = (run, probes, new, render, diff, merge, browsers, bcd, collector_report, data)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compatprobe",
        description="Run JavaScript probes in real browsers and render what they did as a compatibility table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"compatprobe {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.NAME,
            help=command.SUMMARY,
            description=" ".join((command.__doc__ or "").split()),
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.add_arguments(sub)
        sub.set_defaults(handler=command.handle)
    return parser


def program() -> NoReturn:
    """The `compatprobe` program (and `python -m compatprobe`): `main`, then an exit that leaves
    what the command made to the system. The interpreter's last collection walked all of it (a
    sweep's table, which Jinja's cyclic page contexts hold) and freed it object by object: 0.2 to
    0.3 s of every sweep's command. Frozen, the heap is not walked. No output waits on a finalizer: every
    file is closed where it is written, and weakref finalizers (temporary folders) run at exit all
    the same. `main` itself leaves the heap as it was, for a caller that goes on."""
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    # Text from browsers is data: what reaches a terminal cannot move its cursor or retitle it.
    stderr, stdout = sys.stderr, sys.stdout
    sys.stderr = TerminalStream(stderr)  # type: ignore[assignment]
    if stdout.isatty():
        sys.stdout = TerminalStream(stdout, limit=None)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stderr, sys.stdout = stderr, stdout


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        with signals_interrupt():
            return handler(args)
    except InputError as exc:
        print(f"compatprobe: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        # A file that could not be read or written after the checks (a full disk, a folder that
        # became a file): one line that names it, never a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"compatprobe: error: {one_line(f'{where}{exc.strerror or exc}')}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        # Output files are replaced whole or not at all (files.write_atomic, interrupts.deferred).
        print(f"compatprobe: interrupted ({exc or 'SIGINT'})", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_INTERRUPTED)
