"""`compatprobe render`: a results file as a table, without any browser."""

from __future__ import annotations

import argparse
from pathlib import Path

from compatprobe.bcd_data import BcdData
from compatprobe.commands import EXIT_OK, add_command, emit, output_flags
from compatprobe.commands.bcd import add_bcd_flag, load_for
from compatprobe.render import render_table_html, render_table_markdown
from compatprobe.results import Results, dumps, read_results
from compatprobe.table import build_table


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "render",
        "render a results file as a table, without any browser",
        "Render a results file as a compatibility table.",
    )
    parser.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    add_bcd_flag(parser)
    output_flags(parser, None, ("html", "md", "json"))
    parser.set_defaults(handler=handle)


def render_results(results: Results, fmt: str, template_dir: Path | None, bcd: BcdData | None = None) -> str:
    if fmt == "json":
        return dumps(results)
    table = build_table(results)
    if bcd is not None:
        from compatprobe.bcd_compare import compare
        from compatprobe.bcd_table import annotate_table

        annotate_table(table, compare(results, bcd))
    if fmt == "md":
        return render_table_markdown(table, template_dir)
    return render_table_html(table, template_dir)


def handle(args: argparse.Namespace) -> int:
    results = read_results(args.results)
    bcd = load_for(args.bcd, results.probes)
    emit(render_results(results, args.format, args.template_dir, bcd), args.out)
    return EXIT_OK
