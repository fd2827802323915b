"""Write docs/glossary.md, every mark and word of the compatibility table, from compatprobe.kinds.

    .venv/bin/python scripts/glossary.py          # rewrite docs/glossary.md
    .venv/bin/python scripts/glossary.py --check  # exit 1 if docs/glossary.md is stale

The table, its legend, Markdown, text and the diff read their marks and words from the same module,
so the page cannot say something the table does not.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from compatprobe.files import write_atomic
from compatprobe.kinds import (
    BADGES,
    BCD_KINDS,
    CELL_KINDS,
    DIFFERS,
    MARKS,
    MISSING,
    SCOPE_UNAVAILABLE,
    SUMMARY_COLUMNS,
    TYPO,
)
from compatprobe.scopes import SCOPE_PHRASES, SCOPE_TITLES

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "glossary.md"
COMMAND = ".venv/bin/python scripts/glossary.py"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").format(exception="*Exception*", detail="*detail*") if text else "—"


def current() -> str:
    """The page as the current vocabulary writes it."""
    lines = [
        "# Glossary",
        "",
        f"<!-- Generated from src/compatprobe/kinds.py by {COMMAND}; do not edit. -->",
        "",
        "Every mark and word a compatibility table cell can show, in the legend's order: what it means, "
        "its words in the cell, and how notes say it after a browser's name ("
        "[Outputs and results](outputs.md) shows where each appears).",
        "",
        "| mark | kind | meaning | in a cell | in a note |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {k.icon} | `{k.key}` | {_cell(k.meaning)} | {_cell(k.label)} | {_cell(k.phrase)} |"
        for k in CELL_KINDS.values()
    ]
    lines += [
        "",
        "## The summary's counts",
        "",
        "The summary per browser (HTML, Markdown, text) and the line `run` prints when a target ends count "
        "each cell, or each outcome, in one column, so the numbers agree everywhere. A ✓ *Throws* cell "
        "counts as supported: the browser threw what the spec expects.",
        "",
        "| column | counts the kinds |",
        "|---|---|",
    ]
    lines += [f"| {column} | {', '.join(f'`{kind}`' for kind in kinds)} |" for column, kinds in SUMMARY_COLUMNS.items()]
    lines += ["", "## Marks beside a cell's", "", "| mark | name | meaning |", "|---|---|---|"]
    lines += [f"| {k.icon} | `{k.key}` | {_cell(k.meaning)} |" for k in MARKS]
    lines += [
        "",
        "## BCD's marks",
        "",
        "With MDN's columns (`--bcd`), each cell shows BCD's statement on top with a round mark, and each "
        "observation under it in a framed box with the marks above: where they are and their shape tell "
        "them apart without colour, and a screen reader hears *BCD says* and *observed* before each.",
        "",
        "| mark | kind | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| {k.icon} | `{k.key}` | {_cell(k.meaning)} |" for k in BCD_KINDS.values()]
    lines += ["", "## Badges and words", "", "| shows | name | meaning |", "|---|---|---|"]
    lines += [f"| {_cell(k.icon)} | `{k.key}` | {_cell(k.meaning)} |" for k in BADGES.values()]
    details = [f"`{reason}`: {words}" for reason, words in MISSING.items()]
    lines += [
        "",
        "## Details",
        "",
        f"A **No** cell says why in parentheses: {', '.join(details)}; or *{DIFFERS}*, when the feature is "
        "there but behaves otherwise than the row says. An **Unknown path** cell adds "
        f"*{TYPO}*. A worker scope that could not start shows *{SCOPE_UNAVAILABLE}* (an `error` cell): "
        "nothing was observed there.",
        "",
        "## Scopes",
        "",
        "| scope | in the table | in notes and diffs |",
        "|---|---|---|",
    ]
    lines += [f"| `{key}` | {title} | {SCOPE_PHRASES.get(key, '(not said)')} |" for key, title in SCOPE_TITLES.items()]
    return "\n".join(lines) + "\n"


def _shown() -> Path:
    return TARGET.relative_to(ROOT) if TARGET.is_relative_to(ROOT) else TARGET


def main(argv: Sequence[str] | None = None) -> int:
    args = argparse.ArgumentParser(description="Write docs/glossary.md from compatprobe.kinds.")
    args.add_argument("--check", action="store_true", help="only check: exit 1 if docs/glossary.md is stale")
    check = args.parse_args(argv).check
    text = current()
    if check:
        stale = not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text
        if stale:
            print(f"{_shown()} is stale: run {COMMAND}", file=sys.stderr)
        return 1 if stale else 0
    write_atomic(TARGET, text)
    print(f"wrote {_shown()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
