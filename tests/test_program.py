"""The `compatprobe` program (`python -m compatprobe`, the console script): `main`'s exit code, its
files exactly as `main` writes them in a caller's process, and an exit that leaves the heap frozen
(the interpreter's last collection walked a sweep's table: 0.2 to 0.3 s of every command)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from compatprobe import cli
from conftest import cli as run_cli
from conftest import compatprobe
from golden_report import fingerprints, unpack_results


def test_the_program_exits_with_mains_code_and_the_heap_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.program()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_program_writes_what_main_writes(real_packages: dict[str, Path], tmp_path: Path) -> None:
    results = unpack_results(tmp_path)
    data = ["--bcd", str(real_packages["bcd"]), "--web-features", str(real_packages["web_features"])]
    program, here = tmp_path / "program", tmp_path / "main"
    done = compatprobe("render", str(results), *data, "-o", str(program / "index.html"))
    assert done.returncode == 0, done.stderr
    run_cli("render", str(results), *data, "-o", str(here / "index.html"), check=True)
    made = fingerprints(program, tmp_path)
    assert len(made) > 300, "the table was not split into section pages"
    assert made == fingerprints(here, tmp_path)
