"""docs/glossary.md is generated from compatprobe.kinds, the table every output reads its marks and words from."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from compatprobe.kinds import CELL_KINDS, MARKS
from compatprobe.results.model import ExceptionInfo, Outcome
from compatprobe.results.words import phrase, words

ROOT = Path(__file__).resolve().parents[1]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("glossary", ROOT / "scripts" / "glossary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


glossary = load_script()


def test_the_glossary_is_current() -> None:
    on_disk = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert on_disk == glossary.current(), f"docs/glossary.md is stale: run {glossary.COMMAND} and commit it"


def test_the_check_fails_when_stale(tmp_path: Path) -> None:
    stale = tmp_path / "glossary.md"
    stale.write_text("# Glossary\n", encoding="utf-8")
    saved = glossary.TARGET
    glossary.TARGET = stale
    try:
        assert glossary.main(["--check"]) == 1
        glossary.main([])
        assert glossary.main(["--check"]) == 0
    finally:
        glossary.TARGET = saved


def test_every_kind_and_mark_has_a_row() -> None:
    text = glossary.current()
    for kind in [*CELL_KINDS.values(), *MARKS]:
        assert f"| {kind.icon} | `{kind.key}` | {kind.meaning}" in text


def test_cells_and_notes_say_the_words_of_the_table() -> None:
    throws = Outcome("p", "throws", exception=ExceptionInfo("TypeError", "x", expected=False))
    missing = Outcome("p", "unsupported", reason="member-missing")
    assert (words(throws).kind, words(throws).label, phrase(throws)) == (
        "throws",
        "Throws TypeError",
        "throws TypeError",
    )
    assert (words(missing).label, phrase(missing)) == ("No (member missing)", "does not support it (member missing)")
    for outcome in (throws, missing, Outcome("p", "supported"), Outcome("p", "timeout")):
        kind = CELL_KINDS[words(outcome).kind]
        assert words(outcome).text == kind.label.format(exception="TypeError")
