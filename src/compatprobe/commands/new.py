"""Write a new probe file for FEATURE (a browser-compat-data id such as api.Clipboard.readText,
javascript.builtins.Array.findLast or css.properties.display) under the probes folder, and say whether the
matrix runs it. An existing file is never replaced."""

from __future__ import annotations

import argparse
import sys

from compatprobe.commands import EXIT_OK
from compatprobe.commands.flags import matrix_flag
from compatprobe.config.matrix import load_matrix
from compatprobe.errors import InputError
from compatprobe.files import unsafe_name, write_atomic
from compatprobe.probes.loader import FEATURE_ID, parse_probe, select

NAME = "new"
SUMMARY = "write the skeleton of a new probe for a feature id"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("feature", metavar="FEATURE", help="the feature id, such as api.Clipboard.readText")
    parser.add_argument("--id", metavar="ID", help="the probe's id (its path under the probes folder, without .js)")
    parser.add_argument("--title", help="the row's label (default: the feature's last part)")
    matrix_flag(parser)


def probe_id_for(feature: str) -> str:
    """api.Clipboard.readText -> Clipboard/readText; other categories keep their first parts as folders."""
    parts = feature.split(".")
    return "/".join(parts[1:] if parts[0] == "api" else parts)


def skeleton(feature: str, title: str) -> str:
    """A probe body that works as it is: it requires what the feature id names."""
    parts = feature.split(".")
    if parts[0] == "api" or parts[:2] == ["javascript", "builtins"]:
        names = parts[1:] if parts[0] == "api" else parts[2:]
        path = names[0] if len(names) == 1 else f"{names[0]}.prototype.{names[1]}"
        body = (
            f't.require("{path}");\n'
            "// Call the API under test with t.call(label, fn) or t.throws(name, label, fn); await them when\n"
            "// they return a promise. Prepare what the probe needs with await t.setup(label, fn).\n"
        )
    elif parts[:2] == ["css", "properties"] and len(parts) >= 3:
        prop = parts[2].replace("_", "-")
        value = parts[3].replace("_", "-") if len(parts) > 3 else "initial"
        body = (
            't.require("CSS.supports");\n'
            f't.check(t.call(\'CSS.supports("{prop}", "{value}")\', () => CSS.supports("{prop}", "{value}")), '
            f'"{prop}: {value} is not supported");\n'
        )
    else:
        body = "// Check the feature here: t.require(path), t.call(label, fn), t.check(condition, message).\n"
    # json-style double quotes: a title holding ': ' or '#' stays valid YAML.
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        "/*---\n"
        f"feature: {feature}\n"
        f"title: {quoted}\n"
        "# spec: https://...   mdn: https://...   expect: what the spec says, in words\n"
        "---*/\n" + body
    )


def handle(args: argparse.Namespace) -> int:
    feature = args.feature
    if not FEATURE_ID.match(feature):
        raise InputError(
            f"'{feature}' is not a browser-compat-data id",
            hint="write it like api.Clipboard.readText, javascript.builtins.Array.findLast or css.properties.display",
        )
    matrix = load_matrix(args.matrix)
    probe_id = args.id or probe_id_for(feature)
    why = next(filter(None, (unsafe_name(part) for part in probe_id.split("/"))), None)
    if why or probe_id.startswith("_") or "/_" in probe_id:
        raise InputError(
            f"--id {probe_id}: not a probe id ({why or 'a part starts with _, which the probes listing skips'})",
            hint="write a path under the probes folder, such as Clipboard/readText",
        )
    path = matrix.probes_dir / f"{probe_id}.js"
    if path.exists():
        raise InputError("a probe file is already there", path=path, hint="choose another id with --id")
    text = skeleton(feature, args.title or feature.split(".")[-1])
    write_atomic(path, text)
    parse_probe(path, probe_id)  # the skeleton is a valid probe; a bug here must not pass unnoticed
    runs = bool(select([probe_id], list(matrix.probes)))
    print(f"compatprobe: wrote {path}", file=sys.stderr)
    print(
        f"compatprobe: {matrix.path} runs it"
        if runs
        else f"compatprobe: {matrix.path} does not run it: run it with 'compatprobe run -p {probe_id}', "
        f"or add '{probe_id}' to the matrix's probes",
        file=sys.stderr,
    )
    return EXIT_OK
