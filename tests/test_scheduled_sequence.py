"""The scheduled workflow's sequence on this machine: the same scripts the workflow's steps call, and
the Action run step by step as docs/github-action.md's example workflow uses it (tests/workflow_runner.py).

Two shards observe real browsers (scripts/observe.sh), then scripts/publish.sh merges them,
renders the table, keeps the history and diffs against the previously published run. Then two
scheduled runs of the user's workflow, with a browser that loses a feature in between.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from compatprobe.results.model import read_results
from conftest import FIXTURES, ROOT
from loopback import answering
from workflow_runner import SKIPPED_HERE, Job, StepRecord, runner_env

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


# ---------------------------------------------------------------------------------------------
# The Action as a user's workflow runs it: docs/github-action.md's example, step by step.

SWITCH_PROBE = """/*---
feature: api.RTCPeerConnection
title: RTCPeerConnection, unless the test's switch removes it (a browser update that lost it)
---*/
const answer = await (await t.window.fetch("{url}gone")).text();
if (answer === "yes") delete t.window.RTCPeerConnection;
t.require("RTCPeerConnection");
"""
# Past 500 rows the table is split into a page per section: SVG's interfaces give about 750.
USER_MATRIX = """\
version: 1
probes_dir: probes
probes: ["Switch/*"]
features: ["api.SVG*"]
targets:
  - name: chromium
    engine: chromium
    use:
      - playwright: {}
      - playwright: {executable: /usr/bin/chromium}
"""


class Switch:
    """What the switch probe asks: "no" in the first run, "yes" (the feature is gone) after."""

    def __init__(self) -> None:
        self.gone = False

    def answer(self, path: str, agent: str) -> bytes:
        return b"yes" if self.gone else b"no"


def docs_example() -> str:
    """The workflow in docs/github-action.md, exactly as a user copies it."""
    block = re.search(r"```yaml\n(   name: compat\n.*?)   ```", (ROOT / "docs" / "github-action.md").read_text(), re.S)
    assert block, "the example workflow is not in docs/github-action.md"
    return textwrap.dedent(block.group(1))


def load_yaml_text(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    data["on"] = data.pop(True)
    return data


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def user_repository(folder: Path, switch_url: str) -> Path:
    """A user's repository on a bare 'origin': matrix, a probe, and the docs' workflow."""
    origin = folder / "origin.git"
    git("init", "-q", "--bare", "-b", "main", str(origin), cwd=folder)
    seed = folder / "seed"
    (seed / "probes" / "Switch").mkdir(parents=True)
    (seed / "probes" / "Switch" / "exists.js").write_text(SWITCH_PROBE.replace("{url}", switch_url))
    (seed / "matrix.yaml").write_text(USER_MATRIX)
    (seed / ".github" / "workflows").mkdir(parents=True)
    workflow = re.search(
        r"```yaml\n(   name: compat\n.*?)   ```", (ROOT / "docs" / "github-action.md").read_text(), re.S
    )
    assert workflow
    (seed / ".github" / "workflows" / "compat.yml").write_text(textwrap.dedent(workflow.group(1)))
    git("init", "-q", "-b", "main", cwd=seed)
    git("-c", "user.name=u", "-c", "user.email=u@example.org", "add", ".", cwd=seed)
    git("-c", "user.name=u", "-c", "user.email=u@example.org", "commit", "-q", "-m", "probes", cwd=seed)
    git("push", "-q", str(origin), "main", cwd=seed)
    return origin


def scheduled_run(folder: Path, origin: Path, home: Path, name: str) -> Job:
    """One scheduled run on a fresh runner: a new clone (checkout), the same cache folders (a hit)."""
    workspace = folder / name / "workspace"
    git("clone", "-q", str(origin), str(workspace), cwd=folder)
    runner_temp = folder / name / "runner-temp"
    runner_temp.mkdir()
    gh_dir = folder / "gh"
    gh_dir.mkdir(exist_ok=True)
    env = runner_env(workspace, home, runner_temp, [FIXTURES / "action", Path(sys.executable).parent])
    env["FAKE_GH_DIR"] = str(gh_dir)
    job = Job(workspace, ROOT, env, runner_temp, folder / name / "artifacts", folder / "pages")
    job.run_workflow(load_yaml_text((workspace / ".github" / "workflows" / "compat.yml").read_text()), "compat")
    return job


def gh_calls(folder: Path) -> list[dict[str, Any]]:
    log = folder / "gh" / "calls.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def broken_links(site: Path) -> list[str]:
    """Relative links from the table's pages to files that are not in the site."""
    broken = []
    for page in [site / "index.html", *(site / name for name in (site / "pages.txt").read_text().split())]:
        for href in re.findall(r'href="([^"#:?]+)(?:#[^"]*)?"', page.read_text()):
            if not (page.parent / href).exists():
                broken.append(f"{page.name} -> {href}")
    return broken


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("action")
    switch = Switch()
    with answering(switch.answer) as switch_url:
        origin = user_repository(folder, switch_url)
        home = folder / "home"
        home.mkdir()
        first = scheduled_run(folder, origin, home, "first")
        calls_after_first = len(gh_calls(folder))
        switch.gone = True  # the browser "updates" and loses RTCPeerConnection
        second = scheduled_run(folder, origin, home, "second")
    published = folder / "published-clone"
    git("clone", "-q", str(origin), str(published), cwd=folder)
    yield {
        "folder": folder,
        "first": first,
        "second": second,
        "calls_after_first": calls_after_first,
        "calls": gh_calls(folder),
        "published": published / "published",
        "origin_log": git("log", "--format=%s", cwd=published).splitlines(),
    }


def step(job: Job, name: str) -> StepRecord:
    return next(s for s in job.steps if s.name == name)


def test_first_run_publishes_a_baseline(two_runs: dict[str, Any]) -> None:
    first: Job = two_runs["first"]
    assert not first.failed, [(s.name, s.outcome, s.output[-2000:]) for s in first.steps if s.outcome == "failure"]
    # Only the installs are left out here, and each says why.
    assert {s.name: s.output for s in first.steps if s.outcome == "not-run-here"} == {
        "Install compatprobe": SKIPPED_HERE["install"],
        "Install browsers": SKIPPED_HERE["browsers"],
        "Install the browsers' system libraries": SKIPPED_HERE["deps"],
    }
    assert step(first, "Fetch the data packages").outcome == "success"
    assert "First published run" in first.summary
    assert two_runs["calls_after_first"] == 0  # nothing regressed: no issue, not even a label


def test_caches_are_keyed_on_pinned_versions(two_runs: dict[str, Any]) -> None:
    keys = [w["key"] for action, w in two_runs["first"].uses if action == "actions/cache"]
    pins = hashlib.sha256((ROOT / "src" / "compatprobe" / "data" / "pins.json").read_bytes()).hexdigest()[:16]
    playwright = importlib.metadata.version("playwright")
    assert keys == [f"compatprobe-data-{pins}", f"playwright-Linux-{playwright}-chromium firefox webkit"]


def test_second_run_fails_the_job_last(two_runs: dict[str, Any]) -> None:
    second: Job = two_runs["second"]
    assert second.failed
    ran = [(s.name, s.outcome) for s in second.steps if s.outcome not in ("skipped", "not-run-here")]
    assert ran[-1] == ("Fail on regression", "failure"), ran
    assert all(outcome == "success" for _, outcome in ran[:-1]), ran
    names = [name for name, _ in ran]
    for published in ("Commit the output folder", "Upload the output folder", "Deploy to GitHub Pages",
                      "Open or update the regression issue", "Step summary"):  # fmt: skip
        assert names.index(published) < names.index("Fail on regression"), published


def test_the_new_baseline_is_committed_and_deployed(two_runs: dict[str, Any]) -> None:
    published: Path = two_runs["published"]
    second: Job = two_runs["second"]
    assert [m.startswith("compatprobe: observed run") for m in two_runs["origin_log"]] == [True, True, False]
    baseline = read_results(published / "results.json")
    switch = next(o for o in baseline.targets[0].outcomes if o.probe == "Switch/exists")
    assert switch.status == "unsupported"  # the second run's, so the next run compares with it
    assert len(list((published / "history").glob("*.json"))) == 2
    for copy in (second.artifacts / "compatprobe-site", two_runs["folder"] / "pages"):
        assert (copy / "results.json").read_bytes() == (published / "results.json").read_bytes()
        assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in published.iterdir())


def test_the_whole_split_table_is_published(two_runs: dict[str, Any]) -> None:
    published: Path = two_runs["published"]
    pages = (published / "pages.txt").read_text().split()
    assert "index.html" in pages and len(pages) > 20, pages  # split: a page per section
    assert broken_links(published) == []
    assert broken_links(two_runs["folder"] / "pages") == []
    assert (published / "regressions.md").exists() and (published / "diff.html").exists()


def test_one_regression_issue_with_the_diff(two_runs: dict[str, Any]) -> None:
    calls = two_runs["calls"]
    created = [c for c in calls if c["args"][:2] == ["issue", "create"]]
    assert len(created) == 1 and not [c for c in calls if c["args"][:2] == ["issue", "comment"]]
    body = created[0]["body"]
    regressions = (two_runs["published"] / "regressions.md").read_text()
    key = (two_runs["published"] / "regressions.key").read_text().strip()
    assert body.startswith(regressions) and f"<!-- compatprobe-regression-set: {key} -->" in body
    assert "Switch/exists" in body and "Lost support" in body
    assert created[0]["token"] == "fake-token-for-the-test"  # the Action's github-token input
    assert key in created[0]["args"][created[0]["args"].index("--title") + 1]


def test_the_step_summary(two_runs: dict[str, Any]) -> None:
    summary = two_runs["second"].summary
    assert "1 lost" in summary and "Switch/exists" in summary, summary
    assert "`published/index.html`" in summary and "compatprobe-site" in summary


def test_the_same_regression_set_updates_its_issue(tmp_path: Path) -> None:
    """Seen again (a re-run before the baseline moved), a set gets a comment, not a second issue."""
    env = {**ENV, "FAKE_GH_DIR": str(tmp_path), "PATH": f"{FIXTURES / 'action'}{os.pathsep}{ENV['PATH']}"}
    body = tmp_path / "regressions.md"
    body.write_text("### compatprobe diff: 1 lost\n")
    numbers = []
    for key in ("aaaa11112222", "aaaa11112222", "bbbb33334444"):
        proc = subprocess.run(
            [str(ROOT / "scripts" / "report-regressions.sh"), str(body), key],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        numbers.append(proc.stdout.strip())
    assert numbers == ["1", "1", "2"]
    calls = gh_calls_in(tmp_path)
    assert [c["args"][:2] for c in calls if c["args"][0] == "issue" and c["args"][1] != "list"] == [
        ["issue", "create"], ["issue", "comment"], ["issue", "create"],
    ]  # fmt: skip


def gh_calls_in(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "calls.jsonl").read_text().splitlines()]
