"""`compatprobe bcd`: where observations contradict MDN's browser-compat-data, as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from compatprobe.bcd.compare import WAY_TEXT, BcdComparison, Comparison, bcd_ids, compare
from compatprobe.bcd.data import ENV_PATH, HOW_TO_GET, BcdData, bcd_path, load_bcd
from compatprobe.commands import EXIT_FOUND, EXIT_OK, add_command, emit, output_flags
from compatprobe.errors import InputError
from compatprobe.report.formats import markdown_environment
from compatprobe.results.model import ProbeInfo, Results, read_results


def add_bcd_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bcd",
        type=Path,
        metavar="PATH",
        help="MDN's browser-compat-data to compare with: the .tgz from 'npm pack @mdn/browser-compat-data', "
        f"its unpacked folder, or its data.json (default: ${ENV_PATH}, if set)",
    )


def load_for(given: Path | None, probes: list[ProbeInfo], *, required: bool = False) -> BcdData | None:
    """BCD from --bcd or the environment, with the entries these probes speak for; None if neither is set."""
    path = bcd_path(given)
    if path is None:
        if required:
            raise InputError(f"no BCD data: pass --bcd PATH or set {ENV_PATH}", hint=HOW_TO_GET)
        return None
    return load_bcd(path, bcd_ids(probes))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_command(
        subparsers,
        "bcd",
        "list where observations contradict MDN's browser-compat-data",
        "Compare a results file with MDN's browser-compat-data (BCD) and list every contradiction: "
        "per feature and browser release, what BCD says next to what was observed. Markdown is written "
        "to be pasted into an issue for BCD's maintainers.",
    )
    parser.add_argument("results", type=Path, help="a results file written by 'compatprobe run'")
    add_bcd_flag(parser)
    parser.add_argument(
        "--all", action="store_true", help="also list agreements and what could not be compared (JSON always does)"
    )
    parser.add_argument(
        "--fail-on",
        choices=("contradiction",),
        help="exit 1 when there is at least one contradiction",
    )
    output_flags(parser, None, ("text", "md", "json"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    results = read_results(args.results)
    data = load_for(args.bcd, results.probes, required=True)
    assert data is not None
    comparison = compare(results, data)
    if args.format == "json":
        text = as_json(comparison, results)
    elif args.format == "md":
        text = as_markdown(comparison, results, args.template_dir, show_all=args.all)
    else:
        text = as_text(comparison, results, show_all=args.all)
    emit(text, args.out)
    if args.fail_on == "contradiction" and comparison.contradictions:
        return EXIT_FOUND
    return EXIT_OK


def _who(c: Comparison, results: Results, comparison: BcdComparison) -> str:
    target = next(t for t in results.targets if t.name == c.target)
    seen = f"{target.browser.name} {target.browser.version}" if target.browser else target.name
    if c.mapping.browser is None:
        return f"{c.target} ({seen})"
    return f"{c.target} ({seen}, as {c.mapping.label(comparison.data.browsers)})"


def _heading(comparison: BcdComparison) -> str:
    data = comparison.data
    when = f" ({data.timestamp[:10]})" if data.timestamp else ""
    return (
        f"Compared with @mdn/browser-compat-data {data.version}{when}: {comparison.count('contradicts')} contradict, "
        f"{comparison.count('agrees')} agree, {comparison.count('not-comparable')} not comparable."
    )


def as_text(comparison: BcdComparison, results: Results, *, show_all: bool = False) -> str:
    lines = [_heading(comparison)]
    for name, mapping in comparison.mappings.items():
        lines.append(f"  {name}: {mapping.label(comparison.data.browsers)}")
    lines += unknown_lines(comparison)
    shown = comparison.comparisons if show_all else comparison.contradictions
    if not comparison.contradictions:
        lines.append("No contradictions.")
    for c in shown:
        lines.append("")
        lines.append(f"{c.verdict.upper()}  {c.feature}  in {_who(c, results, comparison)}")
        if c.bcd is not None:
            lines.append(f"  BCD says:  {c.bcd.summary}  {c.bcd.quote}")
        lines.append(f"  observed:  {c.observed.summary}  (probe {c.probe})")
        if c.way:
            lines.append(f"  so:        {WAY_TEXT[c.way]}")
        if c.reason:
            lines.append(f"  why:       {c.reason}")
    return "\n".join(lines) + "\n"


SHOWN_UNKNOWN = 5


def unknown_lines(comparison: BcdComparison) -> list[str]:
    """The ids BCD lacks, counted and the first few named: a typo in a probe's feature or bcd: line
    shows here, not only under --all."""
    unknown = comparison.unknown_ids
    if not unknown:
        return []
    named = ", ".join(unknown[:SHOWN_UNKNOWN]) + (
        f" and {len(unknown) - SHOWN_UNKNOWN} more" if len(unknown) > SHOWN_UNKNOWN else ""
    )
    return [
        f"{len(unknown)} feature id{'s' if len(unknown) != 1 else ''} not in BCD {comparison.data.version}: {named}",
        "  (check the probes' feature: and bcd: lines; --all lists every comparison)",
    ]


def as_markdown(
    comparison: BcdComparison, results: Results, template_dir: Path | None, *, show_all: bool = False
) -> str:
    rows = comparison.comparisons if show_all else comparison.contradictions
    targets = {t.name: t for t in results.targets}
    probes = {p.id: p for p in results.probes}
    return (
        markdown_environment(template_dir)
        .get_template("bcd.md")
        .render(
            heading=_heading(comparison),
            unknown=[line.strip() for line in unknown_lines(comparison)],
            comparison=comparison,
            rows=rows,
            targets=targets,
            probes=probes,
            results=results,
            way_text=WAY_TEXT,
            browsers=comparison.data.browsers,
        )
    )


def as_json(comparison: BcdComparison, results: Results) -> str:
    data = comparison.data
    document = {
        "bcd": {"version": data.version, "timestamp": data.timestamp, "source": data.source},
        "results": {"started": results.run.started, "tool_version": results.run.tool_version},
        "mappings": {name: m.to_dict() for name, m in comparison.mappings.items()},
        "counts": {v: comparison.count(v) for v in ("contradicts", "agrees", "not-comparable")},
        "status": comparison.status,
        "informs": comparison.informs,
        "comparisons": [c.to_dict() for c in comparison.comparisons],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
