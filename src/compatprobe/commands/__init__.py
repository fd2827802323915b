"""One module per command. Each has NAME and SUMMARY, its description as its docstring, `add_arguments(parser)` and
`handle(args) -> exit code`; cli.py registers them all the same way."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from compatprobe.files import write_all_atomic, write_atomic
from compatprobe.report.formats import Format
from compatprobe.report.table import Table

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


@dataclass
class TableOutput:
    """A rendered table ready to write: one text for standard output, or the files of `--out`."""

    text: str = ""
    files: dict[Path, str] = field(default_factory=dict)

    def write(self) -> None:
        if self.files:
            write_all_atomic(self.files)
        else:
            sys.stdout.write(self.text)

    def said(self) -> str:
        """Which files it writes, for the message after a run."""
        if not self.files:
            return "standard output"
        first, *others = self.files
        if not others:
            return str(first)
        names = ", ".join(p.name for p in others[:3]) + (", ..." if len(others) > 3 else "")
        return f"{first} and {len(others)} pages beside it ({names})"


def table_output(fmt: Format, table: Table, out: str | None) -> TableOutput:
    """The table for `--out`: a large HTML table becomes an index with pages beside it."""
    if out is None or out == "-":
        return TableOutput(text=fmt.table(table))
    main = Path(out)
    return TableOutput(files={main.parent / name: text for name, text in fmt.table_files(table, main.name).items()})
