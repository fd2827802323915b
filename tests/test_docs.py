"""The docs against the code: the CLI reference is current and complete, every relative link
resolves, the README stays a short front door with CI's commands, and its Python example runs."""

from __future__ import annotations

import argparse
import ast
import html
import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

import compatprobe
from compatprobe import cli
from compatprobe.results.model import Results
from direct import evaluate_playwright

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


reference = load_script()


def tokens(path: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(path.read_text(encoding="utf-8"))


def fences(path: Path, language: str) -> list[str]:
    return [t.content for t in tokens(path) if t.type == "fence" and t.info.strip() == language]


def slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found: set[str] = set()
    stream = tokens(path)
    for i, token in enumerate(stream):
        if token.type != "heading_open":
            continue
        text = "".join(c.content for c in stream[i + 1].children or [] if c.type in ("text", "code_inline"))
        base = slug(text)
        name, n = base, 0
        while name in found:  # GitHub numbers repeated headings: name, name-1, name-2
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


def links(path: Path) -> list[str]:
    found = []
    for token in tokens(path):
        for child in token.children or []:
            target = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
            if isinstance(target, str):
                found.append(target)
    return found


def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return action


def test_the_cli_reference_is_current() -> None:
    generated = reference.current()
    on_disk = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert on_disk == generated, f"docs/cli.md is stale: run {reference.COMMAND} and commit docs/cli.md"


def test_every_command_has_a_section_in_the_cli_reference() -> None:
    found = [c.name for c in reference.commands(cli.build_parser())]
    # The parser's own list, read independently of the walk above: every name `compatprobe --help` offers.
    assert {f"compatprobe {name}" for name in subcommands(cli.build_parser()).choices} <= set(found)
    headings = re.findall(r"^## (.+)$", (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), re.M)
    missing = [name for name in found if name not in headings]
    assert not missing, f"no section in docs/cli.md for {missing}: run {reference.COMMAND}"


def test_the_cli_reference_shows_every_help_text_as_written() -> None:
    # Rendered as GitHub would (Markdown to text), every description and argument help reads as --help has it.
    rendered = MarkdownIt("commonmark").enable("table").render((ROOT / "docs" / "cli.md").read_text(encoding="utf-8"))
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    missing = []
    for command in reference.commands(cli.build_parser()):
        texts = [command.parser.description or ""]
        texts += [reference.expanded_help(a, command.parser.prog) for a in reference.arguments(command.parser)]
        missing += [f"{command.name}: {t!r}" for t in texts if " ".join(t.split()) not in text]
    assert not missing, f"docs/cli.md does not show these as written (run {reference.COMMAND}): {missing}"


def test_every_command_has_help_text() -> None:
    gaps = {c.name: reference.missing_help(c) for c in reference.commands(cli.build_parser())}
    assert gaps
    lacking = {name: g for name, g in gaps.items() if g}
    assert not lacking, f"give these commands help text in src/compatprobe/commands/: {lacking}"


def test_missing_help_is_found() -> None:
    # The check above must be able to fail: a parser with an undocumented command and flag.
    parser = cli.build_parser()
    sub = subcommands(parser).add_parser("undocumented")
    sub.add_argument("--flag")
    command = next(c for c in reference.commands(parser) if c.name == "compatprobe undocumented")
    assert reference.missing_help(command) == [
        "no summary (help= of add_parser)",
        "no description",
        "argument --flag FLAG has no help",
    ]
    assert "## compatprobe undocumented" in reference.reference(parser)


def test_new_commands_and_their_subcommands_are_found_from_the_parser() -> None:
    parser = cli.build_parser()
    data = subcommands(parser).add_parser("zzdemo", help="demo packages", description="Demo.")
    data.add_subparsers().add_parser("fetch", help="fetch them", description="Fetch.")
    names = [c.name for c in reference.commands(parser)]
    assert names[-2:] == ["compatprobe zzdemo", "compatprobe zzdemo fetch"]
    page = reference.reference(parser)
    assert "## compatprobe zzdemo fetch" in page
    assert "```\ncompatprobe zzdemo COMMAND ...\n```" in page


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, fragment = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        if not dest.exists():
            broken.append(f"{target}: no {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{target}: no heading #{fragment} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_docs_link_every_page() -> None:
    linked = {(README.parent / t.partition("#")[0]).resolve() for t in links(README)}
    linked |= {(ROOT / "docs" / t.partition("#")[0]).resolve() for t in links(ROOT / "docs" / "README.md")}
    assert {p.resolve() for p in DOCS} - linked == set(), "link every page of docs/ from README.md or docs/README.md"


def test_the_readme_is_a_short_front_door_with_cis_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 160, f"README.md has {len(lines)} lines: move the manual into docs/"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1].strip()
    first_screen = "\n".join(lines[:60])
    assert ci in first_screen, f"the README's first 60 lines must show CI's test command: {ci}"
    assert "./install.sh && .venv/bin/compatprobe run" in first_screen
    text = README.read_text(encoding="utf-8")
    unlisted = [c.name for c in reference.commands(cli.build_parser()) if f"`{c.name}" not in text]
    assert not unlisted, f"add these commands to the README's table of commands: {unlisted}"


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_python_examples_parse_and_name_real_api(page: Path) -> None:
    for code in fences(page, "python"):
        ast.parse(code)
        for name in re.findall(r"\bapi\.(\w+)", code):
            assert hasattr(compatprobe.api, name), f"{page.name}: compatprobe.api has no {name}"


@pytest.mark.browsers
def test_the_readmes_python_example_runs(
    observed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [example] = fences(README, "python")
    # The example runs beside the shipped matrix and probes, after `compatprobe run` wrote out/results.json.
    shutil.copy(ROOT / "matrix.yaml", tmp_path / "matrix.yaml")
    (tmp_path / "probes").symlink_to(ROOT / "probes")
    (tmp_path / "out").mkdir()
    shutil.copy(observed["dir"] / "results.json", tmp_path / "out" / "results.json")
    monkeypatch.chdir(tmp_path)
    probe = re.search(r'probes=\["([^"]+)"\]', example)
    assert probe is not None, "the README's example picks its probe with probes=[...]"

    namespace: dict[str, Any] = {}
    exec(compile(example, "README.md (python example)", "exec"), namespace)
    printed = capsys.readouterr().out

    results = namespace["results"]
    assert isinstance(results, Results)
    [target] = results.targets
    assert (target.name, target.status) == ("chromium", "ok")
    [outcome] = target.outcomes
    # Independently: what the same Chromium says without compatprobe's harness.
    direct = evaluate_playwright("chromium", "() => typeof RTCPeerConnection.prototype.removeTrack")
    assert outcome.probe == probe[1]
    assert outcome.status == ("supported" if direct == "function" else "unsupported")
    assert outcome.values.get("typeof removeTrack") == f'"{direct}"'
    assert f"{outcome.probe} {outcome.status}" in printed
    assert target.browser is not None and target.browser.version in printed

    table = namespace["table"]
    assert "removeTrack() is on the prototype" in table
    assert ("✓ Yes" if direct == "function" else "✗ No") in table

    # Against the full run of the shipped matrix: the one cell both ran agrees; the rest was not run again.
    changes = namespace["changes"]
    counts = changes.counts()
    assert changes.unchanged == 1
    assert counts["probe_removed"] == len(observed["results"]["probes"]) - 1
    assert counts["target_removed"] == len(observed["results"]["targets"]) - 1
    assert not changes.cells
    assert changes.summary() in printed
