"""Write a new probe file for FEATURE (a browser-compat-data id such as api.Clipboard.readText,
javascript.builtins.Array.findLast or css.properties.display) under the probes folder, and say whether the
matrix runs it. An existing file is never replaced."""

from __future__ import annotations

import argparse
import sys

from compatprobe import api
from compatprobe.commands import EXIT_OK
from compatprobe.commands.flags import matrix_flag
from compatprobe.errors import InputError

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


GUIDE = (
    "// Call the API under test with t.call(label, fn) or t.throws(name, label, fn); await them when\n"
    "// they return a promise. Prepare what the probe needs with await t.setup(label, fn).\n"
)


def _require_path(feature: str) -> str | None:
    """What t.require looks up for an api or javascript id, by the generator's rules for its name:
    `_static` on the interface object, `_event` through its interface, members on the prototype."""
    parts = feature.split(".")
    names = parts[1:] if parts[0] == "api" else parts[2:]
    if len(names) == 1:
        return names[0]
    owner, name = names[0], names[1]
    if name.endswith("_static"):
        return f"{owner}.{name.removesuffix('_static')}"
    if name.endswith("_event") or name == owner:
        return owner
    return f"{owner}.prototype.{name}"


def skeleton(feature: str, title: str, check: str | None = None) -> str:
    """A probe body that works as it is. With the generator's `check` for this id (the data cached),
    it starts with that check, so that it answers as the generated probe does (a static method, an
    event through its handler, a CSS property with a value of its own syntax); else it requires
    what the id names."""
    parts = feature.split(".")
    if check:
        body = f"// The generated probe's check of {feature}:\n{check}\n" + GUIDE
    elif parts[0] == "api" or parts[:2] == ["javascript", "builtins"]:
        body = f't.require("{_require_path(feature)}");\n' + GUIDE
    elif parts[:2] == ["css", "properties"] and len(parts) >= 3:
        prop = parts[2].replace("_", "-")
        value = parts[3].replace("_", "-") if len(parts) > 3 else "initial"
        # The helper's CSS.supports says "missing" when it is false, as the generated probe does.
        body = f't.property("{prop}", "{value}", true);\n'
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
    if not api.is_feature_id(feature):
        raise InputError(
            f"'{feature}' is not a browser-compat-data id",
            hint="write it like api.Clipboard.readText, javascript.builtins.Array.findLast or css.properties.display",
        )
    matrix = api.load_matrix(args.matrix)
    probe_id = args.id or probe_id_for(feature)
    path, runs = api.add_probe(
        matrix, probe_id, skeleton(feature, args.title or feature.split(".")[-1], api.generated_check(feature))
    )
    print(f"compatprobe: wrote {path}", file=sys.stderr)
    print(
        f"compatprobe: {matrix.path} runs it"
        if runs
        else f"compatprobe: {matrix.path} does not run it: run it with 'compatprobe run -p {probe_id}', "
        f"or add '{probe_id}' to the matrix's probes",
        file=sys.stderr,
    )
    return EXIT_OK
