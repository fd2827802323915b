"""`compatprobe render`: a results file (or a history folder of them) as a table, without any browser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from compatprobe.bcd.data import BcdData
from compatprobe.commands import EXIT_OK, add_command, emit, output_flags
from compatprobe.commands.bcd import add_bcd_flag, load_for
from compatprobe.diff.compare import compare, mark_changes
from compatprobe.report.formats import render_table_html, render_table_markdown
from compatprobe.report.table import build_table
from compatprobe.results.history import annotate_table, load_history
from compatprobe.results.history import to_dict as history_dict
from compatprobe.results.model import Results, dumps, read_results


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "render",
        "render a results file, or a history folder, as a table without any browser",
        "Render a results file as a compatibility table. Given a history folder (see 'run --history'), "
        "render its newest run with version ranges over all of its runs.",
    )
    parser.add_argument(
        "results", type=Path, help="a results file written by 'compatprobe run', or a folder of them (a history)"
    )
    compare_flag(parser)
    add_bcd_flag(parser)
    output_flags(parser, None, ("html", "md", "json"))
    parser.set_defaults(handler=handle)


def compare_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="PREVIOUS",
        help="mark the table's cells that changed since this earlier results file",
    )


def render_results(
    results: Results,
    fmt: str,
    template_dir: Path | None,
    *,
    previous: tuple[Results, str] | None = None,
    history: list[Results] | None = None,
    bcd: BcdData | None = None,
) -> str:
    """The table of `results`; `previous` (results, file name) marks changes, `history` (oldest first,
    ending with `results`) adds version ranges, `bcd` marks contradictions with MDN's data."""
    if fmt == "json":
        return dumps(results)
    table = build_table(results)
    if history:
        annotate_table(table, history)
    if previous is not None:
        mark_changes(table, compare(previous[0], results, previous[1], "this run"))
    if bcd is not None:
        from compatprobe.bcd.compare import compare as bcd_compare
        from compatprobe.report.bcd_marks import annotate_table as bcd_annotate

        bcd_annotate(table, bcd_compare(results, bcd))
    if fmt == "md":
        return render_table_markdown(table, template_dir)
    return render_table_html(table, template_dir)


def handle(args: argparse.Namespace) -> int:
    previous = (read_results(args.compare), str(args.compare)) if args.compare else None
    if args.results.is_dir():
        runs = load_history(args.results)
        if args.format == "json":
            text = json.dumps(history_dict(runs), indent=2, ensure_ascii=False) + "\n"
        else:
            history = [r.results for r in runs]
            bcd = load_for(args.bcd, history[-1].probes)
            text = render_results(
                history[-1], args.format, args.template_dir, previous=previous, history=history, bcd=bcd
            )
    else:
        results = read_results(args.results)
        bcd = load_for(args.bcd, results.probes)
        text = render_results(results, args.format, args.template_dir, previous=previous, bcd=bcd)
    emit(text, args.out)
    return EXIT_OK
