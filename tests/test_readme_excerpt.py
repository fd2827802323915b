"""The README's table excerpt is real output: the rows scripts/readme_excerpt.py picks from
`compatprobe render --format md` of the shipped matrix's run (this session's, in all three engines)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browsers


def test_readme_excerpt_is_what_render_prints(observed: dict[str, Any]) -> None:
    spec = importlib.util.spec_from_file_location("readme_excerpt", ROOT / "scripts" / "readme_excerpt.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    md = script.markdown(observed["dir"] / "results.json")
    assert script.updated(readme, md) == readme, "run: .venv/bin/python scripts/readme_excerpt.py"
