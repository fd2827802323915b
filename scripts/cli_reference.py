"""Write docs/cli.md, the CLI reference, from compatprobe's own argument parser.

    .venv/bin/python scripts/cli_reference.py          # rewrite docs/cli.md
    .venv/bin/python scripts/cli_reference.py --check  # exit 1 if docs/cli.md is stale

Commands are found by walking `compatprobe.cli.build_parser()`, so a new command (or subcommand)
gets its section on the next run. The page is built from the parser's fields (help, metavar,
choices) rather than from argparse's terminal layout, which changes with the terminal's width and
between Python versions; the words are the ones `--help` prints.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from compatprobe.cli import build_parser
from compatprobe.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"
COMMAND = ".venv/bin/python scripts/cli_reference.py"


@dataclass(frozen=True)
class Command:
    """A command (or a subcommand of one) found in the parser, with its one-line summary."""

    path: tuple[str, ...]
    parser: argparse.ArgumentParser
    summary: str | None

    @property
    def name(self) -> str:
        return " ".join(self.path)


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ("compatprobe",)) -> Iterator[Command]:
    """Every command under `parser`, depth first, in the order they were registered."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        summaries = {choice.dest: choice.help for choice in action._choices_actions}
        seen: set[int] = set()
        for name, sub in action.choices.items():
            if id(sub) in seen:  # an alias of a command already listed
                continue
            seen.add(id(sub))
            yield Command((*path, name), sub, summaries.get(name))
            yield from commands(sub, (*path, name))


def arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    """The arguments a user types: positionals first, as --help lists them; no -h, no subcommand slot."""
    shown = [
        a
        for a in parser._actions
        if a.help is not argparse.SUPPRESS and not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
    ]
    return [a for a in shown if not a.option_strings] + [a for a in shown if a.option_strings]


def missing_help(command: Command) -> list[str]:
    """What of this command has no help text: its summary, its description, or any argument."""
    gaps = []
    if not (command.summary or "").strip():
        gaps.append("no summary (help= of add_parser)")
    if not (command.parser.description or "").strip():
        gaps.append("no description")
    gaps += [f"argument {invocation(a)} has no help" for a in arguments(command.parser) if not (a.help or "").strip()]
    return gaps


def metavar(action: argparse.Action) -> str:
    if action.metavar is not None:
        name = action.metavar if isinstance(action.metavar, str) else " ".join(action.metavar)
    elif action.choices is not None:
        name = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        name = action.dest.upper() if action.option_strings else action.dest
    nargs = action.nargs
    if nargs is None:
        return name
    if nargs == "?":
        return f"[{name}]"
    if nargs == "*":
        return f"[{name} ...]"
    if nargs == "+":
        return f"{name} [{name} ...]"
    if isinstance(nargs, int):
        return " ".join([name] * nargs)
    return name


def invocation(action: argparse.Action) -> str:
    """`-o, --out PATH` for an option, `OLD` for a positional."""
    if not action.option_strings:
        return metavar(action)
    flags = ", ".join(action.option_strings)
    return flags if action.nargs == 0 else f"{flags} {metavar(action)}"


def expanded_help(action: argparse.Action, prog: str) -> str:
    """The help text with %(default)s and friends filled in, as argparse does when it prints it."""
    text = action.help or ""
    if "%" not in text:
        return text
    params = {k: v for k, v in vars(action).items() if v is not argparse.SUPPRESS}
    params["prog"] = prog
    if params.get("choices") is not None:
        params["choices"] = ", ".join(map(str, params["choices"]))
    return text % params


def synopsis(command: Command) -> str:
    args = arguments(command.parser)
    words = [command.name]
    if any(a.option_strings for a in args):
        words.append("[options]")
    words += [metavar(a) for a in args if not a.option_strings]
    if any(isinstance(a, argparse._SubParsersAction) for a in command.parser._actions):
        words.append("COMMAND ...")
    return " ".join(words)


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading made of words, spaces and hyphens."""
    return "".join(c for c in heading.lower() if c.isalnum() or c in " -_").replace(" ", "-")


def plain(text: str) -> str:
    """Help text shown as written: characters Markdown would read as markup are escaped."""
    return re.sub(r"[\\`*<>\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", lambda m: "\\" + m[0], text)


def cell(text: str) -> str:
    return plain(" ".join(text.split())).replace("|", "\\|")


def section(command: Command, parent_epilog: str | None) -> list[str]:
    lines = [f"## {command.name}", ""]
    if command.parser.description:
        lines += [plain(command.parser.description), ""]
    lines += ["```", synopsis(command), "```", ""]
    args = arguments(command.parser)
    if args:
        lines += ["| argument | what it does |", "|---|---|"]
        lines += [f"| `{invocation(a)}` | {cell(expanded_help(a, command.parser.prog))} |" for a in args]
        lines.append("")
    if command.parser.epilog and command.parser.epilog != parent_epilog:
        lines += ["```", command.parser.epilog.rstrip(), "```", ""]
    return lines


def reference(parser: argparse.ArgumentParser) -> str:
    found = list(commands(parser))
    lines = [
        "# Command-line reference",
        "",
        f"<!-- Generated from compatprobe's argument parser by `{COMMAND}`; do not edit by hand. -->",
        "",
        plain(parser.description or ""),
        "",
        "`python -m compatprobe` works the same as `compatprobe`. Every command also takes `-h/--help`,",
        "which prints what this page says.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    lines += [f"| [`{c.name}`](#{anchor(c.name)}) | {cell(c.summary or '')} |" for c in found]
    lines.append("")
    if parser.epilog:
        lines += ["Every command ends with one of these exit codes:", "", "```", parser.epilog.rstrip(), "```", ""]
    parents = {c.path: c.parser.epilog for c in found}
    for c in found:
        lines += section(c, parents.get(c.path[:-1], parser.epilog))
    return "\n".join(lines).rstrip() + "\n"


def current() -> str:
    return reference(build_parser())


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.ArgumentParser(description="Write docs/cli.md from compatprobe's argument parser.")
    args.add_argument("--check", action="store_true", help="only check: exit 1 if docs/cli.md is stale")
    check = args.parse_args(argv).check
    text = current()
    if check:
        stale = not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text
        if stale:
            print(f"{TARGET.relative_to(ROOT)} is stale: run {COMMAND}", file=sys.stderr)
        return 1 if stale else 0
    write_atomic(TARGET, text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
