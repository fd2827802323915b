"""The scheduled workflow's sequence on this machine: the same scripts the workflow's steps call.

Two shards observe real browsers (scripts/observe.sh), then scripts/publish.sh merges them,
renders the table, keeps the history and diffs against the previously published run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compatprobe.results.model import read_results
from conftest import ROOT

pytestmark = pytest.mark.browsers
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def script(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / name), *map(str, args)], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shards")
    for name, targets in (("linux", ["-b", "chromium", "-b", "webkit"]), ("other", ["-b", "firefox"])):
        proc = script("observe.sh", folder / f"shard-{name}.json", "-q", *targets)
        assert proc.returncode == 0, proc.stderr
    return folder


def test_observe_keeps_partial_shards(tmp_path: Path) -> None:
    """A shard whose target cannot run still uploads its results (exit 3 is not a job failure)."""
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text(
        f"probes_dir: {ROOT / 'probes'}\nprobes: ['RTCPeerConnection/exists']\n"
        "targets:\n  - name: nowhere\n    engine: chromium\n    use: [playwright: {executable: /nonexistent/chrome}]\n"
    )
    proc = script("observe.sh", tmp_path / "shard.json", "-q", "-m", matrix)
    assert proc.returncode == 0, proc.stderr
    assert "partial shard (exit 3)" in proc.stdout
    assert read_results(tmp_path / "shard.json").targets[0].status == "unavailable"


def test_bad_input_fails_the_shard(tmp_path: Path) -> None:
    proc = script("observe.sh", tmp_path / "shard.json", "-q", "-b", "nosuchbrowser")
    assert proc.returncode == 2
    assert not (tmp_path / "shard.json").exists()


def test_publish_first_then_again(shards: Path, tmp_path: Path) -> None:
    site = tmp_path / "published"
    first = script("publish.sh", shards, site)
    assert first.returncode == 0, first.stderr
    assert "nothing to compare with yet" in (site / "summary.md").read_text()
    merged = read_results(site / "results.json")
    assert [t.name for t in merged.targets] == ["chromium", "firefox", "webkit"]
    assert {s.source for s in merged.run.shards or []} == {"shard-linux.json", "shard-other.json"}
    assert "Chromium" in (site / "index.html").read_text()
    assert not (site / "regressions.md").exists()

    # Two publishes in the same second once shared a history file: the second replaced the first.
    # Files named for this second and the next few stand in for publishes that came just before.
    first_saved = next((site / "history").glob("*.json"))
    now = datetime.now(UTC)
    taken = {}
    for seconds in range(6):
        stem = (now + timedelta(seconds=seconds)).strftime("%Y%m%dT%H%M%SZ")
        taken[site / "history" / f"{stem}.json"] = first_saved.read_bytes().replace(b"{", b"{ ", 1)
    for path, content in taken.items():
        if not path.exists():
            path.write_bytes(content)
    before = {p: p.read_bytes() for p in (site / "history").glob("*.json")}

    second = script("publish.sh", shards, site)
    assert second.returncode == 0, second.stderr
    summary = (site / "summary.md").read_text()
    assert "0 lost" in summary or "no changes" in summary.lower(), summary
    assert (site / "diff.html").exists()
    assert not (site / "regressions.md").exists()
    after = {p: p.read_bytes() for p in (site / "history").glob("*.json")}
    assert {p: after[p] for p in before} == before  # nothing replaced
    assert len(after) == len(before) + 1


def test_publish_reports_a_regression(shards: Path, tmp_path: Path) -> None:
    """The previous run is edited to say Firefox had removeStream, so this run lost it."""
    site = tmp_path / "published"
    assert script("publish.sh", shards, site).returncode == 0
    data = json.loads((site / "results.json").read_text())
    firefox = next(t for t in data["targets"] if t["name"] == "firefox")
    cell = next(o for o in firefox["outcomes"] if o["probe"] == "RTCPeerConnection/removeStream/exists")
    cell.clear()
    cell.update({"probe": "RTCPeerConnection/removeStream/exists", "status": "supported"})
    (site / "results.json").write_text(json.dumps(data))
    proc = script("publish.sh", shards, site)
    assert proc.returncode == 0, proc.stderr
    regressions = (site / "regressions.md").read_text()
    assert "removeStream" in regressions and "firefox" in regressions.lower()
    assert (site / "summary.md").read_text() == regressions


def test_compare_script_exit_codes(shards: Path, tmp_path: Path) -> None:
    good = shards / "shard-other.json"
    assert script("compare.sh", good, good, tmp_path / "same").returncode == 0
    assert not (tmp_path / "same" / "regressions.md").exists()
    (tmp_path / "empty.json").write_text("")
    bad = script("compare.sh", tmp_path / "empty.json", good, tmp_path / "bad")
    assert bad.returncode == 2 and "file is empty" in bad.stderr
    assert not (tmp_path / "bad" / "diff.md").exists()
