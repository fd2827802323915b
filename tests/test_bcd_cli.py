"""`compatprobe bcd`, `render --bcd` and `collector-report` on hand-made results: flags, environment,
exit codes, escaping, help and README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bcd_fixtures import FIXTURE, FIXTURE_VERSION, firefox_48_results
from compatprobe.results.model import write_results
from conftest import ROOT, cli, command_names

HOSTILE = "<script>alert(1)</script> [x](http://evil.example) | *b*"


@pytest.fixture(autouse=True)
def bcd_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COMPATPROBE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPATPROBE_BCD", raising=False)


@pytest.fixture
def results_file(tmp_path: Path) -> Path:
    path = tmp_path / "results.json"
    write_results(firefox_48_results(), path)
    return path


def test_bcd_needs_data(results_file: Path) -> None:
    proc = cli("bcd", str(results_file))
    assert proc.returncode == 2
    assert "no BCD data: pass --bcd PATH or set COMPATPROBE_BCD" in proc.stderr
    assert "npm pack @mdn/browser-compat-data" in proc.stderr


def test_environment_stands_for_the_flag(results_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPATPROBE_BCD", str(FIXTURE))
    proc = cli("bcd", str(results_file), "--fail-on", "contradiction")
    assert proc.returncode == 1
    assert "1 contradict, 1 agree, 0 not comparable" in proc.stdout
    md = cli("render", str(results_file), "--format", "md", check=True).stdout
    assert f"Compared with MDN's browser-compat-data {FIXTURE_VERSION}: 1 contradict" in md


def test_render_without_bcd_is_unchanged(results_file: Path) -> None:
    md = cli("render", str(results_file), "--format", "md", check=True).stdout
    assert "BCD" not in md


def test_json_lists_every_comparison(results_file: Path) -> None:
    proc = cli("bcd", str(results_file), "--bcd", str(FIXTURE), "--format", "json", check=True)
    report = json.loads(proc.stdout)
    assert report["counts"] == {"contradicts": 1, "agrees": 1, "not-comparable": 0}
    [contradiction] = [c for c in report["comparisons"] if c["agreement"] == "contradicts"]
    assert contradiction["way"] == "observed-less"
    assert contradiction["observed"]["evidence"] == ["RTCPeerConnection/removeStream/after-addStream"]
    assert contradiction["bcd"]["statement"].startswith('firefox: {"version_added": "22"')


def test_markdown_report_escapes_browser_text(tmp_path: Path) -> None:
    results = firefox_48_results()
    results.targets[0].browser.user_agent += HOSTILE  # type: ignore[union-attr, operator]
    results.targets[0].outcomes[2].exception.message = HOSTILE  # type: ignore[union-attr]
    write_results(results, tmp_path / "r.json")
    md = cli("bcd", str(tmp_path / "r.json"), "--bcd", str(FIXTURE), "--format", "md", check=True).stdout
    # A word holding a URL is written as code, which neither HTML nor GitHub's links reach.
    outside_code = re.sub(r"(`+).*?\1", "", md)
    assert "<script>" not in outside_code and "http://evil.example" not in outside_code
    assert "\\<script\\>alert(1)\\</script\\> `[x](http://evil.example)`" in md
    assert "## api.RTCPeerConnection.removeStream in Firefox 48" in md
    table = [line for line in md.splitlines() if line.startswith("| api.")]
    # Five columns: six pipes that are not escaped, whatever the browser said.
    assert len(table) == 1 and len(re.findall(r"(?<!\\)\|", table[0])) == 6 and "\\|" in table[0]


def test_all_lists_agreements_too(results_file: Path) -> None:
    text = cli("bcd", str(results_file), "--bcd", str(FIXTURE), "--all", check=True).stdout
    assert "AGREES  api.RTCPeerConnection  in firefox (Firefox 48.0, as Firefox 48)" in text
    assert "CONTRADICTS  api.RTCPeerConnection.removeStream" in text


@pytest.mark.parametrize("command", command_names())
def test_every_command_has_help_and_a_readme_section(command: str) -> None:
    text = cli(command, "--help", check=True).stdout
    assert "exit codes:" in text
    assert command in cli("--help", check=True).stdout
    assert f"compatprobe {command}" in (ROOT / "README.md").read_text()
