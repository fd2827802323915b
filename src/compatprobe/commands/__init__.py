"""One module per command. Each has NAME and SUMMARY, its description as its docstring, `add_arguments(parser)` and
`handle(args) -> exit code`; cli.py registers them all the same way."""

from __future__ import annotations

import sys
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


def emit(text: str, out: str | None) -> None:
    """Write to standard output, or atomically to a file."""
    if out is None or out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(out), text)
