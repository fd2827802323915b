"""The command line: help, exit codes, render without a browser, nothing written on bad input.

Run in-process through `compatprobe.cli.main`; one test starts `python -m compatprobe` for real."""

from __future__ import annotations

from pathlib import Path

import pytest

from compatprobe import __version__
from compatprobe.results.model import write_results
from conftest import ROOT, cli, command_names, compatprobe
from factories import make_results


def test_the_commands_are_there() -> None:
    assert {"run", "render", "diff", "browsers"} <= set(command_names())


def test_help_explains_every_command() -> None:
    top = cli("--help", check=True).stdout
    for command in command_names():
        assert command in top
        text = cli(command, "--help", check=True).stdout
        assert "exit codes:" in text and "--" in text


def test_python_m_compatprobe_is_the_cli() -> None:
    """The entry a user types: `python -m compatprobe` reaches the same main() and exits with its code."""
    proc = cli("--version", check=True)
    assert proc.stdout == f"compatprobe {__version__}\n"
    assert compatprobe("render").returncode == 2  # argparse: the results file is required


@pytest.mark.parametrize("command", command_names())
def test_commands_are_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"compatprobe {command}" in readme


def test_render_without_a_browser(tmp_path: Path) -> None:
    write_results(make_results(), tmp_path / "r.json")
    html = tmp_path / "t.html"
    cli("render", str(tmp_path / "r.json"), "-o", str(html), check=True)
    assert "Throws NotSupportedError" in html.read_text()
    md = cli("render", str(tmp_path / "r.json"), "--format", "md", check=True).stdout
    chromium, firefox = (t.browser for t in make_results().targets[:2])
    assert chromium and firefox
    major = {b.name: b.version.split(".")[0] for b in (chromium, firefox)}
    assert md.startswith("3 rows observed on 2026-01-01.")  # counts first, then the rows that differ
    assert f"\n| Feature | Chromium {major['Chromium']} | Firefox {major['Firefox']} |" in md


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"schema_version": 1, "run": {')
    out = tmp_path / "t.html"
    proc = cli("render", str(tmp_path / "bad.json"), "-o", str(out))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"compatprobe: error: {tmp_path / 'bad.json'}:1: not valid JSON")
    assert not out.exists()


def test_run_with_bad_matrix_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "matrix.yaml").write_text("targets:\n  - name: a\n    engine: gecko\n    use: [playwright: {}]\n")
    proc = cli(
        "run",
        "-m",
        str(tmp_path / "matrix.yaml"),
        "--results",
        str(tmp_path / "r.json"),
        "-o",
        str(tmp_path / "i.html"),
    )
    assert proc.returncode == 2
    assert "matrix.yaml:3: target 'a': unknown engine 'gecko'" in proc.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "matrix.yaml"]


def test_unknown_browser_flag(tmp_path: Path) -> None:
    proc = cli("run", "-b", "firefx", "--results", str(tmp_path / "r.json"), "-o", str(tmp_path / "i.html"))
    assert proc.returncode == 2 and "did you mean 'firefox'?" in proc.stderr
    assert not (tmp_path / "r.json").exists()


def test_browsers_lists_what_was_found() -> None:
    proc = cli("browsers", check=True)
    assert "chromium (chromium): will use" in proc.stdout
    assert (
        "to get it: python -m playwright install --with-deps webkit" in proc.stdout
        or "Playwright's webkit build: found" in proc.stdout
    )


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:40])
    commands = [line.split("#")[0].strip() for line in first_screen.splitlines() if line.startswith("./install.sh")]
    assert len(commands) == 2
    run_command, test_command = commands
    assert run_command.endswith("compatprobe run")
    assert test_command in (ROOT / ".ci" / "run").read_text()
