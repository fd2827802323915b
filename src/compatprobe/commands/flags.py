"""Flags that mean the same on every command that takes them."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from compatprobe.api import BCD_ENV, WEB_FEATURES_ENV


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


def _package_flag(parser: argparse.ArgumentParser, flag: str, what: str, package: str, env: str) -> None:
    parser.add_argument(
        flag,
        type=Path,
        metavar="PATH",
        help=f"{what}: the .tgz from 'npm pack {package}', its unpacked folder, or its data.json "
        f"(default: ${env}, if set)",
    )


def bcd_flag(parser: argparse.ArgumentParser) -> None:
    _package_flag(parser, "--bcd", "MDN's browser-compat-data to compare with", "@mdn/browser-compat-data", BCD_ENV)


def compare_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="PREVIOUS",
        help="mark the table's cells that changed since this earlier results file",
    )


def web_features_flag(parser: argparse.ArgumentParser) -> None:
    _package_flag(parser, "--web-features", "web-features data for Baseline badges", "web-features", WEB_FEATURES_ENV)


def matrix_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-m", "--matrix", type=Path, default=Path("matrix.yaml"), help="matrix file (default: ./matrix.yaml)"
    )


def selection_flags(parser: argparse.ArgumentParser) -> None:
    """-p and -f: which probes, by probe id or by BCD feature id (generated probes included)."""
    for short, long, example, what, key in (
        ("-p", "--probe", "RTCPeerConnection/removeTrack*", "only probes whose id matches this pattern", "probes"),
        (
            "-f",
            "--feature",
            "api.RTCPeerConnection*",
            "the probes of BCD features matching this pattern, generated "
            "from the cached data ('compatprobe data fetch') and hand-written ones",
            "features",
        ),
    ):
        parser.add_argument(
            short,
            long,
            action="append",
            metavar="PATTERN",
            help=f"{what}, e.g. '{example}'; repeat for more (default: the matrix's '{key}')",
        )


def action_parsers(
    parser: argparse.ArgumentParser, *declared: tuple[str, str, str], required: bool = True
) -> dict[str, argparse.ArgumentParser]:
    """The command's actions (ACTION), each from its name, its one-line help and its description."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=required)
    return {name: actions.add_parser(name, help=line, description=text) for name, line, text in declared}
